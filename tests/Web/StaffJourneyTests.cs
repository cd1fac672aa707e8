using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cms.Api.Features.Keys;
using Cms.Api.Http;
using Microsoft.Playwright;

namespace Cms.Tests.Web;

/// <summary>
/// A day at the news desk, in Chromium through Swagger UI: an author uploads a photo with the file picker, writes an
/// article that shows it and submits it; a second person approves it and opens the preview; it is published and the
/// photo is on the published page; an edit is undone by restoring the first revision; the audit log holds every step.
/// </summary>
[TestFixture]
public sealed class StaffJourneyTests
{
    private BrowserHost _host = null!;
    private IPage _page = null!;

    [OneTimeSetUp]
    public async Task Start() => _host = await BrowserHost.StartAsync(published: true);

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    /// <summary>Another person at the same desk: Swagger UI keeps the key in the tab's memory only, so a reload forgets the last one.</summary>
    private async Task AuthorizeAsync(string key)
    {
        await _page.GotoAsync($"{_host.BaseUrl}/swagger/index.html");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Authorize" }).First.ClickAsync();
        var dialog = _page.Locator(".modal-ux");
        await dialog.Locator("input").First.FillAsync(key);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Apply credentials" }).First.ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Close" }).First.ClickAsync();
    }

    /// <summary>Opens an operation, fills what is given, presses Execute and returns the status and body Swagger UI shows.</summary>
    private async Task<(int Status, string Body)> ExecuteAsync(string method, string path, Dictionary<string, string>? parameters = null,
        string? body = null, Func<ILocator, Task>? fill = null, string? screenshot = null)
    {
        var op = _page.Locator($".opblock-{method}:has(.opblock-summary-path[data-path='{path}'])").First;
        if (!await op.Locator(".opblock-body").IsVisibleAsync())
            await op.Locator(".opblock-summary").ClickAsync();
        var tryIt = op.GetByRole(AriaRole.Button, new() { Name = "Try it out" });
        if (await tryIt.CountAsync() > 0 && await tryIt.First.IsVisibleAsync())
            await tryIt.First.ClickAsync();
        foreach (var (name, value) in parameters ?? [])
            await op.Locator($"tr[data-param-name='{name}'] input").First.FillAsync(value);
        if (body is not null)
            await op.Locator("textarea.body-param__text").FillAsync(body);
        if (fill is not null)
            await fill(op);
        var clear = op.GetByRole(AriaRole.Button, new() { Name = "Clear" });
        if (await clear.CountAsync() > 0 && await clear.First.IsVisibleAsync())
            await clear.First.ClickAsync();
        await op.GetByRole(AriaRole.Button, new() { Name = "Execute" }).ClickAsync();
        var status = op.Locator(".live-responses-table tbody .response-col_status").First;
        await Assertions.Expect(status).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[1-5][0-9][0-9]"), new() { Timeout = 15_000 });
        var text = await op.Locator(".live-responses-table .response-col_description .highlight-code pre").First.InnerTextAsync();
        if (screenshot is not null)
        {
            await status.ScrollIntoViewIfNeededAsync();
            await _page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserHost.ArtifactPath(screenshot) });
        }
        return (int.Parse((await status.InnerTextAsync()).Trim()[..3], System.Globalization.CultureInfo.InvariantCulture), text);
    }

    [Test]
    public async Task Upload_write_submit_approve_preview_publish_edit_restore_and_audit()
    {
        using var admin = new HttpClient { BaseAddress = new Uri(_host.BaseUrl) };
        admin.DefaultRequestHeaders.Add("X-Api-Key", App.AdminKey);
        async Task<string> KeyAsync(string name, KeyRole role)
        {
            var res = await admin.PostAsJsonAsync("/api/v1/admin/keys", new { name, role = ApiJson.EnumText(role) });
            Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.Created), await res.Content.ReadAsStringAsync());
            return JsonNode.Parse(await res.Content.ReadAsStringAsync())!["key"]!.GetValue<string>();
        }
        var authorKey = await KeyAsync("记者小王", KeyRole.Author);
        var editorKey = await KeyAsync("审核人老李", KeyRole.Editor);
        // 通知公告 asks for one review step (终审) before publishing
        var column = JsonNode.Parse(await admin.GetStringAsync("/api/v1/admin/categories/3"))!.AsObject();
        var columnEtag = (await admin.GetAsync("/api/v1/admin/categories/3")).Headers.ETag!.Tag;
        var setReview = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/admin/categories/3") { Content = new StringContent("{\"reviewSteps\":1}", System.Text.Encoding.UTF8, "application/merge-patch+json") };
        setReview.Headers.TryAddWithoutValidation("If-Match", columnEtag);
        Assert.That((await admin.SendAsync(setReview)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(column["code"]!.GetValue<string>(), Is.EqualTo("tzgg"));

        _page = await _host.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        var errors = new List<string>();
        _page.PageError += (_, e) => errors.Add(e);
        await AuthorizeAsync(authorKey);

        // 1. the photo, through the file picker
        var photo = Path.Combine(Path.GetTempPath(), $"招商推介会现场-{Guid.NewGuid():N}.jpg");
        await File.WriteAllBytesAsync(photo, Given.Image(1600, 900));
        var (status, text) = await ExecuteAsync("post", "/api/v1/admin/media", fill: async op =>
        {
            await op.Locator("input[type=file]").SetInputFilesAsync(photo);
            await op.Locator("tr:has(.parameter__name:text-is('alt')) input").First.FillAsync("2026年招商推介会现场");
        }, screenshot: "journey-1-upload.png");
        Assert.That(status, Is.EqualTo(201), text);
        var media = JsonNode.Parse(text)!;
        var imageUrl = media["url"]!.GetValue<string>();
        Assert.That(media["fileName"]!.GetValue<string>(), Does.StartWith("招商推介会现场-"));

        // 2. the article that shows it, then submitted
        var article = new JsonObject
        {
            ["categoryId"] = 3, ["title"] = "关于举办2026年招商推介会的通知", ["source"] = "商务部投资促进事务局", ["articleType"] = "original",
            ["bodyHtml"] = $"<p>各有关单位：</p><p>2026年招商推介会定于6月举办。</p><p><img src=\"{imageUrl}\"></p>",
        };
        (status, text) = await ExecuteAsync("post", "/api/v1/admin/articles", body: article.ToJsonString());
        Assert.That(status, Is.EqualTo(201), text);
        var id = JsonNode.Parse(text)!["id"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(JsonNode.Parse(text)!["bodyHtml"]!.GetValue<string>(), Does.Contain("srcset=").And.Contain("alt=\"2026年招商推介会现场\""));
        (status, text) = await ExecuteAsync("post", "/api/v1/admin/articles/{id}/submit", new() { ["id"] = id }, "{\"comment\":\"请审核\"}");
        Assert.That(status, Is.EqualTo(200), text);
        Assert.That(JsonNode.Parse(text)!["status"]!.GetValue<string>(), Is.EqualTo("inReview"));

        // 3. a second person approves and looks at the preview
        await AuthorizeAsync(editorKey);
        (status, text) = await ExecuteAsync("get", "/api/v1/admin/reviews/waiting", screenshot: "journey-2-waiting.png");
        Assert.That(status, Is.EqualTo(200), text);
        Assert.That(text, Does.Contain("关于举办2026年招商推介会的通知"));
        (status, text) = await ExecuteAsync("post", "/api/v1/admin/articles/{id}/approve", new() { ["id"] = id }, "{\"comment\":\"同意发布\"}", screenshot: "journey-2-approve.png");
        Assert.That(status, Is.EqualTo(200), text);
        (status, text) = await ExecuteAsync("post", "/api/v1/admin/articles/{id}/preview", new() { ["id"] = id }, "{\"minutes\":60}");
        Assert.That(status, Is.EqualTo(200), text);
        var preview = await _host.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        var previewResponse = await preview.GotoAsync(_host.BaseUrl + JsonNode.Parse(text)!["url"]!.GetValue<string>());
        Assert.That(previewResponse!.Headers["x-robots-tag"], Does.Contain("noindex"));
        await Assertions.Expect(preview.Locator(".preview-banner")).ToContainTextAsync("预览");
        await Assertions.Expect(preview.Locator("h1.article-title")).ToHaveTextAsync("关于举办2026年招商推介会的通知");
        await Assertions.Expect(preview.Locator("meta[name='robots']")).ToHaveAttributeAsync("content", "noindex, nofollow");
        await preview.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserHost.ArtifactPath("journey-3-preview.png"), FullPage = true });

        // 4. published, and the photo is on the published page
        (status, text) = await ExecuteAsync("post", "/api/v1/admin/articles/{id}/publish", new() { ["id"] = id });
        Assert.That(status, Is.EqualTo(200), text);
        var url = JsonNode.Parse(text)!["url"]!.GetValue<string>();
        await _host.WaitForPageAsync(url, "关于举办2026年招商推介会的通知");
        var live = await _host.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        await live.GotoAsync(_host.BaseUrl + url);
        var img = live.Locator(".article-body img");
        await Assertions.Expect(img).ToHaveAttributeAsync("srcset", new System.Text.RegularExpressions.Regex("-640\\.jpg 640w"));
        await Assertions.Expect(img).ToHaveAttributeAsync("alt", "2026年招商推介会现场");
        await img.ScrollIntoViewIfNeededAsync();
        await _page.WaitForTimeoutAsync(200);
        Assert.That(await img.EvaluateAsync<int>("i => i.complete ? i.naturalWidth : 0"), Is.GreaterThan(0), "the image loads on the published page");
        Assert.That(await img.EvaluateAsync<bool>("i => i.getBoundingClientRect().right <= i.closest('.article-body').getBoundingClientRect().right + 0.5"), Is.True,
            "the photo stays inside the article's column");
        Assert.That(File.Exists(Path.Combine(_host.SiteDir!, imageUrl.TrimStart('/'))), Is.True, "the publisher copied the photo beside the pages");
        await live.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserHost.ArtifactPath("journey-4-published.png"), FullPage = true });

        // 5. an edit, then the first revision restored
        (status, text) = await ExecuteAsync("patch", "/api/v1/admin/articles/{id}", new() { ["id"] = id, ["If-Match"] = "*" }, "{\"title\":\"关于举办2026年招商推介会的通知（修改稿）\"}");
        Assert.That(status, Is.EqualTo(200), text);
        (status, text) = await ExecuteAsync("get", "/api/v1/admin/articles/{id}/revisions", new() { ["id"] = id });
        var revisions = JsonNode.Parse(text)!["items"]!.AsArray();
        var first = revisions[^1]!["id"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture);
        (status, text) = await ExecuteAsync("post", "/api/v1/admin/articles/{id}/revisions/{revisionId}/restore", new() { ["id"] = id, ["revisionId"] = first, ["If-Match"] = "*" },
            screenshot: "journey-5-restore.png");
        Assert.That(status, Is.EqualTo(200), text);
        Assert.That(JsonNode.Parse(text)!["content"]!["title"]!.GetValue<string>(), Is.EqualTo("关于举办2026年招商推介会的通知"));
        await _host.WaitForPageWithoutAsync(url, "（修改稿）");

        // 6. every step in the audit log
        await AuthorizeAsync(App.AdminKey);
        (status, text) = await ExecuteAsync("get", "/api/v1/admin/audit", new() { ["pageSize"] = "100" }, screenshot: "journey-6-audit.png");
        Assert.That(status, Is.EqualTo(200), text);
        var rows = JsonNode.Parse(text)!["items"]!.AsArray().Select(r => (Action: r!["action"]!.GetValue<string>(), Key: r["keyName"]?.GetValue<string>(), Id: r["entityId"]?.GetValue<string>())).ToList();
        foreach (var (action, key) in new[]
        {
            ("POST /api/v1/admin/media", "记者小王"), ("POST /api/v1/admin/articles", "记者小王"), ("POST /api/v1/admin/articles/{id}/submit", "记者小王"),
            ("POST /api/v1/admin/articles/{id}/approve", "审核人老李"), ("POST /api/v1/admin/articles/{id}/preview", "审核人老李"),
            ("POST /api/v1/admin/articles/{id}/publish", "审核人老李"), ("PATCH /api/v1/admin/articles/{id}", "审核人老李"),
            ("POST /api/v1/admin/articles/{id}/revisions/{revisionId}/restore", "审核人老李"),
        })
            Assert.That(rows.Any(r => r.Action == action && r.Key == key), Is.True, $"{action} by {key} is in the audit log: {string.Join("; ", rows.Select(r => r.Action + " " + r.Key))}");
        Assert.That(errors, Is.Empty);
        File.Delete(photo);
    }
}
