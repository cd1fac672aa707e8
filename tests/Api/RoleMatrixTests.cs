using System.Net;
using Cms.Api.Features.Keys;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.Tests.Api;

/// <summary>
/// Every staff route, enumerated from the live route table, × no key / revoked key / author / editor / admin against the
/// expected table. Ids point at nothing, so no request changes content.
/// </summary>
[TestFixture]
public sealed class RoleMatrixTests
{
    private const int Author = 1, Editor = 2, Admin = 3;

    /// <summary>The least role each staff route needs. A new route must be added here, or the test fails.</summary>
    private static readonly Dictionary<string, int> Expected = new()
    {
        ["GET /api/v1/admin/articles"] = Author,
        ["POST /api/v1/admin/articles"] = Author,
        ["GET /api/v1/admin/articles/{id}"] = Author,
        ["PUT /api/v1/admin/articles/{id}"] = Author,
        ["PATCH /api/v1/admin/articles/{id}"] = Author,
        ["DELETE /api/v1/admin/articles/{id}"] = Author,
        ["POST /api/v1/admin/articles/{id}/publish"] = Editor,
        ["POST /api/v1/admin/articles/{id}/offline"] = Editor,
        ["GET /api/v1/admin/categories"] = Author,
        ["POST /api/v1/admin/categories"] = Editor,
        ["GET /api/v1/admin/categories/{id}"] = Author,
        ["PUT /api/v1/admin/categories/{id}"] = Editor,
        ["PATCH /api/v1/admin/categories/{id}"] = Editor,
        ["DELETE /api/v1/admin/categories/{id}"] = Editor,
        ["GET /api/v1/admin/leadership-messages"] = Author,
        ["POST /api/v1/admin/leadership-messages"] = Editor,
        ["GET /api/v1/admin/leadership-messages/{id}"] = Author,
        ["PUT /api/v1/admin/leadership-messages/{id}"] = Editor,
        ["PATCH /api/v1/admin/leadership-messages/{id}"] = Editor,
        ["DELETE /api/v1/admin/leadership-messages/{id}"] = Editor,
        ["POST /api/v1/admin/leadership-messages/{id}/make-current"] = Editor,
        ["GET /api/v1/admin/settings"] = Admin,
        ["PUT /api/v1/admin/settings"] = Admin,
        ["PATCH /api/v1/admin/settings"] = Admin,
        ["GET /api/v1/admin/partners"] = Author,
        ["POST /api/v1/admin/partners"] = Editor,
        ["GET /api/v1/admin/partners/{id}"] = Author,
        ["PUT /api/v1/admin/partners/{id}"] = Editor,
        ["PATCH /api/v1/admin/partners/{id}"] = Editor,
        ["DELETE /api/v1/admin/partners/{id}"] = Editor,
        ["GET /api/v1/admin/links"] = Author,
        ["POST /api/v1/admin/links"] = Editor,
        ["GET /api/v1/admin/links/{id}"] = Author,
        ["PUT /api/v1/admin/links/{id}"] = Editor,
        ["PATCH /api/v1/admin/links/{id}"] = Editor,
        ["DELETE /api/v1/admin/links/{id}"] = Editor,
        ["GET /api/v1/admin/focus-items"] = Author,
        ["POST /api/v1/admin/focus-items"] = Editor,
        ["GET /api/v1/admin/focus-items/{id}"] = Author,
        ["PUT /api/v1/admin/focus-items/{id}"] = Editor,
        ["PATCH /api/v1/admin/focus-items/{id}"] = Editor,
        ["DELETE /api/v1/admin/focus-items/{id}"] = Editor,
        ["GET /api/v1/admin/keys"] = Admin,
        ["POST /api/v1/admin/keys"] = Admin,
        ["DELETE /api/v1/admin/keys/{id}"] = Admin,
    };

    private static List<(string Method, string Route)> LiveRoutes() =>
        App.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Distinct().ToList();

    [Test]
    public void Every_write_route_is_a_staff_route_and_every_staff_route_is_in_the_table()
    {
        var live = LiveRoutes();
        var writes = live.Where(r => r.Method is "POST" or "PUT" or "DELETE" or "PATCH").ToList();
        Assert.That(writes, Is.Not.Empty);
        Assert.That(writes.Select(w => w.Route), Is.All.StartWith("/api/v1/admin/"));
        var staff = live.Where(r => r.Route.StartsWith("/api/v1/admin/", StringComparison.Ordinal)).Select(r => $"{r.Method} {r.Route}").ToList();
        Assert.That(staff, Is.EquivalentTo(Expected.Keys));
    }

    [Test]
    public async Task Observed_statuses_match_the_role_table()
    {
        var revokedKey = await App.NewKeyAsync("吊销者", KeyRole.Editor);
        var keys = (await (await App.Admin.GetAsync("/api/v1/admin/keys")).Content.ReadAsStringAsync());
        var revokedId = System.Text.Json.JsonDocument.Parse(keys).RootElement.EnumerateArray().Last().GetProperty("id").GetInt64();
        Assert.That((await App.Admin.DeleteAsync($"/api/v1/admin/keys/{revokedId}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        using var revoked = App.WithKey(revokedKey);
        using var garbage = App.WithKey("cms_not-a-key");
        var callers = new (string Name, HttpClient Client, int Level)[]
        {
            ("anonymous", App.Client, 0), ("garbage key", garbage, 0), ("revoked key", revoked, 0),
            ("author", App.Author, Author), ("editor", App.Editor, Editor), ("admin", App.Admin, Admin),
        };
        var mismatches = new List<string>();
        var checkedCount = 0;
        foreach (var (method, route) in LiveRoutes().Where(r => r.Route.StartsWith("/api/v1/admin/", StringComparison.Ordinal)))
        {
            var need = Expected[$"{method} {route}"];
            var url = route.Replace("{id}", "987654321");
            foreach (var (name, client, level) in callers)
            {
                var res = await Given.SendAsync(client, new HttpMethod(method), url, method is "POST" or "PUT" ? "{}" : null);
                var got = (int)res.StatusCode;
                var ok = level == 0 ? got == 401 : level < need ? got == 403 : got is not (401 or 403) && got < 500;
                checkedCount++;
                if (!ok)
                    mismatches.Add($"{method} {url} as {name}: {got}");
            }
        }
        Assert.That(mismatches, Is.Empty);
        Assert.That(checkedCount, Is.EqualTo(Expected.Count * callers.Length));
        TestContext.Out.WriteLine($"role matrix: {Expected.Count} routes × {callers.Length} callers = {checkedCount} checks, 0 mismatches");
    }

    [TestCase("/api/v1/admin/settings/")]
    [TestCase("/api/v1/ADMIN/settings")]
    [TestCase("//api/v1/admin/settings")]
    [TestCase("/api/v1/admin%2Fsettings")]
    [TestCase("/api/v1/admin/settings;x=1")]
    public async Task Route_variants_get_no_further_than_the_canonical_route(string url)
    {
        var res = await App.Author.GetAsync(url);
        Assert.That((int)res.StatusCode, Is.AnyOf(403, 404), url);
        res = await App.Client.GetAsync(url);
        Assert.That((int)res.StatusCode, Is.AnyOf(401, 404), url);
    }
}
