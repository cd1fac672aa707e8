using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cms.Api.Features.Articles;
using Cms.Api.Http;

namespace Cms.Tests.Api;

[TestFixture]
public sealed class ArticlesTests
{
    [Test]
    public async Task Seed_article_is_served_by_slug_with_its_column_breadcrumb_and_legacy_address()
    {
        var a = await App.Client.GetFromJsonAsync<PublicArticle>("/api/v1/articles/2021-cczg-mayors-forum", ApiJson.Options);
        Assert.That(a!.Title, Is.EqualTo(Given.SeedTitle));
        Assert.That(a.Category.Name, Is.EqualTo("工作动态"));
        Assert.That(a.Breadcrumb.Select(b => b.Name), Is.EqualTo(new[] { "工作动态" }));
        Assert.That(a.LegacyPath, Is.EqualTo("/article/c/202105/20210503064097.shtml"));
        Assert.That(a.ArticleTypeLabel, Is.EqualTo("原创"));
        Assert.That(a.Source, Is.EqualTo("商务部投资促进事务局"));
        Assert.That(a.Tags, Is.EqualTo(new[] { "中博会", "产城中国", "市长论坛" }));
    }

    [Test]
    public async Task Seed_article_body_is_the_demo_content_byte_for_byte()
    {
        var demo = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Root, "api", "Data", "demo-content.json")));
        var expected = demo.RootElement.GetProperty("articles")[0];
        var bytes = await App.Client.GetByteArrayAsync("/api/v1/articles/legacy/20210503064097");
        var got = JsonDocument.Parse(bytes).RootElement;
        Assert.That(got.GetProperty("title").GetString(), Is.EqualTo(expected.GetProperty("title").GetString()));
        Assert.That(got.GetProperty("bodyHtml").GetString(), Is.EqualTo(expected.GetProperty("bodyHtml").GetString()));
        Assert.That(got.GetProperty("bodyHtml").GetString()!.Split("<p>").Length - 1, Is.EqualTo(7));
        // Chinese is sent as UTF-8, not as \u escapes
        Assert.That(System.Text.Encoding.UTF8.GetString(bytes), Does.Contain("“产城融合•场景营城”"));
    }

    [Test]
    public async Task Seed_article_is_reachable_by_id()
    {
        var a = await App.Client.GetFromJsonAsync<PublicArticle>("/api/v1/articles/1", ApiJson.Options);
        Assert.That(a!.Slug, Is.EqualTo("2021-cczg-mayors-forum"));
    }

    [Test]
    public async Task Chinese_text_round_trips_byte_exact()
    {
        const string title = "“产城融合•场景营城”——2021中博会•产城中国市长论坛:全角,标点;测试!😀";
        const string body = "<p>“中部崛起”——投资驱动、城市发展;《2021产城中国白皮书》• 100%。</p>";
        var created = await Given.PublishedAsync(Given.ArticleBody(title: title, bodyHtml: body));
        var got = await App.Client.GetFromJsonAsync<PublicArticle>($"/api/v1/articles/{created.Slug}", ApiJson.Options);
        Assert.That(got!.Title, Is.EqualTo(title));
        Assert.That(got.BodyHtml, Is.EqualTo(body));
    }

    [Test]
    public async Task Unknown_slug_is_404_problem()
    {
        var res = await App.Client.GetAsync("/api/v1/articles/no-such-article");
        await Problem.AssertAsync(res, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task List_puts_pinned_first_then_newest_and_counts_pages()
    {
        var code = await Columns.NewListColumnAsync();
        var old = await Given.PublishedAsync(Given.ArticleBody(categoryId: code.Id, publishAt: "2020-01-01T08:00:00+08:00"));
        var newer = await Given.PublishedAsync(Given.ArticleBody(categoryId: code.Id, publishAt: "2020-02-01T08:00:00+08:00"));
        var pinnedDraft = await Given.DraftAsync(App.Editor, new
        {
            slug = Given.Slug(), categoryId = code.Id, title = "置顶", bodyHtml = "<p>x</p>", isPinned = true, publishAt = "2019-01-01T00:00:00Z",
        });
        await App.Editor.PostAsync($"/api/v1/admin/articles/{pinnedDraft.Id}/publish", null);

        var page = await App.Client.GetFromJsonAsync<Paged<ArticleListItem>>($"/api/v1/articles?category={code.Code}&pageSize=2", ApiJson.Options);
        Assert.That(page!.Items.Select(i => i.Id), Is.EqualTo(new[] { pinnedDraft.Id, newer.Id }));
        Assert.That(page.Page.TotalItems, Is.EqualTo(3));
        Assert.That(page.Page.TotalPages, Is.EqualTo(2));
        var second = await App.Client.GetFromJsonAsync<Paged<ArticleListItem>>($"/api/v1/articles?category={code.Code}&pageSize=2&page=2", ApiJson.Options);
        Assert.That(second!.Items.Select(i => i.Id), Is.EqualTo(new[] { old.Id }));
    }

    [Test]
    public async Task Column_filter_includes_sub_columns_and_topic_listings()
    {
        var parent = await Columns.NewListColumnAsync();
        var child = await Columns.NewListColumnAsync(parent.Id);
        var topic = await Columns.NewListColumnAsync();
        var inChild = await Given.PublishedAsync(Given.ArticleBody(categoryId: child.Id));
        var alsoInTopic = await Given.PublishedAsync(Given.ArticleBody(categoryId: 2, extraCategoryIds: [topic.Id]));

        var underParent = await App.Client.GetFromJsonAsync<Paged<ArticleListItem>>($"/api/v1/articles?category={parent.Code}", ApiJson.Options);
        Assert.That(underParent!.Items.Select(i => i.Id), Is.EqualTo(new[] { inChild.Id }));
        var inTopic = await App.Client.GetFromJsonAsync<Paged<ArticleListItem>>($"/api/v1/articles?category={topic.Code}", ApiJson.Options);
        Assert.That(inTopic!.Items.Select(i => i.Id), Is.EqualTo(new[] { alsoInTopic.Id }));
    }

    [Test]
    public async Task Type_tag_and_date_filters_narrow_the_list()
    {
        var col = await Columns.NewListColumnAsync();
        var tag = "标签" + Guid.NewGuid().ToString("N")[..6];
        var reprint = await Given.PublishedAsync(Given.ArticleBody(categoryId: col.Id, articleType: "reprint", source: "新华社",
            tags: [tag], publishAt: "2021-05-21T23:30:00+08:00"));
        await Given.PublishedAsync(Given.ArticleBody(categoryId: col.Id, publishAt: "2021-05-22T00:30:00+08:00"));

        async Task<long[]> Ids(string q) =>
            (await App.Client.GetFromJsonAsync<Paged<ArticleListItem>>($"/api/v1/articles?category={col.Code}&{q}", ApiJson.Options))!
                .Items.Select(i => i.Id).ToArray();

        Assert.That(await Ids("type=reprint"), Is.EqualTo(new[] { reprint.Id }));
        Assert.That(await Ids($"tag={Uri.EscapeDataString(tag)}"), Is.EqualTo(new[] { reprint.Id }));
        // days are Beijing days: 23:30 on the 21st is the 21st
        Assert.That(await Ids("from=2021-05-21&to=2021-05-21"), Is.EqualTo(new[] { reprint.Id }));
        Assert.That(await Ids("from=2021-05-22"), Has.Length.EqualTo(1).And.No.Member(reprint.Id));
    }

    [Test]
    public async Task Previous_and_next_follow_publish_order_within_the_column()
    {
        var col = await Columns.NewListColumnAsync();
        var a = await Given.PublishedAsync(Given.ArticleBody(categoryId: col.Id, publishAt: "2021-01-01T00:00:00Z"));
        var b = await Given.PublishedAsync(Given.ArticleBody(categoryId: col.Id, publishAt: "2021-01-02T00:00:00Z"));
        var c = await Given.PublishedAsync(Given.ArticleBody(categoryId: col.Id, publishAt: "2021-01-03T00:00:00Z"));
        var got = await App.Client.GetFromJsonAsync<PublicArticle>($"/api/v1/articles/{b.Slug}", ApiJson.Options);
        Assert.That(got!.Previous?.Id, Is.EqualTo(a.Id));
        Assert.That(got.Next?.Id, Is.EqualTo(c.Id));
    }

    [Test]
    public async Task Draft_offline_and_future_articles_never_appear_in_public_responses()
    {
        var col = await Columns.NewListColumnAsync();
        var marker = "隐" + Guid.NewGuid().ToString("N")[..8];
        var draft = await Given.DraftAsync(App.Editor, Given.ArticleBody(categoryId: col.Id, title: marker + "草稿", tags: [marker]));
        var future = await Given.PublishedAsync(Given.ArticleBody(categoryId: col.Id, title: marker + "将来", tags: [marker], publishAt: "2999-01-01T00:00:00Z"));
        var offline = await Given.PublishedAsync(Given.ArticleBody(categoryId: col.Id, title: marker + "下线", tags: [marker]));
        (await App.Editor.PostAsync($"/api/v1/admin/articles/{offline.Id}/offline", null)).EnsureSuccessStatusCode();
        var legacy = await Given.DraftAsync(App.Editor, new { slug = Given.Slug(), legacyId = "20990101000001", categoryId = col.Id, title = marker, bodyHtml = "<p>x</p>" });

        string[] urls =
        [
            "/api/v1/articles", $"/api/v1/articles?category={col.Code}", $"/api/v1/articles?tag={Uri.EscapeDataString(marker)}",
            $"/api/v1/articles?category={col.Code}&from=1970-01-01&to=2999-12-31&pageSize=100", "/api/v1/articles?type=original&pageSize=100",
            $"/api/v1/categories/{col.Code}", "/api/v1/site", "/api/v1/focus-items",
        ];
        foreach (var url in urls)
        {
            var text = await App.Client.GetStringAsync(url);
            Assert.That(text, Does.Not.Contain(marker), url);
        }
        foreach (var a in new[] { draft, future, offline })
        {
            Assert.That((await App.Client.GetAsync($"/api/v1/articles/{a.Slug}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await App.Client.GetAsync($"/api/v1/articles/{a.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }
        Assert.That((await App.Client.GetAsync("/api/v1/articles/legacy/20990101000001")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(legacy.LegacyId, Is.EqualTo("20990101000001"));
    }

    [Test]
    public async Task Publishing_shows_an_article_and_taking_it_offline_hides_it()
    {
        var draft = await Given.DraftAsync();
        Assert.That((await App.Client.GetAsync($"/api/v1/articles/{draft.Slug}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var published = await (await App.Editor.PostAsync($"/api/v1/admin/articles/{draft.Id}/publish", null)).Content.ReadFromJsonAsync<AdminArticle>(ApiJson.Options);
        Assert.That(published!.Status, Is.EqualTo(ArticleStatus.Published));
        Assert.That(published.PublishAt, Is.Not.Null);
        Assert.That((await App.Client.GetAsync($"/api/v1/articles/{draft.Slug}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        (await App.Editor.PostAsync($"/api/v1/admin/articles/{draft.Id}/offline", null)).EnsureSuccessStatusCode();
        Assert.That((await App.Client.GetAsync($"/api/v1/articles/{draft.Slug}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task A_published_article_cannot_be_deleted_until_taken_offline()
    {
        var a = await Given.PublishedAsync();
        var res = await Given.SendAsync(App.Editor, HttpMethod.Delete, $"/api/v1/admin/articles/{a.Id}", ifMatch: IfMatch.ETag(a.Version));
        await Problem.AssertAsync(res, HttpStatusCode.Conflict, "status");
        var off = await (await App.Editor.PostAsync($"/api/v1/admin/articles/{a.Id}/offline", null)).Content.ReadFromJsonAsync<AdminArticle>(ApiJson.Options);
        res = await Given.SendAsync(App.Editor, HttpMethod.Delete, $"/api/v1/admin/articles/{a.Id}", ifMatch: IfMatch.ETag(off!.Version));
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await App.Editor.GetAsync($"/api/v1/admin/articles/{a.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Create_returns_201_with_location_etag_and_what_was_stored()
    {
        var slug = Given.Slug();
        var res = await App.Author.PostAsJsonAsync("/api/v1/admin/articles", new
        {
            slug, categoryId = 2, title = "新建", bodyHtml = "<p>正文</p>", tags = new[] { "甲", "乙" },
            attachments = new[] { new { url = "/uploads/a.pdf", name = "附件.pdf", size = 10 } },
            coverImage = new { url = "/uploads/c.jpg", alt = "封面" }, extraCategoryIds = new[] { 8 },
        });
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var a = (await res.Content.ReadFromJsonAsync<AdminArticle>(ApiJson.Options))!;
        Assert.That(res.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/admin/articles/{a.Id}"));
        Assert.That(res.Headers.ETag?.Tag, Is.EqualTo("\"v1\""));
        Assert.That(res.Headers.CacheControl?.NoStore, Is.True);
        Assert.That(a.Status, Is.EqualTo(ArticleStatus.Draft));
        Assert.That(a.Slug, Is.EqualTo(slug));
        Assert.That(a.Tags, Is.EqualTo(new[] { "甲", "乙" }));
        Assert.That(a.Attachments.Single().Mime, Is.EqualTo("application/pdf"));
        Assert.That(a.CoverImage!.Alt, Is.EqualTo("封面"));
        Assert.That(a.ExtraCategories.Single().Code, Is.EqualTo("zt_cczg"));
    }

    [Test]
    public async Task A_slug_is_generated_when_none_is_given()
    {
        var a = await Given.DraftAsync(App.Editor, new { categoryId = 2, title = "无别名", bodyHtml = "<p>x</p>" });
        Assert.That(a.Slug, Does.Match(TextRules.SlugPattern).And.Match("[a-z]"));
    }

    [Test]
    public async Task Update_replaces_fields_and_bumps_the_version()
    {
        var a = await Given.DraftAsync();
        var res = await Given.SendAsync(App.Editor, HttpMethod.Put, $"/api/v1/admin/articles/{a.Id}",
            JsonSerializer.Serialize(new { categoryId = 3, title = "改后的标题", bodyHtml = "<p>新正文</p>", tags = new[] { "新" } }),
            IfMatch.ETag(a.Version));
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK), await res.Content.ReadAsStringAsync());
        var updated = (await res.Content.ReadFromJsonAsync<AdminArticle>(ApiJson.Options))!;
        Assert.That(updated.Id, Is.EqualTo(a.Id));
        Assert.That(updated.Slug, Is.EqualTo(a.Slug), "a missing slug keeps the old one");
        Assert.That(updated.Title, Is.EqualTo("改后的标题"));
        Assert.That(updated.Category.Code, Is.EqualTo("tzgg"));
        Assert.That(updated.Tags, Is.EqualTo(new[] { "新" }));
        Assert.That(updated.Version, Is.EqualTo(a.Version + 1));
        Assert.That(res.Headers.ETag?.Tag, Is.EqualTo(IfMatch.ETag(a.Version + 1)));
    }

    [Test]
    public async Task Duplicate_slug_and_legacy_id_are_409_naming_the_field()
    {
        var a = await Given.DraftAsync(App.Editor, new { slug = Given.Slug(), legacyId = "20200101" + Random.Shared.Next(100000, 999999), categoryId = 2, title = "x", bodyHtml = "<p>x</p>" });
        var before = Rows.Count();
        var res = await App.Editor.PostAsJsonAsync("/api/v1/admin/articles", Given.ArticleBody(slug: a.Slug));
        await Problem.AssertAsync(res, HttpStatusCode.Conflict, "slug");
        res = await App.Editor.PostAsJsonAsync("/api/v1/admin/articles", new { legacyId = a.LegacyId, categoryId = 2, title = "y", bodyHtml = "<p>y</p>" });
        await Problem.AssertAsync(res, HttpStatusCode.Conflict, "legacyId");
        Assert.That(Rows.Count(), Is.EqualTo(before));
    }

    [Test]
    public async Task Parallel_creates_with_one_slug_give_one_201_and_the_rest_409()
    {
        var slug = Given.Slug();
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            App.Editor.PostAsJsonAsync("/api/v1/admin/articles", Given.ArticleBody(slug: slug))));
        Assert.That(results.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(1));
        Assert.That(results.Count(r => r.StatusCode == HttpStatusCode.Conflict), Is.EqualTo(19));
    }

    [Test]
    public async Task Admin_list_shows_drafts_and_filters_by_status()
    {
        var draft = await Given.DraftAsync();
        var page = await App.Editor.GetFromJsonAsync<Paged<AdminArticleListItem>>("/api/v1/admin/articles?status=draft&pageSize=100", ApiJson.Options);
        Assert.That(page!.Items.Select(i => i.Id), Has.Member(draft.Id));
        Assert.That(page.Items.Select(i => i.Status), Is.All.EqualTo(ArticleStatus.Draft));
    }

    [Test]
    public async Task Authors_see_and_change_only_their_own_drafts()
    {
        var mine = await Given.DraftAsync(App.Author);
        var theirs = await Given.DraftAsync(App.OtherAuthor);
        var list = await App.Author.GetFromJsonAsync<Paged<AdminArticleListItem>>("/api/v1/admin/articles?pageSize=100", ApiJson.Options);
        Assert.That(list!.Items.Select(i => i.Id), Has.Member(mine.Id).And.No.Member(theirs.Id));

        Assert.That((await App.Author.GetAsync($"/api/v1/admin/articles/{theirs.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var put = await Given.SendAsync(App.Author, HttpMethod.Put, $"/api/v1/admin/articles/{theirs.Id}",
            JsonSerializer.Serialize(new { categoryId = 2, title = "偷改", bodyHtml = "<p>x</p>" }), IfMatch.ETag(theirs.Version));
        await Problem.AssertAsync(put, HttpStatusCode.Forbidden);
        var del = await Given.SendAsync(App.Author, HttpMethod.Delete, $"/api/v1/admin/articles/{theirs.Id}", ifMatch: IfMatch.ETag(theirs.Version));
        await Problem.AssertAsync(del, HttpStatusCode.Forbidden);

        // once an editor publishes it, the author may no longer change it
        (await App.Editor.PostAsync($"/api/v1/admin/articles/{mine.Id}/publish", null)).EnsureSuccessStatusCode();
        var current = (await App.Author.GetFromJsonAsync<AdminArticle>($"/api/v1/admin/articles/{mine.Id}", ApiJson.Options))!;
        put = await Given.SendAsync(App.Author, HttpMethod.Put, $"/api/v1/admin/articles/{mine.Id}",
            JsonSerializer.Serialize(new { categoryId = 2, title = "改", bodyHtml = "<p>x</p>" }), IfMatch.ETag(current.Version));
        await Problem.AssertAsync(put, HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task Bearer_header_works_like_x_api_key()
    {
        using var c = App.WithBearer(App.EditorKey);
        Assert.That((await c.GetAsync("/api/v1/admin/articles")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}

public static class Columns
{
    public static async Task<Cms.Api.Features.Categories.AdminCategory> NewListColumnAsync(long? parentId = null)
    {
        var code = "t" + Guid.NewGuid().ToString("N")[..10];
        var res = await App.Editor.PostAsJsonAsync("/api/v1/admin/categories", new { parentId, code, name = "测试栏目" + code, kind = "list" });
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.Created), await res.Content.ReadAsStringAsync());
        return (await res.Content.ReadFromJsonAsync<Cms.Api.Features.Categories.AdminCategory>(ApiJson.Options))!;
    }
}

public static class Repo
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Cms.sln")))
                dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Cms.sln not found above the test directory.");
        }
    }
}
