using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Cms.Tests.Api;

/// <summary>What an operator's tools read: liveness, readiness with its reasons, Prometheus metrics.</summary>
[TestFixture]
public sealed class OperationsTests
{
    [Test]
    public async Task Liveness_and_readiness_answer_separately()
    {
        var live = await App.Client.GetFromJsonAsync<JsonObject>("/healthz/live");
        Assert.That(live!["status"]!.GetValue<string>(), Is.EqualTo("alive"));
        var ready = await App.Client.GetAsync("/healthz/ready");
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(ready.Headers.CacheControl?.NoStore, Is.True);
        var checks = (await ready.Content.ReadFromJsonAsync<JsonObject>())!["checks"]!.AsObject();
        Assert.That(checks.Select(c => (c.Key, c.Value!.GetValue<string>())), Is.EquivalentTo(new[] { ("database", "ok"), ("migrations", "ok"), ("disk", "ok") }));
        Assert.That((await App.Client.GetAsync("/healthz")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the old address still answers");
    }

    [Test]
    public async Task Readiness_is_503_naming_what_fails()
    {
        var db = Path.Combine(Path.GetTempPath(), $"cms-ready-{Guid.NewGuid():N}.db");
        try
        {
            await using var site = new CmsFactory(db, new Dictionary<string, string> { ["Cms:MinFreeDiskMb"] = "999999999" });
            using var client = site.CreateClient();
            var res = await client.GetAsync("/healthz/ready");
            var problem = await Problem.AssertAsync(res, HttpStatusCode.ServiceUnavailable);
            Assert.That(problem.Detail, Does.Contain("disk"));
            Assert.That(res.Headers.Contains("Retry-After"), Is.True);
            Assert.That((await client.GetAsync("/healthz/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "alive all the same");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var f in new[] { db, db + "-wal", db + "-shm" })
                File.Delete(f);
        }
    }

    [Test]
    public async Task Metrics_are_served_in_prometheus_format()
    {
        await App.Client.GetAsync("/api/v1/partners");
        await App.Client.GetAsync("/api/v1/partners");
        var text = await App.Client.GetStringAsync("/metrics");
        Assert.That(text, Does.Contain("cms_cache_hits_total").And.Contain("cms_cache_misses_total").And.Contain("cms_publish_queue")
            .And.Contain("cms_cache_entries").And.Contain("http_server_request_duration_seconds_bucket"));
        Assert.That(text, Does.Contain("http_route=\"/api/v1/partners\""), "latency per route");
    }
}
