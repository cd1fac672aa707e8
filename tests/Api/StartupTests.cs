using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cms.Tests.Api;

/// <summary>Start-up as an operator meets it: bad ports are one clear line, and a request is one log line.</summary>
[TestFixture]
[NonParallelizable]
public sealed class StartupTests
{
    private static string ApiDll => Path.Combine(Repo.Root, "api", "bin", "Debug", "net10.0", "Cms.Api.dll");

    private static (int Code, string Out, string Err) Run(string file, IEnumerable<string> args, IDictionary<string, string>? env = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = Repo.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
            psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail("did not exit");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private static Dictionary<string, string> Env(string db) => new()
    {
        ["CMS_DB"] = db,
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["Cms__DemoContent"] = "false",
        ["DOTNET_NOLOGO"] = "1",
    };

    [TestCase("abc")]
    [TestCase("99999")]
    [TestCase("0x50")]
    public void Make_run_refuses_a_bad_port_with_one_line(string port)
    {
        var (code, _, err) = Run("make", ["--no-print-directory", "run", $"PORT={port}"]);
        Assert.That(code, Is.Not.Zero);
        Assert.That(err, Does.Contain($"PORT must be a number from 1 to 65535 (got '{port}')"));
    }

    [Test]
    public void A_port_in_use_is_one_line_naming_it()
    {
        var port = CmsFactory.FreePort();
        using var taken = new TcpListener(IPAddress.Loopback, port);
        taken.Start();
        var db = Path.Combine(Path.GetTempPath(), $"cms-startup-{Guid.NewGuid():N}.db");
        try
        {
            var (code, _, err) = Run("dotnet", [ApiDll, "--urls", $"http://127.0.0.1:{port}"], Env(db));
            Assert.That(code, Is.EqualTo(1), err);
            var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(lines, Has.Length.EqualTo(1), err);
            Assert.That(lines[0], Does.Contain($"127.0.0.1:{port}").And.Contain("address already in use"));
            Assert.That(err, Does.Not.Contain("   at "));
        }
        finally
        {
            foreach (var f in new[] { db, db + "-wal", db + "-shm" })
                File.Delete(f);
        }
    }

    /// <summary>The built server as a process on a free loopback port over a temp database, its output lines collected.</summary>
    private sealed class RunningServer : IDisposable
    {
        private readonly Process _process;
        private readonly string _db = Path.Combine(Path.GetTempPath(), $"cms-startup-{Guid.NewGuid():N}.db");

        public System.Collections.Concurrent.ConcurrentQueue<string> Output { get; } = new();
        public HttpClient Http { get; }

        public RunningServer(IDictionary<string, string>? extra = null)
        {
            var port = CmsFactory.FreePort();
            var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = Repo.Root, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { ApiDll, "--urls", $"http://127.0.0.1:{port}" })
                psi.ArgumentList.Add(a);
            foreach (var (k, v) in Env(_db).Concat(extra ?? new Dictionary<string, string>()))
                psi.Environment[k] = v;
            _process = Process.Start(psi)!;
            _process.OutputDataReceived += (_, e) => { if (e.Data is not null) Output.Enqueue(e.Data); };
            _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Output.Enqueue(e.Data); };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        }

        public async Task ReadyAsync()
        {
            for (var i = 0; i < 150; i++)
            {
                try
                {
                    if ((await Http.GetAsync("/healthz/live")).IsSuccessStatusCode)
                        return;
                }
                catch (HttpRequestException)
                {
                }
                await Task.Delay(100);
            }
            Assert.Fail("the server did not start");
        }

        public void Dispose()
        {
            Http.Dispose();
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            _process.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in new[] { _db, _db + "-wal", _db + "-shm" })
                File.Delete(f);
        }
    }

    [Test]
    public async Task Each_request_is_one_log_line()
    {
        using var server = new RunningServer();
        await server.ReadyAsync();
        await Task.Delay(500);   // the start-up banner comes after the first answer
        var before = server.Output.Count;
        (await server.Http.GetAsync("/healthz")).EnsureSuccessStatusCode();
        Assert.That((await server.Http.GetAsync("/api/v1/no-such-route")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        await Task.Delay(500);
        var lines = server.Output.Skip(before).ToList();
        Assert.That(lines, Has.Count.EqualTo(2), string.Join("\n", lines));
        Assert.That(lines[0], Does.Contain("GET /healthz 200"));
        Assert.That(lines[1], Does.Contain("GET /api/v1/no-such-route 404"));
    }

    [Test]
    public async Task Json_logs_are_one_object_per_line()
    {
        using var server = new RunningServer(new Dictionary<string, string> { ["Cms__JsonLogs"] = "true" });
        await server.ReadyAsync();
        await Task.Delay(500);
        var logs = server.Output.Where(l => l.StartsWith('{')).ToList();
        Assert.That(logs, Is.Not.Empty);
        var request = logs.Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!).FirstOrDefault(j => j["Category"]?.GetValue<string>() == "Cms.Api.Http.RequestLog");
        Assert.That(request?["Message"]?.GetValue<string>(), Does.Contain("GET /healthz/live 200"));
    }
}
