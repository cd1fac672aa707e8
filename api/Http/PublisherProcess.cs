using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Cms.Api.Http;

/// <summary>
/// Runs the publisher (node publisher/publish.mjs watch) beside the API, so one process writes and serves the static
/// site: on when Cms:Site is set and Cms:Publisher:Run is true (the default in Development, which make run uses).
/// In production the publisher runs as a process of its own (README). Its output goes to this log; when it exits it
/// is started again after a few seconds; it stops with the API. Of several instances on PostgreSQL, only the one that
/// leads (Data/Leadership: an advisory lock) runs it; when that one goes away another takes over within seconds.
/// </summary>
public sealed class PublisherProcess(IConfiguration config, IWebHostEnvironment env, IServer server, IHostApplicationLifetime life,
    Cms.Api.Data.Db db, ILogger<PublisherProcess> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var site = Startup.SiteRoot(config);
        if (site is null || !config.GetValue("Cms:Publisher:Run", env.IsDevelopment()))
            return;
        var script = Path.Combine(Startup.Home(), "publisher", "publish.mjs");
        if (!File.Exists(script))
        {
            log.LogWarning("Cms:Site is set but {Script} is missing: pages are not published", script);
            return;
        }
        var started = new TaskCompletionSource();
        using var _ = life.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stop);
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null)
            return;
        var api = address.Replace("0.0.0.0", "127.0.0.1").Replace("[::]", "127.0.0.1").Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1");
        while (!stop.IsCancellationRequested)
        {
            await using var lead = await Cms.Api.Data.Leadership.AcquireAsync(db, Cms.Api.Data.Leadership.PublisherKey, stop);
            using var lost = CancellationTokenSource.CreateLinkedTokenSource(stop);
            var watch = lead.LostAsync(lost.Token).ContinueWith(t =>
            {
                if (t.IsCompletedSuccessfully)
                    lost.Cancel();
            }, TaskScheduler.Default);
            var psi = new ProcessStartInfo(config["Cms:Publisher:Node"] ?? "node")
            {
                ArgumentList = { script, "watch", "--api", api, "--out", site, "--exit-with-parent" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = Startup.Home(),
            };
            Process? p;
            try
            {
                p = Process.Start(psi);
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                log.LogError("The publisher could not start ({Message}): is Node.js installed? Pages are not published", e.Message);
                return;
            }
            if (p is null)
                return;
            using (p)
            {
                p.OutputDataReceived += (_, e) => { if (!string.IsNullOrWhiteSpace(e.Data) && !e.Data.Contains('\r')) log.LogInformation("{Line}", e.Data); };
                p.ErrorDataReceived += (_, e) => { if (!string.IsNullOrWhiteSpace(e.Data) && !e.Data.TrimStart().StartsWith('[') && !e.Data.Contains('%')) log.LogWarning("{Line}", e.Data); };
                p.BeginOutputReadLine();
                p.BeginErrorReadLine();
                try
                {
                    await p.WaitForExitAsync(lost.Token);
                    log.LogWarning("The publisher exited with {Code}; starting it again in 5 s", p.ExitCode);
                    await Task.Delay(TimeSpan.FromSeconds(5), stop);
                }
                catch (OperationCanceledException)
                {
                    if (!p.HasExited)
                        p.Kill(entireProcessTree: true);
                    if (stop.IsCancellationRequested)
                        return;
                    await watch;
                    log.LogWarning("This instance lost the publisher's lock (its database connection); another instance publishes now");
                }
            }
        }
    }
}
