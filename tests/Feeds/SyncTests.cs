using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cms.Api.Features.Articles;
using Cms.Api.Http;
using Cms.Tests.Api;

namespace Cms.Tests.Feeds;

/// <summary>A partner's mirror, built only from /api/v1/sync, must end equal to the public content.</summary>
[TestFixture]
public sealed class SyncTests
{
    private sealed class Mirror
    {
        public Dictionary<(string Entity, long Id), JsonElement> Items { get; } = [];
        public string? Cursor { get; private set; }
        public int Pages { get; private set; }

        /// <summary>Applies one page; returns hasMore.</summary>
        public async Task<bool> PullAsync(int limit)
        {
            var url = "/api/v1/sync?limit=" + limit + (Cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(Cursor));
            var res = await App.Client.GetAsync(url);
            Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK), await res.Content.ReadAsStringAsync());
            var page = JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement;
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                var key = (item.GetProperty("entity").GetString()!, item.GetProperty("id").GetInt64());
                if (item.GetProperty("op").GetString() == "upsert")
                    Items[key] = item.GetProperty("data").Clone();
                else
                    Items.Remove(key);
            }
            Cursor = page.GetProperty("nextCursor").GetString();
            Pages++;
            return page.GetProperty("hasMore").GetBoolean();
        }

        public async Task CatchUpAsync(int limit)
        {
            for (var i = 0; i < 10_000 && await PullAsync(limit); i++)
            {
            }
        }

        public Dictionary<long, string> Articles() =>
            Items.Where(kv => kv.Key.Entity == "article").ToDictionary(kv => kv.Key.Id, kv => kv.Value.GetProperty("title").GetString()!);
    }

    private static async Task<Dictionary<long, string>> PublicArticlesAsync()
    {
        var result = new Dictionary<long, string>();
        for (var page = 1; ; page++)
        {
            var p = (await App.Client.GetFromJsonAsync<Paged<ArticleListItem>>($"/api/v1/articles?pageSize=100&page={page}", ApiJson.Options))!;
            foreach (var a in p.Items)
                result[a.Id] = a.Title;
            if (page >= p.Page.TotalPages)
                return result;
        }
    }

    [Test]
    public async Task A_mirror_applying_every_page_ends_with_exactly_the_public_content()
    {
        var mirror = new Mirror();
        var random = new Random(20210524);
        var live = new List<AdminArticle>();
        var steps = 0;
        // page through the snapshot and the change stream while editors keep working between pages
        while (await mirror.PullAsync(limit: 7) || steps < 40)
        {
            if (steps++ >= 40)
                continue;
            switch (random.Next(6))
            {
                case 0 or 1:
                    live.Add(await Given.PublishedAsync(Given.ArticleBody(title: $"镜像文章{steps}")));
                    break;
                case 2 when live.Count > 0:
                {
                    var a = live[random.Next(live.Count)];
                    var current = (await App.Editor.GetFromJsonAsync<AdminArticle>($"/api/v1/admin/articles/{a.Id}", ApiJson.Options))!;
                    var res = await Given.SendAsync(App.Editor, HttpMethod.Put, $"/api/v1/admin/articles/{a.Id}",
                        JsonSerializer.Serialize(new { categoryId = 2, title = $"镜像文章{steps}(修改)", bodyHtml = "<p>改</p>", slug = current.Slug, publishAt = current.PublishAt }),
                        IfMatch.ETag(current.Version));
                    Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                    break;
                }
                case 3 when live.Count > 0:
                {
                    var a = live[random.Next(live.Count)];
                    (await App.Editor.PostAsync($"/api/v1/admin/articles/{a.Id}/offline", null)).EnsureSuccessStatusCode();
                    break;
                }
                case 4 when live.Count > 0:
                {
                    var a = live[random.Next(live.Count)];
                    var off = (await (await App.Editor.PostAsync($"/api/v1/admin/articles/{a.Id}/offline", null)).Content.ReadFromJsonAsync<AdminArticle>(ApiJson.Options))!;
                    var del = await Given.SendAsync(App.Editor, HttpMethod.Delete, $"/api/v1/admin/articles/{a.Id}", ifMatch: IfMatch.ETag(off.Version));
                    Assert.That(del.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
                    live.Remove(a);
                    break;
                }
                default:
                    await Given.DraftAsync(App.Editor, Given.ArticleBody(title: $"镜像草稿{steps}"));
                    break;
            }
        }
        await mirror.CatchUpAsync(limit: 7);

        Assert.That(mirror.Articles(), Is.EquivalentTo(await PublicArticlesAsync()));
        var categories = JsonDocument.Parse(await App.Client.GetStringAsync("/api/v1/categories")).RootElement;
        var publicCategories = Flatten(categories).ToHashSet();
        Assert.That(mirror.Items.Keys.Where(k => k.Entity == "category").Select(k => k.Id).ToHashSet(), Is.EquivalentTo(publicCategories));
        var partners = JsonDocument.Parse(await App.Client.GetStringAsync("/api/v1/partners")).RootElement.EnumerateArray().Select(p => p.GetProperty("id").GetInt64());
        Assert.That(mirror.Items.Keys.Where(k => k.Entity == "partner").Select(k => k.Id), Is.EquivalentTo(partners));
        Assert.That(mirror.Items.ContainsKey(("settings", 1)), Is.True);
        TestContext.Out.WriteLine($"mirror: {mirror.Pages} pages, {mirror.Items.Count} items, {steps} edits between pages");
    }

    private static async Task<JsonElement> CreatedAsync(string url, object body)
    {
        var res = await App.Editor.PostAsJsonAsync(url, body);
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.Created), await res.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static string Canonical(JsonElement e) => JsonSerializer.Serialize(e);

    /// <summary>What the mirror holds of one entity, as JSON text by id.</summary>
    private static Dictionary<long, string> Of(Mirror m, string entity) =>
        m.Items.Where(kv => kv.Key.Entity == entity).ToDictionary(kv => kv.Key.Id, kv => Canonical(kv.Value));

    [Test]
    public async Task Every_entity_in_the_mirror_equals_its_public_representation_and_hidden_content_leaves_it()
    {
        var mirror = new Mirror();
        await mirror.CatchUpAsync(limit: 50);
        var tag = Guid.NewGuid().ToString("N")[..6];
        var article = await Given.PublishedAsync(Given.ArticleBody(title: "焦点文章" + tag));
        var partner = await CreatedAsync("/api/v1/admin/partners", new { name = "伙伴" + tag, url = "https://www.mofcom.gov.cn/" });
        var link = await CreatedAsync("/api/v1/admin/links", new { group = "政府网站", name = "链接" + tag, url = "https://www.gov.cn/" });
        var image = new { url = "/uploads/focus.jpg", alt = "焦点图" };
        var focusOnArticle = await CreatedAsync("/api/v1/admin/focus-items", new { title = "焦点" + tag, image, articleId = article.Id });
        var ending = await CreatedAsync("/api/v1/admin/focus-items", new { title = "将结束" + tag, image, linkUrl = "https://www.gov.cn/", endAt = DateTimeOffset.UtcNow.AddSeconds(2) });
        var disabled = await CreatedAsync("/api/v1/admin/focus-items", new { title = "停用" + tag, image, linkUrl = "https://www.gov.cn/", isEnabled = false });
        var message = await CreatedAsync("/api/v1/admin/leadership-messages", new
        {
            title = "致辞" + tag, leaderName = "局长", leaderTitle = "局长", excerpt = "摘要", bodyHtml = "<p>正文</p>", publishAt = DateTimeOffset.UtcNow.AddSeconds(2),
        });
        await mirror.CatchUpAsync(limit: 50);
        Assert.That(mirror.Items.ContainsKey(("partner", partner.GetProperty("id").GetInt64())), Is.True);
        Assert.That(mirror.Items.ContainsKey(("link", link.GetProperty("id").GetInt64())), Is.True);
        Assert.That(mirror.Items.ContainsKey(("focusItem", focusOnArticle.GetProperty("id").GetInt64())), Is.True);
        Assert.That(mirror.Items.ContainsKey(("focusItem", ending.GetProperty("id").GetInt64())), Is.True);
        Assert.That(mirror.Items.ContainsKey(("focusItem", disabled.GetProperty("id").GetInt64())), Is.False, "disabled");
        Assert.That(mirror.Items.ContainsKey(("leadershipMessage", message.GetProperty("id").GetInt64())), Is.False, "not yet published");

        // hidden without a write of their own (time, an article taken offline) or with one (disabled, deleted)
        var p = await App.Editor.GetAsync($"/api/v1/admin/partners/{partner.GetProperty("id").GetInt64()}");
        var put = await Given.SendAsync(App.Editor, HttpMethod.Put, $"/api/v1/admin/partners/{partner.GetProperty("id").GetInt64()}",
            JsonSerializer.Serialize(new { name = "伙伴" + tag, url = "https://www.mofcom.gov.cn/", isEnabled = false }), p.Headers.ETag!.Tag);
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
        var l = await App.Editor.GetAsync($"/api/v1/admin/links/{link.GetProperty("id").GetInt64()}");
        var del = await Given.SendAsync(App.Editor, HttpMethod.Delete, $"/api/v1/admin/links/{link.GetProperty("id").GetInt64()}", ifMatch: l.Headers.ETag!.Tag);
        Assert.That(del.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        (await App.Editor.PostAsync($"/api/v1/admin/articles/{article.Id}/offline", null)).EnsureSuccessStatusCode();
        await Task.Delay(2500);
        await mirror.CatchUpAsync(limit: 50);
        Assert.That(mirror.Items.ContainsKey(("partner", partner.GetProperty("id").GetInt64())), Is.False, "disabled partner");
        Assert.That(mirror.Items.ContainsKey(("link", link.GetProperty("id").GetInt64())), Is.False, "deleted link");
        Assert.That(mirror.Items.ContainsKey(("focusItem", focusOnArticle.GetProperty("id").GetInt64())), Is.False, "its article went offline");
        Assert.That(mirror.Items.ContainsKey(("focusItem", ending.GetProperty("id").GetInt64())), Is.False, "its time ended");
        Assert.That(mirror.Items.ContainsKey(("leadershipMessage", message.GetProperty("id").GetInt64())), Is.True, "its time came");

        // and what remains is exactly what the public endpoints show, field for field
        var focus = JsonDocument.Parse(await App.Client.GetStringAsync("/api/v1/focus-items")).RootElement.EnumerateArray()
            .ToDictionary(e => e.GetProperty("id").GetInt64(), Canonical);
        Assert.That(Of(mirror, "focusItem"), Is.EquivalentTo(focus));
        var partners = JsonDocument.Parse(await App.Client.GetStringAsync("/api/v1/partners")).RootElement.EnumerateArray()
            .ToDictionary(e => e.GetProperty("id").GetInt64(), Canonical);
        Assert.That(Of(mirror, "partner"), Is.EquivalentTo(partners));
        var links = JsonDocument.Parse(await App.Client.GetStringAsync("/api/v1/links")).RootElement.EnumerateArray()
            .SelectMany(g => g.GetProperty("links").EnumerateArray()).ToDictionary(e => e.GetProperty("id").GetInt64(), Canonical);
        Assert.That(Of(mirror, "link"), Is.EquivalentTo(links));
        foreach (var (id, data) in Of(mirror, "leadershipMessage"))
            Assert.That(data, Is.EqualTo(Canonical(JsonDocument.Parse(await App.Client.GetStringAsync($"/api/v1/leadership-messages/{id}")).RootElement)));
        foreach (var (id, data) in Of(mirror, "article").Take(20))
        {
            var slug = JsonDocument.Parse(data).RootElement.GetProperty("slug").GetString();
            var pub = JsonDocument.Parse(await App.Client.GetStringAsync($"/api/v1/articles/{slug}")).RootElement;
            // the page adds breadcrumb, previous, next and preview (false: not a preview address) to the article; everything else is the same
            Assert.That(pub.GetProperty("preview").GetBoolean(), Is.False);
            var trimmed = pub.EnumerateObject().Where(x => x.Name is not ("breadcrumb" or "previous" or "next" or "preview")).ToDictionary(x => x.Name, x => x.Value);
            Assert.That(data, Is.EqualTo(JsonSerializer.Serialize(trimmed)), slug);
        }
        foreach (var item in mirror.Items.Where(kv => kv.Key.Entity is "partner" or "link" or "focusItem"))
        {
            foreach (var staffField in new[] { "isEnabled", "version", "updatedAt", "startAt", "endAt" })
                Assert.That(item.Value.TryGetProperty(staffField, out _), Is.False, $"{item.Key}: {staffField}");
        }
    }

    private static IEnumerable<long> Flatten(JsonElement nodes) =>
        nodes.EnumerateArray().SelectMany(n => Flatten(n.GetProperty("children")).Prepend(n.GetProperty("id").GetInt64()));

    [Test]
    public async Task An_article_whose_publish_time_arrives_reaches_the_mirror_without_any_write()
    {
        var mirror = new Mirror();
        await mirror.CatchUpAsync(limit: 500);
        var soon = DateTimeOffset.UtcNow.AddSeconds(2).ToString("O");
        var a = await Given.PublishedAsync(Given.ArticleBody(title: "定时发布", publishAt: soon));
        await mirror.CatchUpAsync(limit: 500);
        Assert.That(mirror.Items.ContainsKey(("article", a.Id)), Is.False, "not public yet");
        await Task.Delay(2500);
        await mirror.CatchUpAsync(limit: 500);
        Assert.That(mirror.Items.ContainsKey(("article", a.Id)), Is.True, "public now");
        Assert.That(mirror.Items[("article", a.Id)].GetProperty("title").GetString(), Is.EqualTo("定时发布"));
    }

    [Test]
    public async Task Tombstones_name_entity_id_and_slug()
    {
        var mirror = new Mirror();
        await mirror.CatchUpAsync(limit: 500);
        var a = await Given.PublishedAsync();
        await mirror.CatchUpAsync(limit: 500);
        Assert.That(mirror.Items.ContainsKey(("article", a.Id)), Is.True);
        var off = (await (await App.Editor.PostAsync($"/api/v1/admin/articles/{a.Id}/offline", null)).Content.ReadFromJsonAsync<AdminArticle>(ApiJson.Options))!;
        await Given.SendAsync(App.Editor, HttpMethod.Delete, $"/api/v1/admin/articles/{a.Id}", ifMatch: IfMatch.ETag(off.Version));
        var res = await App.Client.GetStringAsync("/api/v1/sync?limit=500&cursor=" + Uri.EscapeDataString(mirror.Cursor!));
        var item = JsonDocument.Parse(res).RootElement.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetInt64() == a.Id);
        Assert.That(item.GetProperty("entity").GetString(), Is.EqualTo("article"));
        Assert.That(item.GetProperty("op").GetString(), Is.EqualTo("delete"));
        Assert.That(item.GetProperty("slug").GetString(), Is.EqualTo(a.Slug));
        Assert.That(item.GetProperty("data").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task Sync_pages_never_carry_unpublished_content()
    {
        var marker = "同步隐藏" + Guid.NewGuid().ToString("N")[..6];
        await Given.DraftAsync(App.Editor, Given.ArticleBody(title: marker));
        await Given.PublishedAsync(Given.ArticleBody(title: marker, publishAt: "2999-01-01T00:00:00Z"));
        var mirror = new Mirror();
        var all = new List<string>();
        string? cursor = null;
        for (var i = 0; i < 1000; i++)
        {
            var text = await App.Client.GetStringAsync("/api/v1/sync?limit=50" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            all.Add(text);
            var page = JsonDocument.Parse(text).RootElement;
            cursor = page.GetProperty("nextCursor").GetString();
            if (!page.GetProperty("hasMore").GetBoolean())
                break;
        }
        Assert.That(string.Concat(all), Does.Not.Contain(marker));
    }

    [TestCase("garbage")]
    [TestCase("eyJ2IjoxfQ.AAAA")]
    [TestCase("....")]
    [TestCase("%%%")]
    public async Task Bad_cursors_are_400(string cursor) =>
        await Problem.AssertAsync(await App.Client.GetAsync("/api/v1/sync?cursor=" + Uri.EscapeDataString(cursor)), HttpStatusCode.BadRequest, "cursor");

    [Test]
    public async Task A_tampered_cursor_is_400()
    {
        var first = JsonDocument.Parse(await App.Client.GetStringAsync("/api/v1/sync?limit=1")).RootElement.GetProperty("nextCursor").GetString()!;
        var payload = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Pad(first[..first.IndexOf('.')])));
        var forged = payload.Replace("\"after\":", "\"after\":9", StringComparison.Ordinal);
        var forgedCursor = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(forged)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + first[first.IndexOf('.')..];
        await Problem.AssertAsync(await App.Client.GetAsync("/api/v1/sync?cursor=" + Uri.EscapeDataString(forgedCursor)), HttpStatusCode.BadRequest, "cursor");
    }

    private static string Pad(string s)
    {
        var t = s.Replace('-', '+').Replace('_', '/');
        return t.PadRight(t.Length + ((4 - (t.Length % 4)) % 4), '=');
    }

    [TestCase("0")]
    [TestCase("501")]
    [TestCase("x")]
    public async Task Limit_out_of_range_is_400(string limit) =>
        await Problem.AssertAsync(await App.Client.GetAsync("/api/v1/sync?limit=" + limit), HttpStatusCode.BadRequest, "limit");
}
