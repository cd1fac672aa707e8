using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Cms.Api.Data;
using Cms.Api.Features.Articles;
using Cms.Api.Http;
using Cms.Tests.Api;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.Tests.Reliability;

/// <summary>The hostile-test catalogue as figures: concurrency, generated bad input, staleness, backups, limits, auth, feeds.</summary>
[TestFixture]
[Category("Reliability")]
public sealed class HostileTests
{
    [Test]
    public async Task Concurrent_puts_with_one_etag_have_exactly_one_winner()
    {
        var rounds = Report.Scale(3, 30);
        var overwrites = 0;
        var wrong = 0;
        for (var r = 0; r < rounds; r++)
        {
            var a = await Given.DraftAsync();
            var tasks = Enumerable.Range(0, 50).Select(i => Given.SendAsync(App.Editor, HttpMethod.Put, $"/api/v1/admin/articles/{a.Id}",
                System.Text.Json.JsonSerializer.Serialize(Given.ArticleBody(slug: a.Slug, title: $"并发写入{i}"), ApiJson.Options), IfMatch.ETag(a.Version))).ToList();
            var statuses = (await Task.WhenAll(tasks)).Select(t => t.StatusCode).ToList();
            var winners = statuses.Count(s => s == HttpStatusCode.OK);
            overwrites += Math.Max(0, winners - 1);
            wrong += statuses.Count(s => s is not (HttpStatusCode.OK or HttpStatusCode.PreconditionFailed)) + (winners == 0 ? 1 : 0);
        }
        Report.Row("concurrent PUT rounds", $"{rounds} rounds of 50 PUTs with one ETag, {overwrites} silent overwrites, {wrong} other answers", "0 overwrites", overwrites == 0 && wrong == 0);
        Assert.That(overwrites, Is.Zero);
        Assert.That(wrong, Is.Zero);
    }

    /// <summary>Values no field should accept, and shapes no body should have.</summary>
    private static readonly JsonNode?[] Mutations =
    [
        null, JsonValue.Create(0), JsonValue.Create(-1), JsonValue.Create(long.MaxValue), JsonValue.Create(1.5), JsonValue.Create(true),
        JsonValue.Create(""), JsonValue.Create(new string('中', 100_000)), JsonValue.Create("\u0000\u0001\u001f"), JsonValue.Create("\ud800"),
        JsonValue.Create("<script>alert(1)</script>"), JsonValue.Create("'; DROP TABLE articles;--"), JsonValue.Create("%00%ff"),
        JsonValue.Create("9999-99-99T99:99:99Z"), JsonValue.Create("../../etc/passwd"), new JsonArray(), new JsonArray(JsonValue.Create(1), null),
        new JsonObject(), new JsonObject { ["$ref"] = "#" }, JsonValue.Create("𝕏🇨🇳\u202e"),
    ];

    private static readonly string[] RawBodies =
    [
        "", "{", "[]", "null", "\"x\"", "{\"title\":", "{\"a\":1,\"a\":2}", new string('[', 5000) + new string(']', 5000),
        "{\"title\":\"\\ud800\"}", "{\"categoryId\":1e400}", "\u00ef\u00bb\u00bf{}",
    ];

    [Test]
    public async Task A_generated_bad_input_sweep_gets_no_5xx_and_no_leak()
    {
        var doc = JsonNode.Parse(await App.Client.GetStringAsync("/swagger/v1/swagger.json"))!["paths"]!.AsObject();
        var target = Report.Scale(600, 12_000);
        var sent = 0;
        var errors = new List<string>();
        var leaks = new List<string>();
        var random = new Random(2021);
        var draft = await Given.DraftAsync();
        var ops = doc.SelectMany(p => p.Value!.AsObject().Select(m => (Path: p.Key, Method: m.Key, Op: m.Value!.AsObject()))).ToList();
        while (sent < target)
        {
            var (path, method, op) = ops[random.Next(ops.Count)];
            var url = path.Replace("{id}", random.Next(3) == 0 ? draft.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : Junk(random))
                .Replace("{idOrSlug}", Junk(random)).Replace("{code}", Junk(random)).Replace("{legacyId}", Junk(random)).Replace("{page}", Junk(random));
            string? body = null;
            var contentType = "application/json";
            if (op["requestBody"] is { } rb)
            {
                var media = rb["content"]!.AsObject().First();
                contentType = media.Key;
                var example = media.Value!["example"]?.DeepClone() as JsonObject ?? new JsonObject();
                if (random.Next(8) == 0)
                    body = RawBodies[random.Next(RawBodies.Length)];
                else
                {
                    foreach (var name in example.Select(kv => kv.Key).ToList().Where(_ => random.Next(3) == 0))
                        example[name] = Mutations[random.Next(Mutations.Length)]?.DeepClone();
                    if (random.Next(5) == 0)
                        example["unexpected" + random.Next(9)] = 1;
                    body = example.ToJsonString();
                }
            }
            else if (random.Next(2) == 0)
                url += "?" + string.Join('&', (op["parameters"]?.AsArray() ?? []).Where(p => p!["in"]!.GetValue<string>() == "query")
                    .Select(p => p!["name"]!.GetValue<string>() + "=" + Uri.EscapeDataString(Junk(random))).Append("x" + random.Next(3) + "=1").Take(random.Next(1, 5)));
            var client = random.Next(4) == 0 ? App.Client : App.Admin;
            using var res = await Given.SendAsync(client, new HttpMethod(method.ToUpperInvariant()), url, body, method is "put" or "patch" or "delete" ? "*" : null, contentType);
            sent++;
            var text = await res.Content.ReadAsStringAsync();
            if ((int)res.StatusCode >= 500)
                errors.Add($"{method.ToUpperInvariant()} {url}: {(int)res.StatusCode} {text[..Math.Min(200, text.Length)]}");
            if (text.Contains("   at ", StringComparison.Ordinal) || text.Contains("System.", StringComparison.Ordinal) || text.Contains("Exception", StringComparison.Ordinal)
                || text.Contains("SQLite Error", StringComparison.Ordinal))
                leaks.Add($"{method.ToUpperInvariant()} {url}: {text[..Math.Min(200, text.Length)]}");
        }
        Report.Row("generated bad-input sweep", $"{sent} requests, {errors.Count} answers of 5xx, {leaks.Count} leaks (stack traces, .NET types, SQL errors)", "0 5xx, 0 leaks",
            errors.Count == 0 && leaks.Count == 0);
        Assert.That(errors, Is.Empty);
        Assert.That(leaks, Is.Empty);
    }

    private static string Junk(Random r) => r.Next(8) switch
    {
        0 => "-1",
        1 => "99999999999999999999",
        2 => "%2e%2e%2f",
        3 => "中文",
        4 => "a%01b",
        5 => new string('9', 300),
        6 => "0",
        _ => "x" + r.Next(),
    };

    [Test]
    public async Task Reads_right_after_a_write_are_never_stale_and_stay_fast()
    {
        var writes = Report.Scale(40, 600);
        var col = await Columns.NewListColumnAsync();
        var a = await Given.PublishedAsync(Given.ArticleBody(categoryId: col.Id, title: "读写测试 0"));
        var other = await Given.PublishedAsync(Given.ArticleBody(title: "旁观文章"));
        var version = a.Version;
        var stale = 0;
        var latencies = new List<double>();
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var sw = Stopwatch.StartNew();
                (await App.Client.GetAsync($"/api/v1/articles/{other.Slug}")).Dispose();
                lock (latencies)
                    latencies.Add(sw.Elapsed.TotalMilliseconds);
            }
        });
        for (var i = 1; i <= writes; i++)
        {
            using var res = await Given.SendAsync(App.Editor, HttpMethod.Patch, $"/api/v1/admin/articles/{a.Id}", $"{{\"title\":\"读写测试 {i}\"}}",
                IfMatch.ETag(version), MergePatch.MediaType);
            Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            version++;
            foreach (var url in new[] { $"/api/v1/articles/{a.Slug}", $"/api/v1/articles?category={col.Code}", $"/feeds/{col.Code}/feed.json" })
            {
                if (!(await App.Client.GetStringAsync(url)).Contains($"读写测试 {i}", StringComparison.Ordinal))
                    stale++;
            }
        }
        await stop.CancelAsync();
        await reader;
        latencies.Sort();
        var p99 = latencies[(int)Math.Ceiling(latencies.Count * 0.99) - 1];
        Report.Row("reads under writes", $"{writes} writes, {writes * 3} reads right after them, {stale} stale; {latencies.Count} cached reads of another article meanwhile, p99 {p99:0.00} ms",
            "0 stale", stale == 0);
        Assert.That(stale, Is.Zero);
    }

    [Test]
    public async Task A_backup_under_writes_restores_to_exactly_what_it_holds()
    {
        var rounds = Report.Scale(1, 5);
        var mismatches = 0;
        var dir = Path.Combine(Path.GetTempPath(), $"cms-roundtrip-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var db = App.Factory.Services.GetRequiredService<Db>();
            for (var r = 0; r < rounds; r++)
            {
                using var stop = new CancellationTokenSource();
                var writer = Task.Run(async () =>
                {
                    while (!stop.IsCancellationRequested)
                        await Given.DraftAsync();
                });
                var file = Path.Combine(dir, $"b{r}.db");
                var manifest = await Backups.BackupAsync(db, file);
                await stop.CancelAsync();
                await writer;
                // restore into a new database and back it up again: every content table must come back identical
                var copy = new Db($"Data Source={Path.Combine(dir, $"restored{r}.db")}");
                Migrator.Apply(copy);
                await Backups.RestoreAsync(copy, file);
                var again = await Backups.BackupAsync(copy, Path.Combine(dir, $"again{r}.db"));
                mismatches += manifest.Tables.Count(t => t.Key != "changes" && again.Tables[t.Key].Sha256 != t.Value.Sha256);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
        Report.Row("backup/restore round trip", $"{rounds} backups under a writer, restored and compared table by table: {mismatches} mismatches", "0 mismatches", mismatches == 0);
        Assert.That(mismatches, Is.Zero);
    }

    [Test]
    public async Task Limits_answer_413_400_and_429_with_retry_after()
    {
        using var big = new StringContent("{\"title\":\"" + new string('中', 1_100_000) + "\"}", Encoding.UTF8, "application/json");
        var tooLarge = (await App.Editor.PostAsync("/api/v1/admin/articles", big)).StatusCode;
        var badJson = (await Given.SendAsync(App.Editor, HttpMethod.Post, "/api/v1/admin/articles", "{\"title\":")).StatusCode;
        var db = Path.Combine(Path.GetTempPath(), $"cms-limits-{Guid.NewGuid():N}.db");
        HttpStatusCode limited;
        string? retryAfter;
        try
        {
            await using var site = new CmsFactory(db, new Dictionary<string, string> { ["Cms:RateLimits:AuthFailuresPerMinute"] = "3" });
            using var client = site.CreateClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", "cms_wrong");
            for (var i = 0; i < 3; i++)
                (await client.GetAsync("/api/v1/admin/articles")).Dispose();
            using var res = await client.GetAsync("/api/v1/admin/articles");
            limited = res.StatusCode;
            retryAfter = res.Headers.TryGetValues("Retry-After", out var v) ? v.Single() : null;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var f in new[] { db, db + "-wal", db + "-shm" })
                File.Delete(f);
        }
        var met = tooLarge == HttpStatusCode.RequestEntityTooLarge && badJson == HttpStatusCode.BadRequest && limited == HttpStatusCode.TooManyRequests && retryAfter is not null;
        Report.Row("limits", $"2.2 MB body → {(int)tooLarge}, broken JSON → {(int)badJson}, 4th wrong key → {(int)limited} with Retry-After: {retryAfter ?? "none"}",
            "413, 400, 429 with Retry-After", met);
        Assert.That(met, Is.True);
    }

    [Test]
    public async Task No_staff_route_answers_2xx_without_a_valid_key()
    {
        var routes = App.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Route: "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Where(r => r.Route.StartsWith("/api/v1/admin", StringComparison.Ordinal)).Distinct().ToList();
        string[] Variants(string url) => [url, url + "/", url.Replace("/admin/", "/ADMIN/"), "/" + url, url + "?x", url.Replace("/api/v1/admin", "/api/v1/./admin"), url + "%20"];
        using var garbage = App.WithKey("cms_not-a-key");
        using var bearer = App.WithBearer("");
        var sent = 0;
        var unauthorised = new List<string>();
        foreach (var (method, route) in routes)
        {
            foreach (var url in Variants(route.Replace("{id}", "1")))
            {
                foreach (var client in new[] { App.Client, garbage, bearer })
                {
                    using var res = await Given.SendAsync(client, new HttpMethod(method), url, method is "POST" or "PUT" or "PATCH" ? "{}" : null, "*");
                    sent++;
                    if (res.IsSuccessStatusCode)
                        unauthorised.Add($"{method} {url}: {(int)res.StatusCode}");
                }
            }
        }
        Report.Row("auth sweep", $"{routes.Count} staff routes × 7 path variants × 3 callers without a valid key = {sent} requests, {unauthorised.Count} answers of 2xx",
            "0 unauthenticated 2xx", unauthorised.Count == 0);
        Assert.That(unauthorised, Is.Empty);
    }

    [Test]
    public async Task Hostile_content_keeps_every_feed_valid_for_readers()
    {
        var col = await Columns.NewListColumnAsync();
        string[] hostile =
        [
            "<img src=x onerror=alert(1)>", "<!DOCTYPE x [<!ENTITY a \"b\">]>", "]]><script>x</script>", "&amp;&lt;&#0;&#x1F600;", "\u202e反向 RTL",
            "😀🇨🇳 emoji", "<![CDATA[x]]>", "\"'<>&", "javascript:alert(1)", "a\u2028b\u2029c",
        ];
        foreach (var h in hostile)
        {
            var body = System.Text.Json.JsonSerializer.SerializeToNode(Given.ArticleBody(categoryId: col.Id, title: h, bodyHtml: $"<p>{System.Net.WebUtility.HtmlEncode(h)}</p>"), ApiJson.Options)!.AsObject();
            body["summary"] = h;
            body["author"] = h;
            await Given.PublishedAsync(body);
        }
        var lint = 0;
        var bozo = 0;
        foreach (var file in new[] { "rss.xml", "atom.xml" })
        {
            var xml = await App.Client.GetByteArrayAsync($"/feeds/{col.Code}/{file}");
            var path = Path.Combine(Path.GetTempPath(), $"cms-hostile-{Guid.NewGuid():N}.xml");
            await File.WriteAllBytesAsync(path, xml);
            try
            {
                if (Feeds.FeedTests.Run("xmllint", "--noout", path).Code != 0)
                    lint++;
                var parsed = JsonNode.Parse(Feeds.FeedTests.Run("/usr/bin/python3", Path.Combine(Repo.Root, "tests", "Feeds", "feedcheck.py"), path).Out)!;
                if (parsed["bozo"]!.GetValue<int>() != 0)
                    bozo++;
            }
            finally
            {
                File.Delete(path);
            }
        }
        Report.Row("hostile feed content", $"{hostile.Length} hostile titles, summaries and authors in RSS and Atom: {lint} xmllint errors, {bozo} feedparser bozo", "0, bozo 0",
            lint == 0 && bozo == 0);
        Assert.That(lint + bozo, Is.Zero);
    }
}
