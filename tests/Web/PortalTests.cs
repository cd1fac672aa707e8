using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cms.Api.Features.Articles;
using Cms.Api.Http;
using Cms.Tests.Api;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cms.Tests.Web;

/// <summary>The published portal in Chromium against the real app with the demo content: what a visitor sees and can do.</summary>
[TestFixture]
public sealed class PortalTests
{
    private BrowserHost _host = null!;
    private HttpClient _staff = null!;
    private string _listCode = "";

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await BrowserHost.StartAsync();
        _staff = new HttpClient { BaseAddress = new Uri(_host.BaseUrl) };
        _staff.DefaultRequestHeaders.Add("X-Api-Key", App.AdminKey);

        // a column with 45 articles, for the pager
        _listCode = "pg" + Guid.NewGuid().ToString("N")[..6];
        var col = await _staff.PostAsJsonAsync("/api/v1/admin/categories", new { code = _listCode, name = "分页测试", kind = "list", showInNav = false });
        var colId = JsonDocument.Parse(await col.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
        for (var i = 1; i <= 45; i++)
            await PublishAsync(new { categoryId = colId, title = $"分页文章{i:00}", bodyHtml = "<p>x</p>", publishAt = $"2020-01-{(i % 28) + 1:00}T{i % 24:00}:00:00Z" });
        // a second focus item, so the carousel has somewhere to go
        var res = await _staff.PostAsJsonAsync("/api/v1/admin/focus-items", new { title = "第二张焦点图", image = new { url = "/uploads/none.jpg", alt = "第二张" }, linkUrl = "/article/tzgg/", sortOrder = 20 });
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        // the publisher has caught up with all of it
        await _host.WaitForPageAsync($"/article/{_listCode}/index_3.shtml", "分页文章01");
        await _host.WaitForPageAsync("/", "第二张焦点图");
    }

    public const string SeedUrl = "/article/c/202105/20210503064097.shtml";

    [OneTimeTearDown]
    public async Task Stop()
    {
        _staff.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<AdminArticle> PublishAsync(object body)
    {
        var res = await _staff.PostAsJsonAsync("/api/v1/admin/articles", body);
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.Created), await res.Content.ReadAsStringAsync());
        var a = (await res.Content.ReadFromJsonAsync<AdminArticle>(ApiJson.Options))!;
        var pub = await _staff.PostAsync($"/api/v1/admin/articles/{a.Id}/publish", null);
        return (await pub.Content.ReadFromJsonAsync<AdminArticle>(ApiJson.Options))!;
    }

    private async Task<IPage> OpenAsync(string path, int width = 1280, bool bypassCsp = false)
    {
        var context = await _host.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
            BypassCSP = bypassCsp,
            ReducedMotion = ReducedMotion.Reduce,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(_host.BaseUrl + path);
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", new Regex("ready|error"));
        return page;
    }

    private static async Task ShootAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserHost.ArtifactPath(name), FullPage = true });

    [Test]
    public async Task Home_shows_columns_focus_teaser_partners_links_and_footer()
    {
        foreach (var width in new[] { 1280, 375 })
        {
            var page = await OpenAsync("/", width);
            await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "ready");
            await Expect(page.Locator("section.column-box", new() { HasText = "工作动态" })).ToContainTextAsync(Given.SeedTitle);
            await Expect(page.Locator("section.column-box", new() { HasText = "工作动态" })).ToContainTextAsync("2021-05-24");
            await Expect(page.Locator("#focus .caption").First).ToHaveTextAsync("2021中博会•产城中国市长论坛成功举办");
            await Expect(page.Locator(".leader-teaser")).ToContainTextAsync("吸收外商直接投资与开展对外投资合作");
            await Expect(page.Locator(".leader-teaser a")).ToHaveTextAsync("【查看全文】");
            await Expect(page.Locator("#side")).ToContainTextAsync("全国工商联房地产商会特色小镇分会");
            await Expect(page.Locator(".links h3").First).ToHaveTextAsync("政府网站");
            await Expect(page.Locator(".links")).ToContainTextAsync("中国政府网");
            await FooterIsCompleteAsync(page);
            Assert.That(await page.Locator("meta[name=SiteName]").GetAttributeAsync("content"), Is.EqualTo("商务部投资促进事务局"));
            Assert.That(await page.Locator("meta[name=SiteDomain]").GetAttributeAsync("content"), Is.EqualTo("www.cipainvest.org.cn"));
            Assert.That(await page.TitleAsync(), Is.EqualTo("商务部投资促进事务局"));
            await ShootAsync(page, $"home-{width}.png");
            await page.Context.CloseAsync();
        }
    }

    private static async Task FooterIsCompleteAsync(IPage page)
    {
        var footer = page.Locator("#site-footer");
        foreach (var text in new[] { "版权所有：商务部投资促进事务局", "地址：北京市东城区安定门外大街东后巷28号1号楼", "邮编：100710",
                     "技术支持：中国国际电子商务中心", "电话：010-85093020", "京ICP备14022686号-4", "京公网安备 11010102004466号" })
            await Expect(footer).ToContainTextAsync(text);
        Assert.That(await footer.GetByRole(AriaRole.Link, new() { Name = "京ICP备14022686号-4" }).GetAttributeAsync("href"), Is.EqualTo("https://beian.miit.gov.cn/"));
    }

    [Test]
    public async Task Teaser_opens_the_full_leadership_message()
    {
        var page = await OpenAsync("/");
        await page.Locator(".leader-teaser a").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("局长致辞");
        await Expect(page.Locator(".article-body")).ToContainTextAsync("商务部投资促进事务局以执行国");
        await FooterIsCompleteAsync(page);
        await page.Context.CloseAsync();
    }

    [Test]
    public async Task Article_page_shows_the_seed_page()
    {
        foreach (var width in new[] { 1280, 375 })
        {
            var page = await OpenAsync(SeedUrl, width);
            await Expect(page.Locator("#crumbs")).ToHaveTextAsync("当前位置：首页 > 工作动态");
            await Expect(page.Locator("h1")).ToHaveTextAsync(Given.SeedTitle);
            var meta = page.Locator(".article-meta");
            await Expect(meta).ToContainTextAsync("文章来源：商务部投资促进事务局");
            await Expect(meta).ToContainTextAsync("文章类型：原创");
            await Expect(meta).Not.ToContainTextAsync("内容分类");   // the seed has none: no empty label
            await Expect(meta).ToContainTextAsync("2021-05-24 10:00");
            await Expect(page.Locator(".article-body p")).ToHaveCountAsync(7);
            await Expect(page.Locator(".article-body p").First).ToHaveTextAsync(new Regex("^5月21日下午,由山西省人民政府指导"));
            await Expect(page.Locator(".article-body p").Last).ToContainTextAsync("促进国际国内双循环发展。");
            await Expect(page.Locator("#disclaimer h2")).ToHaveTextAsync("商务部网站版权与免责声明");
            await Expect(page.Locator("#disclaimer")).ToContainTextAsync("其他媒体、网站或个人转载使用时必须注明:“文章来源:商务部网站”。");
            await Expect(page.Locator(".leader-teaser")).ToContainTextAsync("【查看全文】");
            await FooterIsCompleteAsync(page);
            Assert.That(await page.TitleAsync(), Is.EqualTo(Given.SeedTitle + "_商务部投资促进事务局"));
            Assert.That(await page.Locator("meta[name=ArticleTitle]").GetAttributeAsync("content"), Is.EqualTo(Given.SeedTitle));
            Assert.That(await page.Locator("meta[name=PubDate]").GetAttributeAsync("content"), Is.EqualTo("2021-05-24 10:00"));
            Assert.That(await page.Locator("meta[name=ContentSource]").GetAttributeAsync("content"), Is.EqualTo("商务部投资促进事务局"));
            Assert.That(await page.Locator("meta[name=ColumnName]").GetAttributeAsync("content"), Is.EqualTo("工作动态"));
            Assert.That(await page.Locator("meta[name=keywords]").GetAttributeAsync("content"), Is.EqualTo("中博会,产城中国,市长论坛"));
            Assert.That(await page.Locator("meta[name=description]").GetAttributeAsync("content"), Does.StartWith("5月21日下午"));
            var feeds = await page.Locator("link[rel=alternate]").EvaluateAllAsync<string[]>("links => links.map(l => l.getAttribute('href'))");
            Assert.That(feeds, Is.SupersetOf(new[] { "/feeds/rss.xml", "/feeds/atom.xml", "/feeds/feed.json", "/feeds/c/rss.xml", "/feeds/c/atom.xml", "/feeds/c/feed.json" }));
            await ShootAsync(page, $"article-{width}.png");
            await page.Context.CloseAsync();
        }
    }

    [Test]
    public async Task Old_mofcom_address_goes_to_the_article_and_unknown_pages_say_not_found()
    {
        var page = await OpenAsync("/article.html?a=2021-cczg-mayors-forum");
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(SeedUrl) + "$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync(Given.SeedTitle);
        await page.Context.CloseAsync();

        using var http = new HttpClient();
        var res = await http.GetAsync(_host.BaseUrl + "/no/such/page.html");
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        page = await OpenAsync("/no/such/page.html");
        await Expect(page.Locator("#missing h1")).ToHaveTextAsync("页面不存在");
        await Expect(page.Locator("#missing")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Test]
    public async Task An_edit_shows_on_reload_and_an_offline_article_disappears()
    {
        var a = await PublishAsync(new { categoryId = 3, title = "原标题:培训通知", bodyHtml = "<p>原正文</p>", publishAt = "2026-01-01T00:00:00Z" });
        Assert.That(a.Url, Does.Match(@"^/article/tzgg/202601/\d+\.shtml$"));
        await _host.WaitForPageAsync(a.Url!, "原标题:培训通知");
        var page = await OpenAsync(a.Url!);
        await Expect(page.Locator("h1")).ToHaveTextAsync("原标题:培训通知");

        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/admin/articles/{a.Id}")
        {
            Content = JsonContent.Create(new { categoryId = 3, title = "新标题:培训通知(更正)", bodyHtml = "<p>更正后的正文</p>", publishAt = "2026-01-01T00:00:00Z" }),
        };
        put.Headers.TryAddWithoutValidation("If-Match", IfMatch.ETag(a.Version));
        Assert.That((await _staff.SendAsync(put)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await _host.WaitForPageAsync(a.Url!, "更正后的正文");
        await _host.WaitForPageAsync("/article/tzgg/", "新标题:培训通知(更正)");
        await page.ReloadAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("新标题:培训通知(更正)");
        await Expect(page.Locator(".article-body")).ToHaveTextAsync("更正后的正文");

        var list = await OpenAsync("/article/tzgg/");
        await Expect(list.Locator("#content")).ToContainTextAsync("新标题:培训通知(更正)");
        Assert.That((await _staff.PostAsync($"/api/v1/admin/articles/{a.Id}/offline", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await _host.WaitForGoneAsync(a.Url!);
        await _host.WaitForPageWithoutAsync("/article/tzgg/", "培训通知(更正)");
        var gone = await page.ReloadAsync();
        Assert.That(gone!.Status, Is.EqualTo(404));
        await Expect(page.Locator("#missing h1")).ToHaveTextAsync("页面不存在");
        await Expect(page.Locator("h1.article-title")).ToHaveCountAsync(0);
        await list.ReloadAsync();
        await Expect(list.Locator("body")).ToHaveAttributeAsync("data-state", "ready");
        await Expect(list.Locator("#content")).Not.ToContainTextAsync("培训通知(更正)");
        await page.Context.CloseAsync();
        await list.Context.CloseAsync();
    }

    [Test]
    public async Task Script_in_an_article_body_never_runs_even_when_the_api_sends_it_raw()
    {
        const string payloads = "<p>正文</p><script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">" +
            "<svg onload=\"window.__xss=3\"></svg><a href=\"javascript:window.__xss=4\">恶意链接</a>" +
            "<iframe srcdoc=\"<script>parent.__xss=5</script>\"></iframe><math><mtext><table><mglyph><style><img src=x onerror=\"window.__xss=6\">";
        var a = await PublishAsync(new { categoryId = 2, title = "安全测试", bodyHtml = payloads });
        await _host.WaitForPageAsync(a.Url!, "安全测试");

        var page = await OpenAsync(a.Url!);
        var response = await page.ReloadAsync();
        Assert.That(response!.Headers["content-security-policy"], Does.Contain("script-src 'self'").And.Contain("require-trusted-types-for 'script'").And.Not.Contain("unsafe-inline"));
        await Expect(page.Locator(".article-body")).ToContainTextAsync("正文");
        await page.WaitForTimeoutAsync(300);
        Assert.That(await page.EvaluateAsync<bool>("() => window.__xss === undefined"), Is.True, "server-sanitized body");

        // the API is made to send the raw payloads, as a regressed server would: DOMPurify and the CSP still hold
        var raw = await (await _staff.GetAsync($"/api/v1/articles/{a.Slug}")).Content.ReadAsStringAsync();
        var node = System.Text.Json.Nodes.JsonNode.Parse(raw)!;
        node["bodyHtml"] = payloads;
        // pages rendered by script (web/ as it is, on any static host) get the raw body through DOMPurify
        await using var scripted = await BrowserHost.StartAsync(published: false);
        var page2 = await scripted.Browser.NewPageAsync();
        await page2.RouteAsync("**/api/v1/articles/2021-cczg-mayors-forum", r => r.FulfillAsync(new RouteFulfillOptions
        {
            Status = 200, ContentType = "application/json", Body = node.ToJsonString(),
        }));
        await page2.GotoAsync($"{scripted.BaseUrl}/article.html?a=2021-cczg-mayors-forum");
        await Expect(page2.Locator("body")).ToHaveAttributeAsync("data-state", "ready");
        await Expect(page2.Locator(".article-body")).ToContainTextAsync("正文");
        await page2.WaitForTimeoutAsync(500);
        Assert.That(await page2.EvaluateAsync<bool>("() => window.__xss === undefined"), Is.True, "raw body");
        Assert.That(await page2.Locator(".article-body script, .article-body iframe, .article-body svg, .article-body [onerror]").CountAsync(), Is.Zero);
        Assert.That(await page2.Locator(".article-body a", new() { HasText = "恶意链接" }).GetAttributeAsync("href"), Is.Null);
        await page.Context.CloseAsync();
        await page2.CloseAsync();
    }

    [Test]
    public async Task Pager_walks_to_the_last_page_and_back_and_survives_reload()
    {
        var page = await OpenAsync($"/article/{_listCode}/");
        var items = page.Locator("#content ul.news li");
        await Expect(items).ToHaveCountAsync(20);
        await Expect(page.Locator(".pager .current")).ToHaveTextAsync("1");
        await page.Locator(".pager").GetByRole(AriaRole.Link, new() { Name = "尾页" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($@"/article/{_listCode}/index_3\.shtml$"));
        await Expect(page.Locator(".pager .current")).ToHaveTextAsync("3");
        await Expect(items).ToHaveCountAsync(5);
        await page.ReloadAsync();
        await Expect(page.Locator(".pager .current")).ToHaveTextAsync("3");
        await page.Locator(".pager").GetByRole(AriaRole.Link, new() { Name = "上一页" }).ClickAsync();
        await Expect(page.Locator(".pager .current")).ToHaveTextAsync("2");
        await page.GoBackAsync();
        await Expect(page.Locator(".pager .current")).ToHaveTextAsync("3");
        await page.GoBackAsync();
        await Expect(page.Locator(".pager .current")).ToHaveTextAsync("1");
        await page.GoForwardAsync();
        await Expect(page.Locator(".pager .current")).ToHaveTextAsync("3");
        await page.Locator(".pager").GetByRole(AriaRole.Link, new() { Name = "首页" }).ClickAsync();
        await Expect(page.Locator(".pager .current")).ToHaveTextAsync("1");
        await Expect(page.Locator(".pager")).ToContainTextAsync("共45条");
        await ShootAsync(page, "list-1280.png");
        await page.Context.CloseAsync();
    }

    [Test]
    public async Task Keyboard_alone_reaches_an_article()
    {
        var page = await OpenAsync("/");
        string? href = null;
        for (var i = 0; i < 60; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            href = await page.EvaluateAsync<string?>("() => document.activeElement?.getAttribute('href')");
            if (href?.EndsWith(".shtml", StringComparison.Ordinal) == true && href.StartsWith("/article/", StringComparison.Ordinal))
                break;
        }
        Assert.That(href, Does.Match(@"^/article/[a-z0-9_]+/\d{6}/\d+\.shtml$"));
        var outline = await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle");
        Assert.That(outline, Is.Not.EqualTo("none"), "focus is visible");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("h1.article-title")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Test]
    public async Task Carousel_is_operable_by_buttons_and_pausable()
    {
        var context = await _host.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(_host.BaseUrl + "/");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "ready");
        var focus = page.Locator("#focus");
        await Expect(focus.Locator(".slide:not([hidden])")).ToHaveCountAsync(1);
        await Expect(focus).ToHaveAttributeAsync("data-playing", "true");
        await focus.GetByRole(AriaRole.Button, new() { Name = "暂停轮播" }).ClickAsync();
        await page.Mouse.MoveAsync(0, 0);
        await Expect(focus).ToHaveAttributeAsync("data-playing", "false");
        await focus.GetByRole(AriaRole.Button, new() { Name = "下一张" }).ClickAsync();
        await Expect(focus.Locator(".slide:not([hidden]) .caption")).ToHaveTextAsync("第二张焦点图");
        await focus.GetByRole(AriaRole.Button, new() { Name = "上一张" }).ClickAsync();
        await Expect(focus.Locator(".slide:not([hidden]) .caption")).ToHaveTextAsync("2021中博会•产城中国市长论坛成功举办");
        await context.CloseAsync();
    }

    [Test]
    public async Task With_the_api_down_published_pages_still_read_and_search_says_so()
    {
        var page = await _host.Browser.NewPageAsync();
        await page.RouteAsync("**/api/**", r => r.AbortAsync());
        await page.GotoAsync(_host.BaseUrl + SeedUrl);
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "ready");
        await Expect(page.Locator("h1")).ToHaveTextAsync(Given.SeedTitle);
        await Expect(page.Locator("#disclaimer h2")).ToHaveTextAsync("商务部网站版权与免责声明");
        await FooterIsCompleteAsync(page);
        await page.GotoAsync(_host.BaseUrl + "/search.html?q=" + Uri.EscapeDataString("投资"));
        await Expect(page.Locator("#results")).ToContainTextAsync("搜索服务暂时不可用：暂时无法连接内容服务");
        await FooterIsCompleteAsync(page);
        await page.CloseAsync();

        // an API that accepts the request and never answers: the search page gives up after a few seconds and says so
        var hung = await _host.Browser.NewPageAsync();
        await hung.RouteAsync("**/api/**", _ => Task.Delay(TimeSpan.FromSeconds(30)));
        await hung.GotoAsync(_host.BaseUrl + "/search.html?q=" + Uri.EscapeDataString("投资"));
        await Expect(hung.Locator("#results")).ToContainTextAsync("响应超时", new() { Timeout = 15000 });
        await hung.CloseAsync();
    }

    [Test]
    public async Task Search_page_finds_the_seed_article_and_marks_the_match()
    {
        var page = await OpenAsync("/search.html?q=" + Uri.EscapeDataString("市长论坛"));
        await Expect(page.Locator("#results")).ToContainTextAsync("共找到 1 条结果");
        var hit = page.Locator("#results li").First;
        await Expect(hit.Locator("a")).ToHaveTextAsync(Given.SeedTitle);
        await Expect(hit.Locator("a mark")).ToHaveTextAsync("市长论坛");
        await Expect(hit.Locator(".snippet mark").First).ToHaveTextAsync("市长论坛");
        Assert.That(await page.Locator("#site-q").InputValueAsync(), Is.EqualTo("市长论坛"));
        await hit.Locator("a").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync(Given.SeedTitle);

        var none = await OpenAsync("/search.html?q=" + Uri.EscapeDataString("不存在的词语组合"));
        await Expect(none.Locator("#results")).ToContainTextAsync("没有找到");
        await page.Context.CloseAsync();
        await none.Context.CloseAsync();
    }

    [TestCase("/", true)]
    [TestCase("/article/c/", true)]
    [TestCase(SeedUrl, true)]
    [TestCase("/leader/", true)]
    [TestCase("/search.html?q=%E6%8A%95%E8%B5%84", true)]
    [TestCase("/no/such/page.html", true)]
    [TestCase("/", false)]
    [TestCase("/article/c/", false)]
    [TestCase(SeedUrl, false)]
    [TestCase("/leader/", false)]
    [TestCase("/search.html", false)]
    [TestCase("/no/such/page.html", false)]
    public async Task Axe_finds_no_violations(string path, bool javaScript)
    {
        IPage page;
        if (javaScript)
            page = await OpenAsync(path, bypassCsp: true);
        else
        {
            // the page as it is without script; axe is injected by the test (CSP bypassed for it)
            var context = await _host.Browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = true, BypassCSP = true });
            await context.RouteAsync("**/js/**", r => r.AbortAsync());
            page = await context.NewPageAsync();
            await page.GotoAsync(_host.BaseUrl + path);
        }
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = Path.Combine(Repo.Root, "node_modules", "axe-core", "axe.min.js") });
        var result = await page.EvaluateAsync<JsonElement>(
            "async () => (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }))" +
            ".violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, target: v.nodes[0]?.target?.join(' ') }))");
        var all = result.EnumerateArray().Select(v => $"{v.GetProperty("impact").GetString()} {v.GetProperty("id").GetString()} ×{v.GetProperty("nodes").GetInt32()} ({v.GetProperty("target").GetString()})").ToList();
        TestContext.Out.WriteLine($"axe {path}: {(all.Count == 0 ? "no violations" : string.Join("; ", all))}");
        Assert.That(all, Is.Empty);
        await page.Context.CloseAsync();
    }
}
