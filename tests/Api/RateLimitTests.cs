using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;

namespace Cms.Tests.Api;

/// <summary>Rate limits on a site of their own with small numbers: 429 problem+json with Retry-After, cached reads never limited.</summary>
[TestFixture]
[NonParallelizable]
public sealed class RateLimitTests
{
    private readonly string _db = Path.Combine(Path.GetTempPath(), $"cms-limits-{Guid.NewGuid():N}.db");
    private CmsFactory _site = null!;
    private HttpClient _http = null!;
    private string _base = "";

    [OneTimeSetUp]
    public void Start()
    {
        _site = new CmsFactory(_db, new Dictionary<string, string>
        {
            ["Cms:RateLimits:AuthFailuresPerMinute"] = "5",
            ["Cms:RateLimits:WritesPerMinute"] = "3",
            ["Cms:RateLimits:SearchAndSyncPerMinute"] = "4",
            ["Cms:TrustedProxies"] = "127.0.0.1",
        });
        _base = _site.StartOnLoopback();
        _http = new HttpClient { BaseAddress = new Uri(_base) };
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _http.Dispose();
        _site.Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var f in new[] { _db, _db + "-wal", _db + "-shm" })
            File.Delete(f);
    }

    /// <summary>A request from a client behind the trusted proxy (127.0.0.1) at <paramref name="client"/>.</summary>
    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string client, string? key = null, object? body = null)
    {
        var req = new HttpRequestMessage(method, url);
        req.Headers.Add("X-Forwarded-For", client);
        if (key is not null)
            req.Headers.Add("X-Api-Key", key);
        if (body is not null)
            req.Content = JsonContent.Create(body);
        return _http.SendAsync(req);
    }

    private static async Task Is429(HttpResponseMessage res)
    {
        await Problem.AssertAsync(res, HttpStatusCode.TooManyRequests);
        Assert.That(int.Parse(res.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), Is.InRange(1, 60));
    }

    [Test]
    public async Task Failed_keys_from_one_client_are_stopped_and_other_clients_are_not()
    {
        for (var i = 0; i < 5; i++)
            Assert.That((await SendAsync(HttpMethod.Get, "/api/v1/admin/articles", "203.0.113.10", "cms_guess-" + i)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        await Is429(await SendAsync(HttpMethod.Get, "/api/v1/admin/articles", "203.0.113.10", "cms_guess-more"));
        await Is429(await SendAsync(HttpMethod.Get, "/api/v1/admin/articles", "203.0.113.10", App.AdminKey));
        Assert.That((await SendAsync(HttpMethod.Get, "/api/v1/admin/articles", "203.0.113.11", App.AdminKey)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await SendAsync(HttpMethod.Get, "/api/v1/site", "203.0.113.10")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "public reads go on");
    }

    [Test]
    public async Task Writes_are_limited_per_key()
    {
        var key = await NewKeyAsync();   // the admin key's first write
        for (var i = 0; i < 3; i++)
        {
            var res = await SendAsync(HttpMethod.Post, "/api/v1/admin/articles", "203.0.113.20", key, Given.ArticleBody());
            Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.Created), await res.Content.ReadAsStringAsync());
        }
        await Is429(await SendAsync(HttpMethod.Post, "/api/v1/admin/articles", "203.0.113.20", key, Given.ArticleBody()));
        Assert.That((await SendAsync(HttpMethod.Get, "/api/v1/admin/articles", "203.0.113.20", key)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "reads are not writes");
        var res2 = await SendAsync(HttpMethod.Post, "/api/v1/admin/articles", "203.0.113.20", App.AdminKey, Given.ArticleBody());
        Assert.That(res2.StatusCode, Is.EqualTo(HttpStatusCode.Created), "another key has its own budget");
    }

    private async Task<string> NewKeyAsync()
    {
        // made before the admin key's write budget is spent: keys are writes too
        using var res = await SendAsync(HttpMethod.Post, "/api/v1/admin/keys", "203.0.113.21", App.AdminKey, new { name = "另一把钥匙", role = "editor" });
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        return (await res.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["key"]!.GetValue<string>();
    }

    [Test]
    public async Task Search_misses_are_limited_per_client_and_cached_answers_never()
    {
        for (var i = 0; i < 20; i++)
            Assert.That((await SendAsync(HttpMethod.Get, "/api/v1/search?q=%E5%B8%82%E9%95%BF", "203.0.113.30")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the same search, cached");
        var words = new[] { "投资", "合作", "园区", "论坛", "产城", "白皮书" };
        var statuses = new List<HttpStatusCode>();
        foreach (var w in words)
            statuses.Add((await SendAsync(HttpMethod.Get, "/api/v1/search?q=" + Uri.EscapeDataString(w), "203.0.113.31")).StatusCode);
        Assert.That(statuses.Take(4), Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(statuses.Skip(4), Is.All.EqualTo(HttpStatusCode.TooManyRequests));
        await Is429(await SendAsync(HttpMethod.Get, "/api/v1/sync", "203.0.113.31"));
        Assert.That((await SendAsync(HttpMethod.Get, "/api/v1/search?q=" + Uri.EscapeDataString("白皮书"), "203.0.113.32")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "another client");
    }

    [Test]
    public async Task X_forwarded_for_counts_only_from_a_trusted_proxy()
    {
        using var direct = new CmsFactory(Path.Combine(Path.GetTempPath(), $"cms-limits-{Guid.NewGuid():N}.db"),
            new Dictionary<string, string> { ["Cms:RateLimits:SearchAndSyncPerMinute"] = "2" });
        var address = direct.StartOnLoopback();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            var req = new HttpRequestMessage(HttpMethod.Get, "/api/v1/search?q=" + Uri.EscapeDataString("词" + i));
            req.Headers.Add("X-Forwarded-For", $"198.51.100.{i}");   // forged: no proxy is trusted here
            statuses.Add((await http.SendAsync(req)).StatusCode);
        }
        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
    }
}
