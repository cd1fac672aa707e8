using System.Net;
using System.Net.Http.Json;
using Cms.Api.Features.Articles;
using Cms.Api.Http;
using Microsoft.Playwright;

namespace Cms.Tests.Web;

/// <summary>Content staff's path: open Swagger UI, authorize with a key, create an article from the example body.</summary>
[TestFixture]
public sealed class SwaggerUiTests
{
    private BrowserHost _host = null!;

    [OneTimeSetUp]
    public async Task Start() => _host = await BrowserHost.StartAsync(published: false);

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    [Test]
    public async Task Staff_authorize_with_a_key_and_create_an_article()
    {
        var page = await _host.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync($"{_host.BaseUrl}/swagger/index.html");

        await page.GetByRole(AriaRole.Button, new() { Name = "Authorize" }).First.ClickAsync();
        var dialog = page.Locator(".modal-ux");
        await dialog.Locator("input").First.FillAsync(App.AdminKey);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Apply credentials" }).First.ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Close" }).First.ClickAsync();

        var op = page.Locator(".opblock-post:has(.opblock-summary-path[data-path='/api/v1/admin/articles'])");
        await op.Locator(".opblock-summary").ClickAsync();
        var body = op.Locator("textarea.body-param__text");
        var example = await body.InputValueAsync();
        Assert.That(example, Does.Contain("“产城中国”投资联盟在太原成立"), "the example body is prefilled");
        var slug = Given.Slug("swagger");
        await body.FillAsync(example.Replace("2021-cczg-investment-alliance", slug));
        await op.GetByRole(AriaRole.Button, new() { Name = "Execute" }).ClickAsync();

        var status = op.Locator(".live-responses-table tbody .response-col_status").First;
        await Assertions.Expect(status).ToHaveTextAsync("201", new() { Timeout = 15_000 });
        await status.ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserHost.ArtifactPath("swagger-create-article.png") });

        using var http = new HttpClient { BaseAddress = new Uri(_host.BaseUrl) };
        http.DefaultRequestHeaders.Add("X-Api-Key", App.AdminKey);
        var list = await http.GetFromJsonAsync<Paged<AdminArticleListItem>>("/api/v1/admin/articles?status=draft", ApiJson.Options);
        var created = list!.Items.SingleOrDefault(i => i.Slug == slug);
        Assert.That(created, Is.Not.Null);
        Assert.That(created!.Title, Is.EqualTo("“产城中国”投资联盟在太原成立"));
        Assert.That(errors, Is.Empty);
    }

    [Test]
    public async Task Swagger_ui_without_a_key_gets_401_for_a_staff_route()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_host.BaseUrl) };
        Assert.That((await http.GetAsync("/api/v1/admin/articles")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await http.GetAsync("/healthz")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
