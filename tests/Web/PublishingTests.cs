using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Cms.Api.Features.Articles;
using Cms.Tests.Api;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cms.Tests.Web;

/// <summary>
/// The portal as published static pages: what a crawler, an inspector with script off and a visitor with the API down
/// get, the agency's own addresses, and the publisher following writes within its 2 s budget.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PublishingTests
{
    private const string SeedUrl = PortalTests.SeedUrl;
    private BrowserHost _host = null!;
    private HttpClient _staff = null!;
    private HttpClient _plain = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await BrowserHost.StartAsync();
        _staff = new HttpClient { BaseAddress = new Uri(_host.BaseUrl) };
        _staff.DefaultRequestHeaders.Add("X-Api-Key", App.AdminKey);
        _plain = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(_host.BaseUrl) };
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _staff.Dispose();
        _plain.Dispose();
        await _host.DisposeAsync();
    }

    private static readonly string[] Footer =
    [
        "版权所有：商务部投资促进事务局", "地址：北京市东城区安定门外大街东后巷28号1号楼", "京ICP备14022686号-4", "京公网安备 11010102004466号",
    ];

    private async Task<string> RawAsync(string path, HttpStatusCode status = HttpStatusCode.OK)
    {
        var res = await _plain.GetAsync(path);
        Assert.That(res.StatusCode, Is.EqualTo(status), path);
        Assert.That(res.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/html; charset=utf-8"), path);
        return await res.Content.ReadAsStringAsync();
    }

    [TestCase("/", new[] { "<title>商务部投资促进事务局</title>", "工作动态", Given.SeedTitle, "<meta content=\"首页\" name=\"ColumnName\">", "局长致辞", "【查看全文】", "合作伙伴", "相关链接" })]
    [TestCase("/index.shtml", new[] { "<title>商务部投资促进事务局</title>", Given.SeedTitle })]
    [TestCase("/article/c/", new[] { "<title>工作动态_商务部投资促进事务局</title>", "当前位置：", "<meta content=\"工作动态\" name=\"ColumnName\">", Given.SeedTitle, "rel=\"canonical\"" })]
    [TestCase(SeedUrl, new[] { "<title>" + Given.SeedTitle + "_商务部投资促进事务局</title>", "<meta content=\"2021-05-24 10:00\" name=\"PubDate\">",
        "<meta content=\"商务部投资促进事务局\" name=\"ContentSource\">", "<meta content=\"www.cipainvest.org.cn\" name=\"SiteDomain\">",
        "<meta content=\"工作动态\" name=\"ColumnName\">", "name=\"ArticleTitle\"", "name=\"description\"", "name=\"keywords\"",
        "<link href=\"https://www.cipainvest.org.cn" + SeedUrl + "\" rel=\"canonical\">", "href=\"/feeds/c/rss.xml\"",
        "<a href=\"/article/c/\">工作动态</a>", "文章来源：商务部投资促进事务局", "文章类型：原创", "5月21日下午,由山西省人民政府指导", "促进国际国内双循环发展。",
        "商务部网站版权与免责声明", "上一篇：", "下一篇：" })]
    [TestCase("/leader/", new[] { "<title>局长致辞_商务部投资促进事务局</title>", "商务部投资促进事务局以执行国" })]
    [TestCase("/search.html", new[] { "<title>站内搜索_商务部投资促进事务局</title>", "action=\"/search.html\"" })]
    public async Task Every_page_type_holds_its_content_in_the_html(string path, string[] texts)
    {
        var html = await RawAsync(path);
        foreach (var text in texts.Concat(Footer))
            Assert.That(html, Does.Contain(text), $"{path} lacks {text}");
        Assert.That(html, Does.Contain("data-rendered=\"publisher\""));
        Assert.That(html, Does.Not.Contain("正在加载"));
    }

    [Test]
    public async Task Unknown_pages_are_404_with_the_footer_and_head_answers_like_get()
    {
        var html = await RawAsync("/no/such/page.html", HttpStatusCode.NotFound);
        Assert.That(html, Does.Contain("页面不存在"));
        foreach (var text in Footer)
            Assert.That(html, Does.Contain(text));
        foreach (var path in new[] { "/", "/article/c/", SeedUrl, "/leader/", "/css/site.css" })
        {
            var head = await _plain.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
            Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
            Assert.That(head.Headers.CacheControl?.ToString(), Is.Not.Null.And.Not.Empty, path);
        }
        var page = await _plain.GetAsync(SeedUrl);
        Assert.That(page.Headers.CacheControl?.NoCache, Is.True, "pages are revalidated, so a publish shows at once");
        Assert.That(page.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("script-src 'self'"));
        Assert.That(page.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
        var css = await _plain.GetAsync("/css/site.css");
        Assert.That(css.Headers.CacheControl?.MaxAge, Is.GreaterThan(TimeSpan.Zero));
    }

    [TestCase("/article.html?a=2021-cczg-mayors-forum", SeedUrl)]
    [TestCase("/article.html?id=1", SeedUrl)]
    [TestCase("/list.html?c=c", "/article/c/")]
    [TestCase("/list.html?c=c&page=2", "/article/c/index_2.shtml")]
    [TestCase("/leader.html", "/leader/")]
    [TestCase("/article/tzgg/202105/20210503064097.shtml", SeedUrl)]
    public async Task Old_addresses_answer_301_with_the_published_page(string from, string to)
    {
        var res = await _plain.GetAsync(from);
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.MovedPermanently), from);
        Assert.That(res.Headers.Location?.ToString(), Is.EqualTo(to).Or.EqualTo(_host.BaseUrl + to));
    }

    [Test]
    public async Task Api_urls_feeds_and_sitemap_use_the_published_addresses()
    {
        var a = await _plain.GetFromJsonAsync<PublicArticle>("/api/v1/articles/2021-cczg-mayors-forum", ApiJson.Options);
        Assert.That(a!.Url, Is.EqualTo(SeedUrl));
        var list = await _plain.GetStringAsync("/api/v1/articles?category=c");
        Assert.That(list, Does.Contain($"\"url\":\"{SeedUrl}\""));
        var rss = await _plain.GetStringAsync("/feeds/rss.xml");
        Assert.That(rss, Does.Contain($"<link>https://www.cipainvest.org.cn{SeedUrl}</link>"));
        var sitemap = await _plain.GetStringAsync("/sitemap.xml");
        Assert.That(sitemap, Does.Contain($"<loc>https://www.cipainvest.org.cn{SeedUrl}</loc>").And.Contain("<loc>https://www.cipainvest.org.cn/article/c/</loc>"));
        Assert.That(sitemap, Does.Not.Contain(".html?"));
    }

    [TestCase("/")]
    [TestCase("/article/c/")]
    [TestCase(SeedUrl)]
    [TestCase("/leader/")]
    [TestCase("/no/such/page.html")]
    public async Task Without_javascript_a_page_shows_the_same_text(string path)
    {
        async Task<string> TextAsync(bool script)
        {
            var context = await _host.Browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = script, ReducedMotion = ReducedMotion.Reduce });
            var page = await context.NewPageAsync();
            await page.GotoAsync(_host.BaseUrl + path);
            if (script)
                await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "ready");
            // the carousel's buttons are script's own: they show only when script can run them
            var text = await page.EvaluateAsync<string>(
                "() => [...document.querySelectorAll('#site-header, main, #side, #site-footer')].map(e => { const c = e.cloneNode(true); c.querySelectorAll('.controls').forEach(x => x.remove()); document.body.append(c); const t = c.innerText; c.remove(); return t; }).join('\\n')");
            await context.CloseAsync();
            return text;
        }
        var off = await TextAsync(false);
        var on = await TextAsync(true);
        Assert.That(off.Length, Is.GreaterThan(100));
        Assert.That(off, Is.EqualTo(on));
    }

    private static Dictionary<string, DateTime> Stamps(string dir, params string[] urls) =>
        urls.ToDictionary(u => u, u => File.GetLastWriteTimeUtc(Path.Combine(dir, u.TrimStart('/').EndsWith('/') || u == "/" ? u.TrimStart('/') + "index.html" : u.TrimStart('/'))));

    private async Task<TimeSpan> VisibleAsync(string path, string text)
    {
        var clock = Stopwatch.StartNew();
        await _host.WaitForPageAsync(path, text, TimeSpan.FromSeconds(2));
        return clock.Elapsed;
    }

    [Test]
    public async Task Publish_edit_offline_and_a_setting_reach_the_files_within_two_seconds_and_touch_nothing_else()
    {
        var site = _host.SiteDir!;
        // an article of another column and that column's page: a publish in 工作动态 leaves them as they are
        var tzggList = await _plain.GetStringAsync("/api/v1/articles?category=tzgg&pageSize=1");
        var otherUrl = System.Text.Json.JsonDocument.Parse(tzggList).RootElement.GetProperty("items")[0].GetProperty("url").GetString()!;
        var before = Stamps(site, otherUrl, "/article/tzgg/", "/leader/");

        var created = await _staff.PostAsJsonAsync("/api/v1/admin/articles", new { categoryId = 2, title = "静态发布：新文章", bodyHtml = "<p>静态页面正文，全角标点。</p>" });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var draft = (await created.Content.ReadFromJsonAsync<AdminArticle>(ApiJson.Options))!;
        Assert.That(draft.Url, Is.Null, "a draft has no address");
        var published = (await (await _staff.PostAsync($"/api/v1/admin/articles/{draft.Id}/publish", null)).Content.ReadFromJsonAsync<AdminArticle>(ApiJson.Options))!;
        var url = published.Url!;
        Assert.That(url, Does.Match(@"^/article/c/\d{6}/\d+\.shtml$"));
        var times = new List<TimeSpan> { await VisibleAsync(url, "静态页面正文，全角标点。") };
        times.Add(await VisibleAsync("/article/c/", "静态发布：新文章"));
        times.Add(await VisibleAsync("/", "静态发布：新文章"));
        // its neighbour now links to it
        await _host.WaitForPageAsync(SeedUrl, url, TimeSpan.FromSeconds(2));
        Assert.That(Stamps(site, otherUrl, "/article/tzgg/", "/leader/"), Is.EqualTo(before), "pages the publish does not touch");

        // an edit
        var put = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/admin/articles/{draft.Id}")
        {
            Content = new StringContent("""{"title":"静态发布：改过的标题"}""", Encoding.UTF8, "application/merge-patch+json"),
        };
        put.Headers.TryAddWithoutValidation("If-Match", "*");
        Assert.That((await _staff.SendAsync(put)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        times.Add(await VisibleAsync(url, "静态发布：改过的标题"));
        times.Add(await VisibleAsync("/article/c/", "静态发布：改过的标题"));

        // take offline: the page goes, and nothing links to it any more
        Assert.That((await _staff.PostAsync($"/api/v1/admin/articles/{draft.Id}/offline", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var clock = Stopwatch.StartNew();
        await _host.WaitForGoneAsync(url, TimeSpan.FromSeconds(2));
        times.Add(clock.Elapsed);
        var deadline = DateTime.UtcNow.AddSeconds(2);
        foreach (var page in new[] { "/", "/article/c/", SeedUrl })
        {
            while ((await _plain.GetStringAsync(page)).Contains(url, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
                await Task.Delay(100);
            Assert.That(await _plain.GetStringAsync(page), Does.Not.Contain(url), $"{page} still links to the withdrawn article");
        }

        // a setting: every page's footer
        var patch = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/admin/settings")
        {
            Content = new StringContent("""{"phone":"010-85093999"}""", Encoding.UTF8, "application/merge-patch+json"),
        };
        patch.Headers.TryAddWithoutValidation("If-Match", "*");
        Assert.That((await _staff.SendAsync(patch)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        times.Add(await VisibleAsync(otherUrl, "电话：010-85093999"));
        times.Add(await VisibleAsync("/article/tzgg/", "电话：010-85093999"));
        times.Add(await VisibleAsync("/", "电话：010-85093999"));
        TestContext.Out.WriteLine("visible after (ms): " + string.Join(", ", times.Select(t => t.TotalMilliseconds.ToString("F0"))));

        var restore = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/admin/settings")
        {
            Content = new StringContent("""{"phone":"010-85093020"}""", Encoding.UTF8, "application/merge-patch+json"),
        };
        restore.Headers.TryAddWithoutValidation("If-Match", "*");
        Assert.That((await _staff.SendAsync(restore)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await _host.WaitForPageAsync("/", "电话：010-85093020");
    }

    [Test]
    public async Task Care_mode_is_kept_across_pages_and_works_without_script()
    {
        var context = await _host.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(_host.BaseUrl + "/");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "ready");
        var normal = await page.EvaluateAsync<double>("() => parseFloat(getComputedStyle(document.documentElement).fontSize)");
        await page.Locator(".care-switch").ClickAsync();
        await Expect(page.Locator("html")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("care"));
        await Expect(page.Locator(".care-switch")).ToHaveTextAsync("标准版");
        await page.GotoAsync(_host.BaseUrl + SeedUrl);
        await Expect(page.Locator("html")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("care"));
        var large = await page.EvaluateAsync<double>("() => parseFloat(getComputedStyle(document.documentElement).fontSize)");
        Assert.That(large, Is.GreaterThanOrEqualTo(normal * 1.2), "larger type");
        await context.CloseAsync();

        var off = await _host.Browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false });
        var plain = await off.NewPageAsync();
        await plain.GotoAsync(_host.BaseUrl + SeedUrl);
        await plain.Locator(".care-switch").ClickAsync();
        Assert.That(await plain.EvaluateAsync<double>("() => parseFloat(getComputedStyle(document.documentElement).fontSize)"), Is.GreaterThanOrEqualTo(normal * 1.2));
        await off.CloseAsync();
    }

    [Test]
    public async Task A_long_unbroken_query_does_not_widen_the_mobile_page()
    {
        var context = await _host.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 375, Height = 800 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(_host.BaseUrl + "/search.html?q=" + new string('投', 60) + new string('x', 40));
        await Expect(page.Locator("#results")).ToContainTextAsync("没有找到");
        Assert.That(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(375));
        await context.CloseAsync();
    }

    [Test]
    public async Task The_seed_article_prints_on_one_a4_page_without_navigation()
    {
        var context = await _host.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(_host.BaseUrl + SeedUrl);
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        Assert.That(await page.Locator(".site-nav").IsVisibleAsync(), Is.False);
        Assert.That(await page.Locator("#side").IsVisibleAsync(), Is.False);
        Assert.That(await page.Locator("h1.article-title").IsVisibleAsync(), Is.True);
        var pdf = await page.PdfAsync(new PagePdfOptions { Format = "A4", PreferCSSPageSize = true });
        var pages = System.Text.RegularExpressions.Regex.Matches(Encoding.Latin1.GetString(pdf), @"/Type\s*/Page[^s]").Count;
        Assert.That(pages, Is.EqualTo(1), "A4 pages");
        await context.CloseAsync();
    }

    [Test]
    public async Task An_article_in_a_topic_and_filed_under_another_column_reaches_every_list_that_shows_it()
    {
        // 产城中国 (zt_cczg, id 8) sits under 专题专栏 (ztzl); the article is also filed under 投资中国 (tzzg, id 4)
        var created = await _staff.PostAsJsonAsync("/api/v1/admin/articles", new { categoryId = 8, extraCategoryIds = new[] { 4 }, title = "专题文章：多处可见", bodyHtml = "<p>专题正文。</p>" });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var a = (await created.Content.ReadFromJsonAsync<AdminArticle>(ApiJson.Options))!;
        var url = (await (await _staff.PostAsync($"/api/v1/admin/articles/{a.Id}/publish", null)).Content.ReadFromJsonAsync<AdminArticle>(ApiJson.Options))!.Url!;
        Assert.That(url, Does.StartWith("/article/zt_cczg/"));
        await _host.WaitForPageAsync(url, "专题正文。");
        foreach (var column in new[] { "/article/zt_cczg/", "/article/ztzl/", "/article/tzzg/" })
            await _host.WaitForPageAsync(column, url, TimeSpan.FromSeconds(5));

        Assert.That((await _staff.PostAsync($"/api/v1/admin/articles/{a.Id}/offline", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await _host.WaitForGoneAsync(url, TimeSpan.FromSeconds(5));
        var deadline = DateTime.UtcNow.AddSeconds(5);
        foreach (var column in new[] { "/article/zt_cczg/", "/article/ztzl/", "/article/tzzg/" })
        {
            while ((await _plain.GetStringAsync(column)).Contains(url, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
                await Task.Delay(100);
            Assert.That(await _plain.GetStringAsync(column), Does.Not.Contain(url), column);
        }
    }

    [Test]
    public async Task A_crawler_from_the_home_page_finds_no_broken_link()
    {
        var seen = new HashSet<string> { "/" };
        var queue = new Queue<string>(seen);
        var broken = new List<string>();
        while (queue.Count > 0 && seen.Count < 400)
        {
            var path = queue.Dequeue();
            var res = await _plain.GetAsync(path);
            if (res.StatusCode == HttpStatusCode.MovedPermanently && res.Headers.Location is { } to)
                res = await _plain.GetAsync(to.IsAbsoluteUri ? to.PathAndQuery : to.ToString());
            if (res.StatusCode != HttpStatusCode.OK)
            {
                broken.Add($"{path} {(int)res.StatusCode}");
                continue;
            }
            if (res.Content.Headers.ContentType?.MediaType != "text/html")
                continue;
            var html = await res.Content.ReadAsStringAsync();
            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(html, "(?:href|src)=\"(/[^\"#]*)"))
            {
                var link = WebUtility.HtmlDecode(m.Groups[1].Value);
                if (link.StartsWith("//", StringComparison.Ordinal) || link.StartsWith("/search.html?", StringComparison.Ordinal))
                    continue;
                if (seen.Add(link))
                    queue.Enqueue(link);
            }
        }
        TestContext.Out.WriteLine($"crawled {seen.Count} addresses");
        Assert.That(seen.Count, Is.GreaterThan(20));
        Assert.That(broken, Is.Empty);
    }

    [Test]
    public async Task No_temporary_files_are_left_in_the_published_folder()
    {
        await _host.WaitForPageAsync("/", "data-rendered");
        var leftovers = Directory.EnumerateFiles(_host.SiteDir!, "*.tmp", SearchOption.AllDirectories).ToList();
        Assert.That(leftovers, Is.Empty);
    }
}
