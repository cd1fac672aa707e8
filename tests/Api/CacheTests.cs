using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cms.Api.Features.Articles;
using Cms.Api.Http;

namespace Cms.Tests.Api;

/// <summary>The public cache: served from memory until a write, and a write shows on the very next request.</summary>
[TestFixture]
public sealed class CacheTests
{
    [Test]
    public async Task Second_read_is_a_cache_hit_with_the_same_etag()
    {
        var col = await Columns.NewListColumnAsync();
        var first = await App.Client.GetAsync($"/api/v1/articles?category={col.Code}");
        var second = await App.Client.GetAsync($"/api/v1/articles?category={col.Code}");
        Assert.That(first.Headers.GetValues("X-Cache").Single(), Is.EqualTo("miss"));
        Assert.That(second.Headers.GetValues("X-Cache").Single(), Is.EqualTo("hit"));
        Assert.That(second.Headers.ETag, Is.EqualTo(first.Headers.ETag));
        Assert.That(await second.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
    }

    [Test]
    public async Task A_publish_shows_on_the_next_request_with_a_new_etag()
    {
        var col = await Columns.NewListColumnAsync();
        string[] urls = [$"/api/v1/articles?category={col.Code}", $"/feeds/{col.Code}/rss.xml", "/api/v1/search?q=" + Uri.EscapeDataString("缓存测试" + col.Code[1..5])];
        var before = new Dictionary<string, (string Body, EntityTagHeaderValue? ETag)>();
        foreach (var url in urls)
        {
            await App.Client.GetAsync(url);
            var cached = await App.Client.GetAsync(url);
            Assert.That(cached.Headers.GetValues("X-Cache").Single(), Is.EqualTo("hit"), url);
            before[url] = (await cached.Content.ReadAsStringAsync(), cached.Headers.ETag);
        }
        var a = await Given.PublishedAsync(Given.ArticleBody(categoryId: col.Id, title: "缓存测试" + col.Code[1..5]));
        foreach (var url in urls)
        {
            var res = await App.Client.GetAsync(url);
            var body = await res.Content.ReadAsStringAsync();
            Assert.That(body, Does.Contain("缓存测试" + col.Code[1..5]), url);
            Assert.That(res.Headers.ETag, Is.Not.EqualTo(before[url].ETag), url);
        }
        (await App.Editor.PostAsync($"/api/v1/admin/articles/{a.Id}/offline", null)).EnsureSuccessStatusCode();
        foreach (var url in urls)
            Assert.That(await App.Client.GetStringAsync(url), Does.Not.Contain("缓存测试" + col.Code[1..5]), url);
    }

    [Test]
    public async Task Staff_reads_are_never_cached_and_anonymous_answers_never_hold_drafts()
    {
        var draft = await Given.DraftAsync();
        var staff = await App.Editor.GetAsync($"/api/v1/admin/articles/{draft.Id}");
        Assert.That(staff.Headers.Contains("X-Cache"), Is.False);
        Assert.That(staff.Headers.CacheControl?.NoStore, Is.True);
        var withKey = await App.Editor.GetAsync($"/api/v1/articles/{draft.Slug}");
        Assert.That(withKey.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the public API ignores keys");
        Assert.That((await App.Client.GetAsync($"/api/v1/articles/{draft.Slug}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task A_scheduled_article_appears_when_its_time_comes_without_any_write()
    {
        var col = await Columns.NewListColumnAsync();
        var url = $"/api/v1/articles?category={col.Code}";
        var a = await Given.PublishedAsync(Given.ArticleBody(categoryId: col.Id, publishAt: DateTimeOffset.UtcNow.AddSeconds(2).ToString("O")));
        var empty = await App.Client.GetFromJsonAsync<Paged<ArticleListItem>>(url, ApiJson.Options);
        Assert.That(empty!.Items, Is.Empty);
        await Task.Delay(3500);
        var shown = await App.Client.GetFromJsonAsync<Paged<ArticleListItem>>(url, ApiJson.Options);
        Assert.That(shown!.Items.Select(i => i.Id), Is.EqualTo(new[] { a.Id }));
    }
}
