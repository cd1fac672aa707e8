using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cms.Tests.Api;
using Microsoft.Data.Sqlite;

namespace Cms.Tests.Reliability;

/// <summary>kill -9 of the real server under concurrent writers: no acknowledged write is ever lost, the file stays sound.</summary>
[TestFixture]
[Category("Reliability")]
[NonParallelizable]
public sealed class CrashTests
{
    private const string Key = "cms_reliability-admin-key-0000000000001";

    private static Process Start(string db, int port)
    {
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(Repo.Root, "api", "bin", "Debug", "net10.0", "Cms.Api.dll"), "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["CMS_DB"] = db;
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["Cms__AdminKey"] = Key;
        psi.Environment["Cms__DemoContent"] = "true";
        psi.Environment["Cms__RateLimits__WritesPerMinute"] = "0";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        var p = Process.Start(psi)!;
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static async Task<long> ReadyAsync(HttpClient http)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                if ((await http.GetAsync("/healthz/ready")).IsSuccessStatusCode)
                    return sw.ElapsedMilliseconds;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(20);
        }
        throw new TimeoutException("the server did not become ready");
    }

    [Test]
    public async Task Kill_9_under_writers_loses_no_acknowledged_write()
    {
        var rounds = Report.Scale(3, 50);
        var dir = Path.Combine(Path.GetTempPath(), $"cms-crash-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var db = Path.Combine(dir, "cms.db");
        var port = CmsFactory.FreePort();
        var acknowledged = new ConcurrentDictionary<long, string>();
        var restarts = new List<long>();
        var integrityFailures = 0;
        var random = new Random(9);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-Api-Key", Key);
        Process? server = null;
        try
        {
            for (var round = 0; round < rounds; round++)
            {
                server = Start(db, port);
                restarts.Add(await ReadyAsync(http));
                using var stop = new CancellationTokenSource();
                var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
                {
                    for (var i = 0; !stop.IsCancellationRequested; i++)
                    {
                        var title = $"崩溃测试 {round}-{w}-{i}";
                        try
                        {
                            using var res = await http.PostAsJsonAsync("/api/v1/admin/articles", Given.ArticleBody(title: title), stop.Token);
                            if (res.StatusCode == HttpStatusCode.Created)
                                acknowledged[(await res.Content.ReadFromJsonAsync<JsonObject>(stop.Token))!["id"]!.GetValue<long>()] = title;
                        }
                        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
                        {
                            return;   // the server is gone: an unanswered write is not acknowledged
                        }
                    }
                })).ToList();
                await Task.Delay(random.Next(300, 1500));
                server.Kill(entireProcessTree: true);   // SIGKILL
                await server.WaitForExitAsync();
                await stop.CancelAsync();
                await Task.WhenAll(writers);
                server.Dispose();
                server = null;

                SqliteConnection.ClearAllPools();
                using (var conn = new SqliteConnection($"Data Source={db};Pooling=False"))
                {
                    conn.Open();
                    using var cmd = conn.CreateCommand();
                    cmd.CommandText = "PRAGMA integrity_check";
                    if ((string?)cmd.ExecuteScalar() != "ok")
                        integrityFailures++;
                }
            }

            server = Start(db, port);
            restarts.Add(await ReadyAsync(http));
            var lost = 0;
            foreach (var (id, title) in acknowledged)
            {
                using var res = await http.GetAsync($"/api/v1/admin/articles/{id}");
                if (res.StatusCode != HttpStatusCode.OK || (await res.Content.ReadFromJsonAsync<JsonObject>())!["title"]!.GetValue<string>() != title)
                    lost++;
            }
            restarts.Sort();
            var p99 = restarts[(int)Math.Ceiling(restarts.Count * 0.99) - 1];
            Report.Row("kill -9 under 4 writers", $"{rounds} rounds, {acknowledged.Count} acknowledged, {lost} lost, {integrityFailures} integrity failures, restart p99 {p99} ms",
                "0 lost, 0 integrity failures", lost == 0 && integrityFailures == 0);
            Assert.That(acknowledged, Is.Not.Empty);
            Assert.That(lost, Is.Zero);
            Assert.That(integrityFailures, Is.Zero);
        }
        finally
        {
            if (server is not null)
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
                server.Dispose();
            }
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
