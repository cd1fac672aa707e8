using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Cms.Api.Features.Articles;
using Cms.Api.Http;

namespace Cms.Tests.Api;

[TestFixture]
public sealed class ConcurrencyTests
{
    private static string Body(string title) => JsonSerializer.Serialize(new { categoryId = 2, title, bodyHtml = "<p>x</p>" });

    [Test]
    public async Task Second_editor_with_a_stale_etag_gets_412_and_the_first_edit_stays()
    {
        var a = await Given.DraftAsync();
        var etag = IfMatch.ETag(a.Version);
        var first = await Given.SendAsync(App.Editor, HttpMethod.Put, $"/api/v1/admin/articles/{a.Id}", Body("甲的修改"), etag);
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var second = await Given.SendAsync(App.Admin, HttpMethod.Put, $"/api/v1/admin/articles/{a.Id}", Body("乙的修改"), etag);
        await Problem.AssertAsync(second, HttpStatusCode.PreconditionFailed, "If-Match");
        var stored = await App.Editor.GetFromJsonAsync<AdminArticle>($"/api/v1/admin/articles/{a.Id}", ApiJson.Options);
        Assert.That(stored!.Title, Is.EqualTo("甲的修改"));
    }

    [Test]
    public async Task Update_and_delete_without_if_match_are_428()
    {
        var a = await Given.DraftAsync();
        await Problem.AssertAsync(await Given.SendAsync(App.Editor, HttpMethod.Put, $"/api/v1/admin/articles/{a.Id}", Body("x")),
            HttpStatusCode.PreconditionRequired, "If-Match");
        await Problem.AssertAsync(await Given.SendAsync(App.Editor, HttpMethod.Delete, $"/api/v1/admin/articles/{a.Id}"),
            HttpStatusCode.PreconditionRequired, "If-Match");
        var p = await App.Editor.PostAsJsonAsync("/api/v1/admin/partners", new { name = "伙伴" });
        var partner = JsonDocument.Parse(await p.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
        await Problem.AssertAsync(await Given.SendAsync(App.Editor, HttpMethod.Delete, $"/api/v1/admin/partners/{partner}"),
            HttpStatusCode.PreconditionRequired, "If-Match");
        await Problem.AssertAsync(await Given.SendAsync(App.Admin, HttpMethod.Put, "/api/v1/admin/settings", "{}"),
            HttpStatusCode.BadRequest);
    }

    [TestCase("W/\"v1\"", HttpStatusCode.PreconditionFailed)]
    [TestCase("\"v999\"", HttpStatusCode.PreconditionFailed)]
    [TestCase("v1", HttpStatusCode.BadRequest)]
    [TestCase("\"v9\", \"v1\"", HttpStatusCode.OK)]
    [TestCase("*", HttpStatusCode.OK)]
    public async Task If_match_forms(string header, HttpStatusCode expected)
    {
        var a = await Given.DraftAsync();
        Assert.That(a.Version, Is.EqualTo(1));
        var res = await Given.SendAsync(App.Editor, HttpMethod.Put, $"/api/v1/admin/articles/{a.Id}", Body("y"), header);
        Assert.That(res.StatusCode, Is.EqualTo(expected), await res.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Fifty_parallel_updates_with_one_etag_give_one_200_and_49_412()
    {
        var a = await Given.DraftAsync();
        var etag = IfMatch.ETag(a.Version);
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Given.SendAsync(App.Editor, HttpMethod.Put, $"/api/v1/admin/articles/{a.Id}", Body($"并发{i}"), etag)));
        Assert.That(results.Count(r => r.StatusCode == HttpStatusCode.OK), Is.EqualTo(1));
        Assert.That(results.Count(r => r.StatusCode == HttpStatusCode.PreconditionFailed), Is.EqualTo(49));
        var stored = await App.Editor.GetFromJsonAsync<AdminArticle>($"/api/v1/admin/articles/{a.Id}", ApiJson.Options);
        Assert.That(stored!.Version, Is.EqualTo(a.Version + 1));
    }

    [Test]
    public async Task Public_gets_carry_a_strong_etag_and_answer_304()
    {
        foreach (var url in new[] { "/api/v1/articles/2021-cczg-mayors-forum", "/api/v1/articles", "/api/v1/site", "/api/v1/categories", "/api/v1/categories/c", "/api/v1/leadership-messages/current" })
        {
            var res = await App.Client.GetAsync(url);
            Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK), url);
            var etag = res.Headers.ETag;
            Assert.That(etag, Is.Not.Null, url);
            Assert.That(etag!.IsWeak, Is.False, url);
            Assert.That(res.Headers.CacheControl?.Public, Is.True, url);
            var again = new HttpRequestMessage(HttpMethod.Get, url);
            again.Headers.IfNoneMatch.Add(etag);
            var cached = await App.Client.SendAsync(again);
            Assert.That(cached.StatusCode, Is.EqualTo(HttpStatusCode.NotModified), url);
            Assert.That(await cached.Content.ReadAsByteArrayAsync(), Is.Empty);
            Assert.That(cached.Headers.ETag, Is.EqualTo(etag));
        }
    }

    [Test]
    public async Task A_publish_changes_the_etag_of_the_list()
    {
        var col = await Columns.NewListColumnAsync();
        var before = (await App.Client.GetAsync($"/api/v1/articles?category={col.Code}")).Headers.ETag;
        await Given.PublishedAsync(Given.ArticleBody(categoryId: col.Id));
        var req = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/articles?category={col.Code}");
        req.Headers.IfNoneMatch.Add(before!);
        var after = await App.Client.SendAsync(req);
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(after.Headers.ETag, Is.Not.EqualTo(before));
    }

    [Test]
    public async Task Staff_responses_are_never_stored_by_caches()
    {
        var res = await App.Editor.GetAsync("/api/v1/admin/articles");
        Assert.That(res.Headers.CacheControl?.NoStore, Is.True);
        Assert.That(res.Headers.ETag, Is.Null);
    }

    [Test]
    public async Task Every_response_has_nosniff_and_json_has_a_deny_all_csp()
    {
        var res = await App.Client.GetAsync("/api/v1/site");
        Assert.That(res.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
        Assert.That(string.Join(";", res.Headers.GetValues("Content-Security-Policy")), Does.Contain("default-src 'none'").And.Contain("frame-ancestors 'none'"));
        Assert.That(res.Content.Headers.ContentType, Is.EqualTo(MediaTypeHeaderValue.Parse("application/json; charset=utf-8")));
    }
}
