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

    private static async Task<string> CacheState(string url, HttpClient? client = null)
    {
        using var res = await (client ?? App.Client).GetAsync(url);
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK), url);
        return res.Headers.GetValues("X-Cache").Single();
    }

    private static async Task WarmAsync(params string[] urls)
    {
        foreach (var url in urls)
        {
            await App.Client.GetAsync(url);
            Assert.That(await CacheState(url), Is.EqualTo("hit"), url);
        }
    }

    [Test]
    public async Task Anonymous_unknown_and_failed_writes_evict_nothing()
    {
        var col = await Columns.NewListColumnAsync();
        await Given.PublishedAsync(Given.ArticleBody(categoryId: col.Id));
        var url = $"/api/v1/articles?category={col.Code}";
        await WarmAsync(url, "/api/v1/site");
        (await App.Client.PostAsync("/api/v1/admin/x", null)).Dispose();                                   // anonymous, no such route
        (await App.Client.PostAsync("/api/v1/admin/articles/1/publish", null)).Dispose();                  // anonymous
        (await App.Author.PostAsync("/api/v1/admin/articles/1/publish", null)).Dispose();                  // refused: 403
        (await App.Editor.PostAsJsonAsync("/api/v1/admin/articles", new { title = "" })).Dispose();        // invalid: 400
        (await App.Editor.PostAsJsonAsync("/api/v1/admin/x", new { })).Dispose();                          // no such route
        Assert.That(await CacheState(url), Is.EqualTo("hit"));
        Assert.That(await CacheState("/api/v1/site"), Is.EqualTo("hit"));
    }

    [Test]
    public async Task An_edit_to_one_article_evicts_what_shows_it_and_nothing_else()
    {
        var colA = await Columns.NewListColumnAsync();
        var colB = await Columns.NewListColumnAsync();
        var word = "缓" + Guid.NewGuid().ToString("N")[..6];
        var a = await Given.PublishedAsync(Given.ArticleBody(categoryId: colA.Id, title: "甲栏目文章"));
        var b = await Given.PublishedAsync(Given.ArticleBody(categoryId: colB.Id, title: word + "乙栏目文章"));
        string pageA = $"/api/v1/articles/{a.Slug}", pageB = $"/api/v1/articles/{b.Slug}", listA = $"/api/v1/articles?category={colA.Code}",
            listB = $"/api/v1/articles?category={colB.Code}", searchB = "/api/v1/search?q=" + Uri.EscapeDataString(word),
            feedB = $"/feeds/{colB.Code}/rss.xml", focus = "/api/v1/focus-items", partners = "/api/v1/partners";
        await WarmAsync(pageA, pageB, listA, listB, searchB, feedB, focus, partners);

        var patch = await Given.SendAsync(App.Editor, HttpMethod.Patch, $"/api/v1/admin/articles/{a.Id}", "{\"title\":\"甲栏目文章(改)\"}",
            IfMatch.ETag(a.Version), "application/merge-patch+json");
        Assert.That(patch.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        Assert.That(await CacheState(pageA), Is.EqualTo("miss"), "its page");
        Assert.That(await CacheState(listA), Is.EqualTo("miss"), "its column's list");
        foreach (var other in new[] { pageB, listB, searchB, feedB, partners })
            Assert.That(await CacheState(other), Is.EqualTo("hit"), other);
        Assert.That((await App.Client.GetStringAsync(pageA)), Does.Contain("甲栏目文章(改)"));
    }

    [Test]
    public async Task A_publish_evicts_its_columns_lists_and_searches_it_enters_but_not_other_columns()
    {
        var colA = await Columns.NewListColumnAsync();
        var colB = await Columns.NewListColumnAsync();
        var word = "发" + Guid.NewGuid().ToString("N")[..6];
        var other = "别" + Guid.NewGuid().ToString("N")[..6];
        await Given.PublishedAsync(Given.ArticleBody(categoryId: colB.Id, title: other));
        string listA = $"/api/v1/articles?category={colA.Code}", listB = $"/api/v1/articles?category={colB.Code}",
            siteList = "/api/v1/articles?pageSize=5", searchNew = "/api/v1/search?q=" + Uri.EscapeDataString(word),
            searchOther = "/api/v1/search?q=" + Uri.EscapeDataString(other);
        await WarmAsync(listA, listB, siteList, searchNew, searchOther);

        var draft = await Given.DraftAsync(App.Editor, Given.ArticleBody(categoryId: colA.Id, title: word));
        foreach (var url in new[] { listA, listB, siteList, searchNew, searchOther })
            Assert.That(await CacheState(url), Is.EqualTo("hit"), "a draft changes nothing public: " + url);

        (await App.Editor.PostAsync($"/api/v1/admin/articles/{draft.Id}/publish", null)).EnsureSuccessStatusCode();
        Assert.That(await CacheState(listA), Is.EqualTo("miss"));
        Assert.That(await CacheState(siteList), Is.EqualTo("miss"));
        Assert.That(await CacheState(searchNew), Is.EqualTo("miss"), "a search the article now matches");
        Assert.That(await CacheState(listB), Is.EqualTo("hit"), "another column");
        Assert.That(await CacheState(searchOther), Is.EqualTo("hit"), "an unrelated search");
        Assert.That(await App.Client.GetStringAsync(searchNew), Does.Contain(draft.Slug));
    }

    [Test]
    public async Task A_change_logged_by_another_process_evicts_within_a_second_or_two()
    {
        var col = await Columns.NewListColumnAsync();
        var a = await Given.PublishedAsync(Given.ArticleBody(categoryId: col.Id, title: "别的进程"));
        var page = $"/api/v1/articles/{a.Slug}";
        await WarmAsync(page);
        using (var conn = TestStore.Open(App.DbPath))
        {
            if (conn is Microsoft.Data.Sqlite.SqliteConnection sqlite)
                global::Cms.Api.Data.Db.AddFunctions(sqlite);
            using var tx = conn.BeginTransaction();
            Dapper.SqlMapper.Execute(conn, """
                UPDATE articles SET title = '别的进程改过', version = version + 1 WHERE id = @id;
                INSERT INTO changes (entity, entity_id, op, slug, at, tags) VALUES ('article', @id, 'upsert', @slug, '2026-01-01T00:00:00.000Z', 'article:' || @id || ' public');
                """, new { id = a.Id, slug = a.Slug }, tx);
            tx.Commit();
        }
        for (var i = 0; i < 30 && await CacheState(page) == "hit"; i++)
            await Task.Delay(100);
        Assert.That(await App.Client.GetStringAsync(page), Does.Contain("别的进程改过"));
    }

    [Test]
    public async Task A_search_with_many_pages_stays_cached_until_an_article_that_may_be_in_it_changes()
    {
        var word = "广" + Guid.NewGuid().ToString("N")[..6];
        var members = new List<AdminArticle>();
        for (var i = 0; i < 22; i++)
            members.Add(await Given.PublishedAsync(Given.ArticleBody(title: $"{word} 第{i}篇")));
        var search = "/api/v1/search?q=" + Uri.EscapeDataString(word);
        await WarmAsync(search);
        await Given.PublishedAsync(Given.ArticleBody(title: "与之无关的新文章"));
        Assert.That(await CacheState(search), Is.EqualTo("hit"), "a new article without the word cannot enter it");
        var off = await App.Editor.PostAsync($"/api/v1/admin/articles/{members[0].Id}/offline", null);
        off.EnsureSuccessStatusCode();
        Assert.That(await CacheState(search), Is.EqualTo("miss"), "one of its articles left, perhaps from a later page");
    }

    [Test]
    public async Task Concurrent_misses_for_one_address_are_computed_once()
    {
        var word = "并" + Guid.NewGuid().ToString("N")[..6];
        await Given.PublishedAsync(Given.ArticleBody(title: word));
        var url = "/api/v1/search?q=" + Uri.EscapeDataString(word);
        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            using var res = await App.Client.GetAsync(url);
            return (res.StatusCode, Cache: res.Headers.GetValues("X-Cache").Single(), Body: await res.Content.ReadAsStringAsync());
        }));
        Assert.That(answers.Select(a => a.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(answers.Count(a => a.Cache == "miss"), Is.EqualTo(1), "the others waited for the first");
        Assert.That(answers.Select(a => a.Body).Distinct().Count(), Is.EqualTo(1));
    }
}
