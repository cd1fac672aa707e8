using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.ServiceModel.Syndication;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using System.Net.Http.Json;
using Cms.Api.Features.Articles;
using Cms.Tests.Api;

namespace Cms.Tests.Feeds;

/// <summary>Every feed read back by real parsers: System.ServiceModel.Syndication here, feedparser and xmllint outside.</summary>
[TestFixture]
public sealed class FeedTests
{
    private static readonly XNamespace Cms = "urn:cms:provenance:1.0";

    // a site holding only the demo content, so the seed article is among the latest items whatever other tests publish
    private string _seedDb = "";
    private CmsFactory _seedSite = null!;
    private HttpClient _seed = null!;

    [OneTimeSetUp]
    public void StartSeedSite()
    {
        _seedDb = Path.Combine(Path.GetTempPath(), $"cms-feeds-{Guid.NewGuid():N}.db");
        _seedSite = new CmsFactory(_seedDb);
        _seed = _seedSite.CreateClient();
    }

    [OneTimeTearDown]
    public void StopSeedSite()
    {
        _seed.Dispose();
        _seedSite.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var f in new[] { _seedDb, _seedDb + "-wal", _seedDb + "-shm" })
            File.Delete(f);
    }

    private static async Task<(HttpResponseMessage Res, byte[] Body)> GetAsync(string url, HttpClient? client = null)
    {
        var res = await (client ?? App.Client).GetAsync(url);
        return (res, await res.Content.ReadAsByteArrayAsync());
    }

    private static SyndicationFeed Parse(byte[] xml)
    {
        using var r = XmlReader.Create(new MemoryStream(xml));
        return SyndicationFeed.Load(r);
    }

    public static (int Code, string Out, string Err) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err);
    }

    /// <summary>xmllint --noout and feedparser (bozo must be 0) over the bytes; returns feedparser's view.</summary>
    public static JsonElement CheckWithOutsideParsers(byte[] body, string ext)
    {
        var file = Path.Combine(Path.GetTempPath(), $"cms-feed-{Guid.NewGuid():N}.{ext}");
        File.WriteAllBytes(file, body);
        try
        {
            if (ext == "xml")
            {
                var lint = Run("xmllint", "--noout", file);
                Assert.That(lint.Code, Is.Zero, lint.Err);
            }
            var fp = Run("/usr/bin/python3", Path.Combine(Repo.Root, "tests", "Feeds", "feedcheck.py"), file);
            Assert.That(fp.Code, Is.Zero, fp.Err);
            var parsed = JsonDocument.Parse(fp.Out).RootElement;
            if (ext == "xml")
                Assert.That(parsed.GetProperty("bozo").GetInt32(), Is.Zero, parsed.GetProperty("bozo_exception").GetString());
            return parsed;
        }
        finally
        {
            File.Delete(file);
        }
    }

    [TestCase("/feeds/rss.xml", "application/rss+xml")]
    [TestCase("/feeds/atom.xml", "application/atom+xml")]
    [TestCase("/feeds/c/rss.xml", "application/rss+xml")]
    [TestCase("/feeds/c/atom.xml", "application/atom+xml")]
    public async Task Xml_feeds_parse_and_carry_the_seed_article_with_its_provenance(string url, string mediaType)
    {
        var (res, body) = await GetAsync(url, _seed);
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(res.Content.Headers.ContentType?.MediaType, Is.EqualTo(mediaType));
        var feed = Parse(body);
        var seed = feed.Items.Single(i => i.Id == "tag:www.cipainvest.org.cn,2021:article/1");
        Assert.That(seed.Title.Text, Is.EqualTo(Given.SeedTitle));
        Assert.That(seed.Links.First().Uri.ToString(), Is.EqualTo("https://www.cipainvest.org.cn/article/c/202105/20210503064097.shtml"));
        Assert.That(seed.PublishDate, Is.EqualTo(new DateTimeOffset(2021, 5, 24, 10, 0, 0, TimeSpan.FromHours(8))));
        Assert.That(seed.ElementExtensions.ReadElementExtensions<string>("source", Cms.NamespaceName).Single(), Is.EqualTo("商务部投资促进事务局"));
        Assert.That(seed.ElementExtensions.ReadElementExtensions<string>("articleType", Cms.NamespaceName).Single(), Is.EqualTo("original"));
        Assert.That(seed.ElementExtensions.ReadElementExtensions<string>("articleTypeLabel", Cms.NamespaceName).Single(), Is.EqualTo("原创"));
        Assert.That(seed.Categories.Single().Name, Is.EqualTo("工作动态"));
        var dates = feed.Items.Select(i => i.PublishDate).ToList();
        Assert.That(dates, Is.Ordered.Descending);
        Assert.That(feed.Items.Count(), Is.LessThanOrEqualTo(20));
        if (url.Contains("/c/", StringComparison.Ordinal))
            Assert.That(feed.Items.SelectMany(i => i.Categories).Select(c => c.Name), Is.All.EqualTo("工作动态"));

        var outside = CheckWithOutsideParsers(body, "xml");
        var entry = outside.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("id").GetString() == "tag:www.cipainvest.org.cn,2021:article/1");
        Assert.That(entry.GetProperty("title").GetString(), Is.EqualTo(Given.SeedTitle));
        Assert.That(entry.GetProperty("source").GetString(), Is.EqualTo("商务部投资促进事务局"));
        Assert.That(entry.GetProperty("articleType").GetString(), Is.EqualTo("original"));
        Assert.That(entry.GetProperty("content").GetString(), Does.Contain("促进国际国内双循环发展"));
    }

    [Test]
    public async Task Rss_dates_are_rfc822_in_beijing_time_and_atom_dates_rfc3339()
    {
        var rss = XDocument.Parse(System.Text.Encoding.UTF8.GetString((await GetAsync("/feeds/c/rss.xml", _seed)).Body));
        var pub = rss.Descendants("item").Select(i => i.Element("pubDate")!.Value).ToList();
        Assert.That(pub, Has.Member("Mon, 24 May 2021 10:00:00 +0800"));
        XNamespace atom = "http://www.w3.org/2005/Atom";
        var doc = XDocument.Parse(System.Text.Encoding.UTF8.GetString((await GetAsync("/feeds/c/atom.xml", _seed)).Body));
        Assert.That(doc.Descendants(atom + "published").Select(e => e.Value), Has.Member("2021-05-24T10:00:00+08:00"));
        Assert.That(doc.Root!.Elements(atom + "link").Any(l => (string?)l.Attribute("rel") == "self"), Is.True);
        Assert.That(doc.Root.Element(atom + "updated"), Is.Not.Null);
    }

    [Test]
    public async Task Json_feed_is_1_1_with_the_cms_extension()
    {
        var (res, body) = await GetAsync("/feeds/c/feed.json", _seed);
        Assert.That(res.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/feed+json"));
        var doc = JsonDocument.Parse(body).RootElement;
        Assert.That(doc.GetProperty("version").GetString(), Is.EqualTo("https://jsonfeed.org/version/1.1"));
        Assert.That(doc.GetProperty("feed_url").GetString(), Is.EqualTo("https://www.cipainvest.org.cn/feeds/c/feed.json"));
        var seed = doc.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("title").GetString() == Given.SeedTitle);
        Assert.That(seed.GetProperty("date_published").GetString(), Is.EqualTo("2021-05-24T10:00:00+08:00"));
        Assert.That(seed.GetProperty("_cms").GetProperty("source").GetString(), Is.EqualTo("商务部投资促进事务局"));
        Assert.That(seed.GetProperty("_cms").GetProperty("articleType").GetString(), Is.EqualTo("original"));
        Assert.That(seed.GetProperty("content_html").GetString(), Does.StartWith("<p>5月21日下午"));
        foreach (var item in doc.GetProperty("items").EnumerateArray())
        {
            // JSON Feed 1.1 requires id and one of content_html/content_text
            Assert.That(item.GetProperty("id").GetString(), Does.StartWith("tag:www.cipainvest.org.cn,2021:article/"));
            Assert.That(item.TryGetProperty("content_html", out _), Is.True);
        }
    }

    [Test]
    public async Task Unknown_or_non_list_column_feed_is_404()
    {
        await Problem.AssertAsync((await GetAsync("/feeds/nope/rss.xml")).Res, HttpStatusCode.NotFound);
        await Problem.AssertAsync((await GetAsync("/feeds/jqjs/atom.xml")).Res, HttpStatusCode.NotFound);
    }

    [TestCase("/feeds/rss.xml")]
    [TestCase("/feeds/atom.xml")]
    [TestCase("/feeds/feed.json")]
    [TestCase("/feeds/c/rss.xml")]
    [TestCase("/feeds/c/atom.xml")]
    [TestCase("/feeds/c/feed.json")]
    public async Task Feeds_answer_conditional_gets(string url)
    {
        var (res, _) = await GetAsync(url);
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(res.Headers.ETag, Is.Not.Null);
        Assert.That(res.Headers.CacheControl?.Public, Is.True);
        var req = new HttpRequestMessage(HttpMethod.Get, url);
        req.Headers.IfNoneMatch.Add(res.Headers.ETag!);
        Assert.That((await App.Client.SendAsync(req)).StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        var modified = res.Content.Headers.LastModified;
        Assert.That(modified, Is.Not.Null, "feeds carry Last-Modified");
        var since = new HttpRequestMessage(HttpMethod.Get, url);
        since.Headers.IfModifiedSince = modified;
        Assert.That((await App.Client.SendAsync(since)).StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        var older = new HttpRequestMessage(HttpMethod.Get, url);
        older.Headers.IfModifiedSince = modified!.Value.AddDays(-1);
        Assert.That((await App.Client.SendAsync(older)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Sitemap_answers_if_none_match()
    {
        var (res, _) = await GetAsync("/sitemap.xml");
        Assert.That(res.Headers.ETag, Is.Not.Null);
        var req = new HttpRequestMessage(HttpMethod.Get, "/sitemap.xml");
        req.Headers.IfNoneMatch.Add(res.Headers.ETag!);
        Assert.That((await App.Client.SendAsync(req)).StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }

    [Test]
    public async Task A_publish_gives_if_modified_since_readers_a_200()
    {
        var col = await Columns.NewListColumnAsync();
        await Given.PublishedAsync(Given.ArticleBody(categoryId: col.Id, title: "第一篇"));
        foreach (var file in new[] { "rss.xml", "atom.xml", "feed.json" })
        {
            var (res, _) = await GetAsync($"/feeds/{col.Code}/{file}");
            await Task.Delay(1100);   // HTTP dates have whole seconds
            await Given.PublishedAsync(Given.ArticleBody(categoryId: col.Id, title: "第二篇" + file));
            var since = new HttpRequestMessage(HttpMethod.Get, $"/feeds/{col.Code}/{file}");
            since.Headers.IfModifiedSince = res.Content.Headers.LastModified;
            Assert.That((await App.Client.SendAsync(since)).StatusCode, Is.EqualTo(HttpStatusCode.OK), file);
        }
    }

    [TestCase("offline")]
    [TestCase("delete")]
    public async Task A_retraction_moves_last_modified_forward(string how)
    {
        var col = await Columns.NewListColumnAsync();
        await Given.PublishedAsync(Given.ArticleBody(categoryId: col.Id, title: "留下的文章"));
        await Task.Delay(1100);
        var newest = await Given.PublishedAsync(Given.ArticleBody(categoryId: col.Id, title: "将撤下的文章"));
        var urls = new[] { $"/feeds/{col.Code}/rss.xml", $"/feeds/{col.Code}/atom.xml", $"/feeds/{col.Code}/feed.json", "/feeds/rss.xml" };
        var before = new Dictionary<string, DateTimeOffset>();
        foreach (var url in urls)
            before[url] = (await GetAsync(url)).Res.Content.Headers.LastModified!.Value;
        await Task.Delay(1100);
        var off = await App.Editor.PostAsync($"/api/v1/admin/articles/{newest.Id}/offline", null);
        Assert.That(off.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        if (how == "delete")
        {
            var version = (await off.Content.ReadFromJsonAsync<AdminArticle>(global::Cms.Api.Http.Json.Options))!.Version;
            var del = await Given.SendAsync(App.Editor, HttpMethod.Delete, $"/api/v1/admin/articles/{newest.Id}", ifMatch: global::Cms.Api.Http.IfMatch.ETag(version));
            Assert.That(del.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
        foreach (var url in urls)
        {
            var since = new HttpRequestMessage(HttpMethod.Get, url);
            since.Headers.IfModifiedSince = before[url];
            var res = await App.Client.SendAsync(since);
            Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK), url);
            Assert.That(res.Content.Headers.LastModified, Is.GreaterThan(before[url]), url);
            Assert.That(await res.Content.ReadAsStringAsync(), Does.Not.Contain("将撤下的文章"), url);
        }
    }

    [Test]
    public async Task Rss_names_the_author_in_dc_creator_omits_an_empty_source_and_links_itself()
    {
        var col = await Columns.NewListColumnAsync();
        var withAuthor = JsonSerializer.SerializeToNode(Given.ArticleBody(categoryId: col.Id, title: "有作者", source: null), global::Cms.Api.Http.Json.Options)!.AsObject();
        withAuthor["author"] = "张三";
        await Given.PublishedAsync(withAuthor);
        var (_, body) = await GetAsync($"/feeds/{col.Code}/rss.xml");
        var doc = XDocument.Load(new MemoryStream(body));
        XNamespace dc = "http://purl.org/dc/elements/1.1/", atom = "http://www.w3.org/2005/Atom";
        var channel = doc.Root!.Element("channel")!;
        var self = channel.Elements(atom + "link").Single();
        Assert.That(self.Attribute("rel")!.Value, Is.EqualTo("self"));
        Assert.That(self.Attribute("href")!.Value, Does.EndWith($"/feeds/{col.Code}/rss.xml"));
        var item = channel.Elements("item").Single();
        Assert.That(item.Element(dc + "creator")!.Value, Is.EqualTo("张三"));
        Assert.That(item.Element("author"), Is.Null);
        Assert.That(item.Element(Cms + "source"), Is.Null);
        CheckWithOutsideParsers(body, "xml");
        var json = JsonDocument.Parse((await GetAsync($"/feeds/{col.Code}/feed.json")).Body).RootElement;
        Assert.That(json.GetProperty("items")[0].GetProperty("_cms").TryGetProperty("source", out _), Is.False);
    }

    [Test]
    public async Task Markup_in_a_summary_stays_text_in_rss_readers()
    {
        var col = await Columns.NewListColumnAsync();
        var body = JsonSerializer.SerializeToNode(Given.ArticleBody(categoryId: col.Id, title: "摘要含标记"), global::Cms.Api.Http.Json.Options)!.AsObject();
        body["summary"] = "<img src=x onerror=alert(1)> <!DOCTYPE x [<!ENTITY a \"b\">]> 摘要";
        await Given.PublishedAsync(body);
        foreach (var file in new[] { "rss.xml", "atom.xml" })
        {
            var (_, xml) = await GetAsync($"/feeds/{col.Code}/{file}");
            CheckWithOutsideParsers(xml, "xml");   // bozo 0: no DOCTYPE reaches the reader
        }
        // RSS readers render <description> as HTML: the summary arrives there as escaped text, never as an element
        var rss = CheckWithOutsideParsers((await GetAsync($"/feeds/{col.Code}/rss.xml")).Body, "xml");
        var summary = rss.GetProperty("entries")[0].GetProperty("summary").GetString()!;
        Assert.That(summary, Does.Not.Contain("<img").And.Contain("&lt;img src=x onerror=alert(1)&gt;").And.Contain("摘要"));
    }

    [Test]
    public async Task Rss_carries_last_modified()
    {
        var (res, _) = await GetAsync("/feeds/rss.xml");
        Assert.That(res.Content.Headers.LastModified, Is.Not.Null);
    }

    [Test]
    public async Task A_publish_and_a_take_offline_show_in_the_feeds_on_the_next_request()
    {
        var col = await Columns.NewListColumnAsync();
        var a = await Given.PublishedAsync(Given.ArticleBody(categoryId: col.Id, title: "订阅测试文章"));
        var feed = Parse((await GetAsync($"/feeds/{col.Code}/rss.xml")).Body);
        Assert.That(feed.Items.Select(i => i.Title.Text), Is.EqualTo(new[] { "订阅测试文章" }));
        (await App.Editor.PostAsync($"/api/v1/admin/articles/{a.Id}/offline", null)).EnsureSuccessStatusCode();
        feed = Parse((await GetAsync($"/feeds/{col.Code}/rss.xml")).Body);
        Assert.That(feed.Items, Is.Empty);
    }

    [Test]
    public async Task Drafts_offline_and_future_articles_never_appear_in_feeds_or_the_sitemap()
    {
        var col = await Columns.NewListColumnAsync();
        var marker = "不公开" + Guid.NewGuid().ToString("N")[..6];
        var draft = await Given.DraftAsync(App.Editor, Given.ArticleBody(categoryId: col.Id, title: marker));
        var future = await Given.PublishedAsync(Given.ArticleBody(categoryId: col.Id, title: marker, publishAt: "2999-01-01T00:00:00Z"));
        var offline = await Given.PublishedAsync(Given.ArticleBody(categoryId: col.Id, title: marker));
        (await App.Editor.PostAsync($"/api/v1/admin/articles/{offline.Id}/offline", null)).EnsureSuccessStatusCode();
        foreach (var url in new[] { "/feeds/rss.xml", "/feeds/atom.xml", "/feeds/feed.json", $"/feeds/{col.Code}/rss.xml", $"/feeds/{col.Code}/atom.xml", $"/feeds/{col.Code}/feed.json", "/sitemap.xml" })
        {
            var text = System.Text.Encoding.UTF8.GetString((await GetAsync(url)).Body);
            Assert.That(text, Does.Not.Contain(marker), url);
            foreach (var a in new[] { draft, future, offline })
                Assert.That(text, Does.Not.Contain($"a={a.Slug}<").And.Not.Contain($"article/{a.Id}<").And.Not.Contain($"article/{a.Id}\""), url);
        }
    }

    [Test]
    public async Task Hostile_content_keeps_every_feed_well_formed()
    {
        var col = await Columns.NewListColumnAsync();
        string[] titles = ["]]> & < > \" ' &amp; &#x1F600; 结束", "<![CDATA[ 注入 ]]>", "😀🇨🇳 emoji 中文 العربية \u202E RTL", "&lt;script&gt;alert(1)&lt;/script&gt;"];
        foreach (var t in titles)
            await Given.PublishedAsync(Given.ArticleBody(categoryId: col.Id, title: t, bodyHtml: $"<p>{System.Net.WebUtility.HtmlEncode(t)}</p><p>]]&gt; ]]></p>"));
        // content imported around the API (an old site's export) may hold what XML cannot carry; the feed drops it
        var imported = await Given.PublishedAsync(Given.ArticleBody(categoryId: col.Id, title: "导入"));
        using (var conn = TestStore.Open(App.DbPath))
        {
            // the search index triggers call the app's functions (html_text, search_tokens)
            if (conn is Microsoft.Data.Sqlite.SqliteConnection sqlite)
                global::Cms.Api.Data.Db.AddFunctions(sqlite);
            // PostgreSQL cannot hold U+0000 in text at all; SQLite can, and the feed must drop it
            Dapper.SqlMapper.Execute(conn, "UPDATE articles SET title = @t, body_html = @b, summary = @s WHERE id = @id", new
            {
                t = "导入\u0001\u0008标题\uFFFE\uFFFF", b = "<p>控制\u000B字符\u001F</p>", s = TestStore.Postgres ? "摘要\u0001" : "摘要\u0000", id = imported.Id,
            });
        }
        foreach (var file in new[] { "rss.xml", "atom.xml" })
        {
            var (res, body) = await GetAsync($"/feeds/{col.Code}/{file}");
            Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK), file);
            var feed = Parse(body);
            Assert.That(feed.Items.Select(i => i.Title.Text), Is.SupersetOf(titles));
            Assert.That(feed.Items.Select(i => i.Title.Text), Has.Member("导入标题"));
            CheckWithOutsideParsers(body, "xml");
        }
        var json = (await GetAsync($"/feeds/{col.Code}/feed.json")).Body;
        Assert.That(JsonDocument.Parse(json).RootElement.GetProperty("items").GetArrayLength(), Is.EqualTo(titles.Length + 1));
    }

    [Test]
    public async Task Sitemap_lists_public_addresses_with_lastmod_and_robots_points_to_it()
    {
        var a = await Given.PublishedAsync();
        var (res, body) = await GetAsync("/sitemap.xml");
        Assert.That(res.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/xml"));
        CheckXmllint(body);
        XNamespace sm = "http://www.sitemaps.org/schemas/sitemap/0.9";
        var doc = XDocument.Load(new MemoryStream(body));
        var locs = doc.Descendants(sm + "loc").Select(l => l.Value).ToList();
        Assert.That(locs, Has.Member("https://www.cipainvest.org.cn/"));
        Assert.That(locs, Has.Member("https://www.cipainvest.org.cn/article/c/"));
        Assert.That(locs, Has.Member("https://www.cipainvest.org.cn/leader/"));
        Assert.That(locs, Has.Member("https://www.cipainvest.org.cn/article/c/202105/20210503064097.shtml"));
        Assert.That(locs, Has.Member($"https://www.cipainvest.org.cn{a.Url}"));
        Assert.That(doc.Descendants(sm + "url").All(u => u.Element(sm + "lastmod") is not null), Is.True);
        var robots = await App.Client.GetStringAsync("/robots.txt");
        Assert.That(robots, Does.Contain("Sitemap: https://www.cipainvest.org.cn/sitemap.xml"));
    }

    private static void CheckXmllint(byte[] body)
    {
        var file = Path.Combine(Path.GetTempPath(), $"cms-sitemap-{Guid.NewGuid():N}.xml");
        File.WriteAllBytes(file, body);
        var lint = Run("xmllint", "--noout", file);
        File.Delete(file);
        Assert.That(lint.Code, Is.Zero, lint.Err);
    }

    [Test]
    public async Task Past_the_page_size_the_sitemap_becomes_an_index()
    {
        var db = Path.Combine(Path.GetTempPath(), $"cms-sitemap-{Guid.NewGuid():N}.db");
        using (var factory = new CmsFactory(db, new Dictionary<string, string> { ["Cms:SitemapPageSize"] = "5" }))
        {
            using var client = factory.CreateClient();
            var body = await client.GetByteArrayAsync("/sitemap.xml");
            XNamespace sm = "http://www.sitemaps.org/schemas/sitemap/0.9";
            var index = XDocument.Load(new MemoryStream(body));
            Assert.That(index.Root!.Name, Is.EqualTo(sm + "sitemapindex"));
            var pages = index.Descendants(sm + "loc").Select(l => l.Value).ToList();
            // demo content: home + 8 columns + leadership + 3 articles = 13 addresses = 3 pages of 5
            Assert.That(pages, Is.EqualTo(new[] { 1, 2, 3 }.Select(i => $"https://www.cipainvest.org.cn/sitemaps/{i}.xml")));
            var all = new List<string>();
            foreach (var i in new[] { 1, 2, 3 })
            {
                var page = XDocument.Load(new MemoryStream(await client.GetByteArrayAsync($"/sitemaps/{i}.xml")));
                all.AddRange(page.Descendants(sm + "loc").Select(l => l.Value));
            }
            Assert.That(all, Has.Count.EqualTo(13).And.Unique);
            Assert.That((await client.GetAsync("/sitemaps/4.xml")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var f in new[] { db, db + "-wal", db + "-shm" })
            File.Delete(f);
    }
}
