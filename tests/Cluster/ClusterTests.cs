using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cms.Api.Features.Articles;
using Cms.Api.Http;
using Cms.Tests.Api;

namespace Cms.Tests.Cluster;

/// <summary>
/// Three real API processes on one PostgreSQL database behind nginx, started by scripts/cluster.sh (what make cluster
/// runs): writes through one instance reach the others' caches within a second, If-Match holds across instances,
/// a sync reader moving between instances ends with exactly the public content, and kill -9 of an instance under load
/// costs no GET (the balancer retries) and no acknowledged write. Runs in the suite's PostgreSQL pass.
/// </summary>
[TestFixture]
[Category("PostgresOnly")]
[NonParallelizable]
public sealed class ClusterTests
{
    private const string Key = "cms_cluster-test-admin-key-000000000001";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"cms-cluster-{Guid.NewGuid():N}");
    private readonly string _db = "cms_cluster_" + Guid.NewGuid().ToString("N")[..12];
    private int _port;
    private HttpClient _balancer = null!;
    private HttpClient[] _instances = [];
    private HttpClient[] _staff = [];

    private Dictionary<string, string> Environment() => new()
    {
        ["CLUSTER_DIR"] = _dir,
        ["CLUSTER_PORT"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["INSTANCES"] = "3",
        ["CLUSTER_PG"] = System.Environment.GetEnvironmentVariable("CMS_TEST_PG") ?? "",
        ["CLUSTER_DB"] = _db,
        ["CLUSTER_KEY"] = Key,
        ["CLUSTER_CONFIG"] = "Debug",
        ["CLUSTER_BUILD"] = "0",
        ["CLUSTER_PUBLISHER"] = "false",
        ["CLUSTER_WRITES_PER_MINUTE"] = "0",
    };

    private string Script(string command)
    {
        var psi = new ProcessStartInfo("bash", [Path.Combine(Repo.Root, "scripts", "cluster.sh"), command])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repo.Root,
        };
        foreach (var (k, v) in Environment())
            psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        Assert.That(p.WaitForExit(TimeSpan.FromMinutes(3)), Is.True, "cluster.sh " + command);
        Assert.That(p.ExitCode, Is.Zero, $"cluster.sh {command}: {output}{err.Result}");
        return output;
    }

    /// <summary>Four free loopback ports in a row: nginx and the three instances.</summary>
    private static int FreeBase()
    {
        var random = new Random();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = random.Next(20000, 30000);
            if (Enumerable.Range(port, 4).All(Free))
                return port;
        }
        throw new InvalidOperationException("no four free ports in a row");

        static bool Free(int p)
        {
            try
            {
                using var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, p);
                l.Start();
                return true;
            }
            catch (System.Net.Sockets.SocketException)
            {
                return false;
            }
        }
    }

    private static HttpClient Client(int port, bool staff = false)
    {
        var c = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };
        if (staff)
            c.DefaultRequestHeaders.Add("X-Api-Key", Key);
        return c;
    }

    [OneTimeSetUp]
    public void Up()
    {
        _port = FreeBase();
        TestContext.Progress.WriteLine(Script("up"));
        _balancer = Client(_port);
        _instances = [.. Enumerable.Range(1, 3).Select(i => Client(_port + i))];
        _staff = [.. Enumerable.Range(1, 3).Select(i => Client(_port + i, staff: true))];
    }

    [OneTimeTearDown]
    public void Down()
    {
        Script("down");
        _balancer?.Dispose();
        foreach (var c in _instances.Concat(_staff))
            c.Dispose();
        try
        {
            using var admin = new Npgsql.NpgsqlConnection(System.Environment.GetEnvironmentVariable("CMS_TEST_PG"));
            admin.Open();
            using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS {_db} WITH (FORCE)", admin);
            drop.ExecuteNonQuery();
        }
        finally
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static async Task<AdminArticle> CreateAsync(HttpClient staff, string title)
    {
        var res = await staff.PostAsJsonAsync("/api/v1/admin/articles", Given.ArticleBody(title: title), ApiJson.Options);
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.Created), await res.Content.ReadAsStringAsync());
        return (await res.Content.ReadFromJsonAsync<AdminArticle>(ApiJson.Options))!;
    }

    private static async Task<AdminArticle> PublishAsync(HttpClient staff, AdminArticle a)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/admin/articles/{a.Id}/publish");
        req.Headers.TryAddWithoutValidation("If-Match", IfMatch.ETag(a.Version));
        var res = await staff.SendAsync(req);
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK), await res.Content.ReadAsStringAsync());
        return (await res.Content.ReadFromJsonAsync<AdminArticle>(ApiJson.Options))!;
    }

    [Test]
    public async Task A_write_through_one_instance_is_visible_through_the_others_within_a_second()
    {
        var slowest = TimeSpan.Zero;
        for (var round = 0; round < 3; round++)
        {
            const string list = "/api/v1/articles?pageSize=5";
            foreach (var c in _instances)
                Assert.That((await c.GetAsync(list)).StatusCode, Is.EqualTo(HttpStatusCode.OK));   // cached on every instance now
            var writer = round % 3;
            var a = await PublishAsync(_staff[writer], await CreateAsync(_staff[writer], $"集群可见{round}-{Guid.NewGuid():N}"[..16]));
            var clock = Stopwatch.StartNew();
            foreach (var (c, i) in _instances.Select((c, i) => (c, i)).Where(x => x.i != writer))
            {
                while (!(await c.GetStringAsync(list)).Contains(a.Slug, StringComparison.Ordinal))
                {
                    Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), $"instance {i + 1} still shows the list without the article written through {writer + 1}");
                    await Task.Delay(25);
                }
                Assert.That((await c.GetAsync($"/api/v1/articles/{a.Slug}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            }
            slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
        }
        TestContext.Progress.WriteLine($"cluster: the slowest of 3 writes reached both other instances in {slowest.TotalMilliseconds:F0} ms");
    }

    [Test]
    public async Task Concurrent_puts_through_different_instances_have_exactly_one_winner()
    {
        var a = await CreateAsync(_staff[0], "集群并发");
        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
        {
            var req = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/admin/articles/{a.Id}")
            {
                Content = JsonContent.Create(Given.ArticleBody(title: $"集群并发{i}"), options: ApiJson.Options),
            };
            req.Headers.TryAddWithoutValidation("If-Match", IfMatch.ETag(a.Version));
            return _staff[i % 3].SendAsync(req);
        }));
        Assert.That(results.Count(r => r.StatusCode == HttpStatusCode.OK), Is.EqualTo(1));
        Assert.That(results.Count(r => r.StatusCode == HttpStatusCode.PreconditionFailed), Is.EqualTo(29));
        var stored = await _staff[2].GetFromJsonAsync<AdminArticle>($"/api/v1/admin/articles/{a.Id}", ApiJson.Options);
        Assert.That(stored!.Version, Is.EqualTo(a.Version + 1));
    }

    [Test]
    public async Task A_sync_reader_moving_between_instances_while_two_writers_publish_ends_with_exactly_the_public_content()
    {
        var mirror = new Dictionary<(string, long), string>();
        string? cursor = null;
        var turn = 0;
        async Task<bool> PullAsync()
        {
            var c = _instances[turn++ % 3];
            var res = await c.GetAsync("/api/v1/sync?limit=5" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK), await res.Content.ReadAsStringAsync());
            var page = JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement;
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                var key = (item.GetProperty("entity").GetString()!, item.GetProperty("id").GetInt64());
                if (item.GetProperty("op").GetString() == "upsert")
                    mirror[key] = item.GetProperty("data").TryGetProperty("title", out var t) ? t.GetString() ?? "" : "";
                else
                    mirror.Remove(key);
            }
            cursor = page.GetProperty("nextCursor").GetString();
            return page.GetProperty("hasMore").GetBoolean();
        }
        // two editors on two instances: publish, edit, take offline, delete
        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            var staff = _staff[w + 1];
            for (var i = 0; i < 12; i++)
            {
                var a = await PublishAsync(staff, await CreateAsync(staff, $"同步{w}-{i}"));
                if (i % 4 == 3)
                {
                    var off = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/admin/articles/{a.Id}/offline");
                    off.Headers.TryAddWithoutValidation("If-Match", IfMatch.ETag(a.Version));
                    Assert.That((await staff.SendAsync(off)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
                }
            }
        })).ToList();
        while (writers.Any(t => !t.IsCompleted))
        {
            await PullAsync();
            await Task.Delay(20);
        }
        await Task.WhenAll(writers);
        for (var i = 0; i < 10_000 && await PullAsync(); i++)
        {
        }
        var mirrored = mirror.Where(kv => kv.Key.Item1 == "article").ToDictionary(kv => kv.Key.Item2, kv => kv.Value);
        var published = new Dictionary<long, string>();
        for (var page = 1; ; page++)
        {
            var p = (await _balancer.GetFromJsonAsync<Paged<ArticleListItem>>($"/api/v1/articles?pageSize=100&page={page}", ApiJson.Options))!;
            foreach (var item in p.Items)
                published[item.Id] = item.Title;
            if (page >= p.Page.TotalPages)
                break;
        }
        Assert.That(mirrored, Is.EquivalentTo(published));
    }

    [Test]
    public async Task Kill_9_of_an_instance_under_load_through_nginx_fails_no_get_and_loses_no_acknowledged_write()
    {
        var failedGets = new ConcurrentBag<string>();
        var acknowledged = new ConcurrentDictionary<long, string>();
        var gets = 0;
        using var stop = new CancellationTokenSource();
        using var staff = Client(_port, staff: true);
        var readers = Enumerable.Range(0, 4).Select(r => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var url = (i % 3) switch { 0 => "/api/v1/articles?page=" + (i % 4 + 1), 1 => "/api/v1/site", _ => "/api/v1/search?q=" + Uri.EscapeDataString("投资" + (i % 7)) };
                try
                {
                    using var res = await _balancer.GetAsync(url);
                    Interlocked.Increment(ref gets);
                    if (res.StatusCode != HttpStatusCode.OK)
                        failedGets.Add($"{url}: {(int)res.StatusCode}");
                }
                catch (HttpRequestException e)
                {
                    failedGets.Add($"{url}: {e.Message}");
                }
            }
        })).ToList();
        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var title = $"存活{w}-{i}-{Guid.NewGuid():N}"[..20];
                try
                {
                    using var res = await staff.PostAsJsonAsync("/api/v1/admin/articles", Given.ArticleBody(title: title), ApiJson.Options);
                    if (res.StatusCode == HttpStatusCode.Created)
                        acknowledged[(await res.Content.ReadFromJsonAsync<AdminArticle>(ApiJson.Options))!.Id] = title;
                }
                catch (HttpRequestException)
                {
                    // not acknowledged: it may or may not have been written
                }
            }
        })).ToList();
        await Task.Delay(1000);
        var victim = int.Parse(await File.ReadAllTextAsync(Path.Combine(_dir, "api-2.pid")), System.Globalization.CultureInfo.InvariantCulture);
        Process.GetProcessById(victim).Kill();   // SIGKILL
        await Task.Delay(2000);
        await stop.CancelAsync();
        await Task.WhenAll(readers.Concat(writers));
        TestContext.Progress.WriteLine($"cluster: {gets} GETs through nginx while instance 2 was killed, {failedGets.Count} failed; {acknowledged.Count} writes acknowledged");
        Assert.That(failedGets, Is.Empty);
        Assert.That(gets, Is.GreaterThan(50));
        Assert.That(acknowledged, Is.Not.Empty);
        foreach (var (id, title) in acknowledged)
        {
            var stored = await _staff[0].GetFromJsonAsync<AdminArticle>($"/api/v1/admin/articles/{id}", ApiJson.Options);
            Assert.That(stored!.Title, Is.EqualTo(title), $"acknowledged write {id}");
        }
    }
}
