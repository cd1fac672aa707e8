using System.Net;
using System.Net.Http.Json;
using Cms.Api.Features.Articles;
using Cms.Api.Http;
using Microsoft.Data.Sqlite;

namespace Cms.Tests.Api;

/// <summary>Smaller holes a hostile review found: links that leave the site, echoed input, Swagger UI's exposure, production defaults.</summary>
[TestFixture]
public sealed class HardeningTests
{
    [Test]
    public async Task Protocol_relative_and_backslash_links_do_not_survive_the_sanitizer()
    {
        var body = """<p><a href="//evil.example/x">一</a><a href="\\evil.example\x">二</a><a href=" //evil.example">三</a><img src="//evil.example/x.png" alt="图"><a href="/article/c/">站内</a><a href="https://www.mofcom.gov.cn/">商务部</a></p>""";
        var a = await Given.DraftAsync(App.Editor, Given.ArticleBody(bodyHtml: body));
        Assert.That(a.BodyHtml, Does.Not.Contain("evil.example"));
        Assert.That(a.BodyHtml, Does.Contain("href=\"/article/c/\"").And.Contain("href=\"https://www.mofcom.gov.cn/\""));
    }

    [TestCase("page=abc", "page", "a whole number")]
    [TestCase("type=<script>", "type", "one of original, reprint, translation, excerpt")]
    [TestCase("from=yesterday", "from", "a date")]
    public async Task Wrong_query_values_are_named_in_words_without_echo_or_dotnet_types(string query, string name, string expected)
    {
        var res = await App.Client.GetAsync("/api/v1/articles?" + query);
        var problem = await Problem.AssertAsync(res, HttpStatusCode.BadRequest, name);
        var text = await res.Content.ReadAsStringAsync();
        Assert.That(problem.Errors.Single().Reason, Does.Contain(expected));
        Assert.That(text, Does.Not.Contain("Int32").And.Not.Contain("ArticleType]").And.Not.Contain("<script>").And.Not.Contain("abc").And.Not.Contain("yesterday"));
    }

    [Test]
    public async Task Swagger_ui_has_its_own_strict_policy_and_no_version_header()
    {
        var res = await App.Client.GetAsync("/swagger/index.html");
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var csp = string.Join(' ', res.Headers.GetValues("Content-Security-Policy"));
        Assert.That(csp, Does.Contain("frame-ancestors 'none'").And.Contain("script-src 'self'").And.Not.Contain("unsafe-eval"));
        Assert.That(res.Headers.Contains("x-swagger-ui-version"), Is.False);
        Assert.That(await res.Content.ReadAsStringAsync(), Does.Not.Contain("persistAuthorization\":true"));
    }

    [Test]
    public async Task Production_serves_no_swagger_ui_and_no_demo_content_unless_asked()
    {
        var db = Path.Combine(Path.GetTempPath(), $"cms-prod-{Guid.NewGuid():N}.db");
        try
        {
            await using (var prod = new CmsFactory(db, environment: "Production"))
            {
                using var client = prod.CreateClient();
                Assert.That((await client.GetAsync("/swagger/index.html")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
                Assert.That((await client.GetAsync("/swagger/v1/swagger.json")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the contract stays public");
                var list = await client.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/v1/articles");
                Assert.That(list!["page"]!["totalItems"]!.GetValue<int>(), Is.Zero, "no demo content");
            }
            SqliteConnection.ClearAllPools();
            await using var staffHost = new CmsFactory(db, new Dictionary<string, string> { ["Cms:SwaggerUi"] = "staff.cms.test" }, "Production");
            using var staff = staffHost.CreateClient();
            Assert.That((await staff.GetAsync("/swagger/index.html")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "not on the portal's host");
            var onStaffHost = new HttpRequestMessage(HttpMethod.Get, "/swagger/index.html");
            onStaffHost.Headers.Host = "staff.cms.test";
            Assert.That((await staff.SendAsync(onStaffHost)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "on the staff host");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var f in new[] { db, db + "-wal", db + "-shm" })
                File.Delete(f);
        }
    }
}
