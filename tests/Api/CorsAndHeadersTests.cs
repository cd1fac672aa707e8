using System.Net;

namespace Cms.Tests.Api;

[TestFixture]
public sealed class CorsAndHeadersTests
{
    private static HttpRequestMessage From(string origin, HttpMethod method, string url, params (string, string)[] headers)
    {
        var req = new HttpRequestMessage(method, url);
        req.Headers.Add("Origin", origin);
        foreach (var (k, v) in headers)
            req.Headers.Add(k, v);
        return req;
    }

    [Test]
    public async Task A_configured_origin_may_read_public_content()
    {
        var res = await App.Client.SendAsync(From(App.PartnerOrigin, HttpMethod.Get, "/api/v1/site"));
        Assert.That(res.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { App.PartnerOrigin }));
        Assert.That(res.Headers.Contains("Access-Control-Allow-Credentials"), Is.False);
        Assert.That(string.Join(",", res.Headers.GetValues("Access-Control-Expose-Headers")), Does.Contain("ETag"));
    }

    [Test]
    public async Task Other_origins_get_no_cors_headers()
    {
        var res = await App.Client.SendAsync(From("https://evil.example", HttpMethod.Get, "/api/v1/site"));
        Assert.That(res.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
        var pre = await App.Client.SendAsync(From("https://evil.example", HttpMethod.Options, "/api/v1/articles", ("Access-Control-Request-Method", "GET")));
        Assert.That(pre.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }

    [Test]
    public async Task Even_a_configured_origin_cannot_call_the_staff_api_from_a_browser()
    {
        var pre = await App.Client.SendAsync(From(App.PartnerOrigin, HttpMethod.Options, "/api/v1/admin/articles",
            ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "x-api-key,content-type")));
        var allowed = pre.Headers.TryGetValues("Access-Control-Allow-Methods", out var m) ? string.Join(",", m) : "";
        var allowedHeaders = pre.Headers.TryGetValues("Access-Control-Allow-Headers", out var hs) ? string.Join(",", hs) : "";
        Assert.That(allowed, Does.Not.Contain("POST"));
        Assert.That(allowedHeaders.ToLowerInvariant(), Does.Not.Contain("x-api-key"));
    }

    [Test]
    public async Task Portal_pages_carry_a_strict_csp()
    {
        var res = await App.Client.GetAsync("/article.html");
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var csp = string.Join(";", res.Headers.GetValues("Content-Security-Policy"));
        Assert.That(csp, Does.Contain("script-src 'self'").And.Contain("object-src 'none'").And.Contain("base-uri 'none'")
            .And.Contain("frame-ancestors 'none'").And.Contain("require-trusted-types-for 'script'").And.Not.Contain("unsafe"));
        Assert.That(csp, Does.Contain($"connect-src 'self' {App.PartnerOrigin}"));
        Assert.That(res.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
    }

    [Test]
    public async Task Unknown_page_is_the_portal_404_and_unknown_api_route_a_problem()
    {
        var page = await App.Client.GetAsync("/article/c/202105/20210503064097.shtml");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(page.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(await page.Content.ReadAsStringAsync(), Does.Contain("notfound.js"));
        await Problem.AssertAsync(await App.Client.GetAsync("/api/v1/nope"), HttpStatusCode.NotFound);
    }
}
