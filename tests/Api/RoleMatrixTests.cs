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
        ["GET /api/v1/admin/audit"] = Admin,
        ["GET /api/v1/admin/media"] = Author,
        ["POST /api/v1/admin/media"] = Author,
        ["GET /api/v1/admin/media/{id}"] = Author,
        ["PUT /api/v1/admin/media/{id}"] = Author,
        ["DELETE /api/v1/admin/media/{id}"] = Editor,
        ["POST /api/v1/admin/articles/{id}/preview"] = Author,
        ["POST /api/v1/admin/articles/{id}/submit"] = Author,
        ["POST /api/v1/admin/articles/{id}/approve"] = Editor,
        ["POST /api/v1/admin/articles/{id}/reject"] = Editor,
        ["GET /api/v1/admin/articles/{id}/reviews"] = Author,
        ["GET /api/v1/admin/reviews/waiting"] = Editor,
        ["GET /api/v1/admin/site-health"] = Editor,
        ["GET /api/v1/admin/articles/{id}/revisions"] = Author,
        ["GET /api/v1/admin/articles/{id}/revisions/{revisionId:long}"] = Author,
        ["GET /api/v1/admin/articles/{id}/revisions/diff"] = Author,
        ["POST /api/v1/admin/articles/{id}/revisions/{revisionId:long}/restore"] = Author,
        ["GET /api/v1/admin/leadership-messages/{id}/revisions"] = Editor,
        ["GET /api/v1/admin/leadership-messages/{id}/revisions/{revisionId:long}"] = Editor,
        ["GET /api/v1/admin/leadership-messages/{id}/revisions/diff"] = Editor,
        ["POST /api/v1/admin/leadership-messages/{id}/revisions/{revisionId:long}/restore"] = Editor,
        ["GET /api/v1/admin/categories/{id}/revisions"] = Editor,
        ["GET /api/v1/admin/categories/{id}/revisions/{revisionId:long}"] = Editor,
        ["GET /api/v1/admin/categories/{id}/revisions/diff"] = Editor,
        ["POST /api/v1/admin/categories/{id}/revisions/{revisionId:long}/restore"] = Editor,
        ["GET /api/v1/admin/settings/revisions"] = Admin,
        ["GET /api/v1/admin/settings/revisions/{revisionId:long}"] = Admin,
        ["GET /api/v1/admin/settings/revisions/diff"] = Admin,
        ["POST /api/v1/admin/settings/revisions/{revisionId:long}/restore"] = Admin,
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
            var url = System.Text.RegularExpressions.Regex.Replace(route, @"\{[^}]+\}", "987654321");
            if (route.EndsWith("/diff", StringComparison.Ordinal))
                url += "?from=1";
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

    /// <summary>
    /// The least role a route allows does complete it: every staff route, called by that role with the contract's
    /// example body on a resource that exists (for an author: their own draft), answers 2xx.
    /// </summary>
    [Test]
    public async Task The_least_allowed_role_completes_every_staff_action()
    {
        var doc = System.Text.Json.Nodes.JsonNode.Parse(await App.Client.GetStringAsync("/swagger/v1/swagger.json"))!["paths"]!;
        var clients = new Dictionary<int, HttpClient> { [Author] = App.Author, [Editor] = App.Editor, [Admin] = App.Admin };
        var current = System.Text.Json.Nodes.JsonNode.Parse(await App.Client.GetStringAsync("/api/v1/leadership-messages/current"))!["id"]!.GetValue<long>();
        var done = new List<string>();
        var failures = new List<string>();
        foreach (var ((method, route), need) in Expected.Select(kv => (Split(kv.Key), kv.Value)))
        {
            var client = clients[need];
            if (route.EndsWith("/submit", StringComparison.Ordinal) || route.EndsWith("/approve", StringComparison.Ordinal) || route.EndsWith("/reject", StringComparison.Ordinal))
            {
                done.Add($"{method} {route}");
                if (await ReviewActionAsync(client, route) is { } failed)
                    failures.Add(failed);
                continue;
            }
            if (route.Contains("/revisions", StringComparison.Ordinal))
            {
                done.Add($"{method} {route}");
                if (await RevisionActionAsync(doc, client, method, route) is { } failed)
                    failures.Add(failed);
                continue;
            }
            var collection = route.EndsWith("/publish", StringComparison.Ordinal) || route.EndsWith("/offline", StringComparison.Ordinal)
                || route.EndsWith("/make-current", StringComparison.Ordinal) || route.EndsWith("/reviews", StringComparison.Ordinal)
                || route.EndsWith("/preview", StringComparison.Ordinal)
                ? route[..route.LastIndexOf("/{id}", StringComparison.Ordinal)]
                : route.EndsWith("/{id}", StringComparison.Ordinal) ? route[..^5] : route;
            var url = route;
            string? etag = null;
            if (route.Contains("{id}", StringComparison.Ordinal))
            {
                // a fresh resource made by the same caller (an author acts on their own drafts)
                var maker = collection == "/api/v1/admin/articles" ? client : App.Admin;
                var made = collection == "/api/v1/admin/media"
                    ? await Given.UploadAsync(maker, Given.Image(40, 30), "矩阵.jpg")
                    : await Given.SendAsync(maker, HttpMethod.Post, collection, Example(doc, collection, "post"));
                Assert.That(made.StatusCode, Is.EqualTo(HttpStatusCode.Created), $"{collection}: {await made.Content.ReadAsStringAsync()}");
                var id = System.Text.Json.Nodes.JsonNode.Parse(await made.Content.ReadAsStringAsync())!["id"]?.GetValue<long>()
                    ?? System.Text.Json.Nodes.JsonNode.Parse(await made.Content.ReadAsStringAsync())!["info"]!["id"]!.GetValue<long>();
                etag = made.Headers.ETag?.Tag;
                url = route.Replace("{id}", id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            }
            else if (route == "/api/v1/admin/settings")
                etag = (await App.Admin.GetAsync(route)).Headers.ETag?.Tag;
            var body = method switch
            {
                "POST" when route != "/api/v1/admin/media" && doc[route]?["post"]?["requestBody"] is not null => Example(doc, route, "post"),
                "PUT" or "PATCH" => Example(doc, route, "put"),
                _ => null,
            };
            var res = method == "POST" && route == "/api/v1/admin/media"
                ? await Given.UploadAsync(client, Given.Image(40, 30), "上传.jpg")
                : await Given.SendAsync(client, new HttpMethod(method), url, body, method is "PUT" or "PATCH" or "DELETE" ? etag : null,
                    method == "PATCH" ? "application/merge-patch+json" : "application/json");
            done.Add($"{method} {route}");
            if (!res.IsSuccessStatusCode)
                failures.Add($"{method} {url} as role {need}: {(int)res.StatusCode} {await res.Content.ReadAsStringAsync()}");
        }
        (await App.Editor.PostAsync($"/api/v1/admin/leadership-messages/{current}/make-current", null)).EnsureSuccessStatusCode();
        Assert.That(failures, Is.Empty);
        Assert.That(done, Has.Count.EqualTo(Expected.Count));
        TestContext.Out.WriteLine($"role matrix: {done.Count} staff actions completed by the least role allowed");
    }

    private static (string Method, string Route) Split(string key) => (key[..key.IndexOf(' ')], key[(key.IndexOf(' ') + 1)..]);

    /// <summary>The contract's example body for an operation, with unique slugs, codes and names.</summary>
    private static long _reviewColumn;

    /// <summary>A review step on an author's draft in a column with one review step (submitted first, for approve and reject).</summary>
    private static async Task<string?> ReviewActionAsync(HttpClient client, string route)
    {
        if (_reviewColumn == 0)
        {
            var col = await App.Admin.PostAsync("/api/v1/admin/categories", Given.JsonContent(new { code = "rm_review", name = "审核栏目", kind = "list", reviewSteps = 1, isHidden = true, showInNav = false }));
            if (col.StatusCode != HttpStatusCode.Created)
                return "review column: " + await col.Content.ReadAsStringAsync();
            _reviewColumn = System.Text.Json.Nodes.JsonNode.Parse(await col.Content.ReadAsStringAsync())!["id"]!.GetValue<long>();
        }
        var draft = await Given.DraftAsync(App.Author, Given.ArticleBody(categoryId: _reviewColumn));
        if (!route.EndsWith("/submit", StringComparison.Ordinal))
            (await App.Author.PostAsync($"/api/v1/admin/articles/{draft.Id}/submit", Given.JsonContent(new { comment = "请审核" }))).EnsureSuccessStatusCode();
        var url = route.Replace("{id}", draft.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var res = await client.PostAsync(url, Given.JsonContent(new { comment = "矩阵" }));
        return res.IsSuccessStatusCode ? null : $"POST {url}: {(int)res.StatusCode} {await res.Content.ReadAsStringAsync()}";
    }

    /// <summary>A revision route on an item the caller may act on (made fresh, with its first revision); null when it succeeds.</summary>
    private static async Task<string?> RevisionActionAsync(System.Text.Json.Nodes.JsonNode doc, HttpClient client, string method, string route)
    {
        var itemRoute = route[..route.IndexOf("/revisions", StringComparison.Ordinal)];
        var item = itemRoute;
        if (itemRoute.EndsWith("/{id}", StringComparison.Ordinal))
        {
            var collection = itemRoute[..^5];
            var made = await Given.SendAsync(collection == "/api/v1/admin/articles" ? client : App.Admin, HttpMethod.Post, collection, Example(doc, collection, "post"));
            if (made.StatusCode != HttpStatusCode.Created)
                return $"{collection}: {await made.Content.ReadAsStringAsync()}";
            item = itemRoute.Replace("{id}", System.Text.Json.Nodes.JsonNode.Parse(await made.Content.ReadAsStringAsync())!["id"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
        var current = await App.Admin.GetAsync(item);
        var revisions = System.Text.Json.Nodes.JsonNode.Parse(await App.Admin.GetStringAsync(item + "/revisions"))!["items"]!.AsArray();
        var revision = revisions[^1]!["id"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var url = item + route[itemRoute.Length..].Replace("{revisionId:long}", revision, StringComparison.Ordinal);
        if (url.EndsWith("/diff", StringComparison.Ordinal))
            url += "?from=" + revision;
        var res = await Given.SendAsync(client, new HttpMethod(method), url, null, method == "POST" ? current.Headers.ETag?.Tag : null);
        return res.IsSuccessStatusCode ? null : $"{method} {url}: {(int)res.StatusCode} {await res.Content.ReadAsStringAsync()}";
    }

    private static string Example(System.Text.Json.Nodes.JsonNode paths, string route, string method)
    {
        var body = paths[route]![method]!["requestBody"]!["content"]!.AsObject().First().Value!["example"]!.DeepClone().AsObject();
        var unique = Guid.NewGuid().ToString("N")[..10];
        if (body.ContainsKey("slug"))
            body["slug"] = "role-" + unique;
        if (body.ContainsKey("code"))
            body["code"] = "r" + unique;
        if (body.ContainsKey("parentId"))
            body["parentId"] = null;
        if (body.ContainsKey("legacyId"))
            body["legacyId"] = null;
        return body.ToJsonString();
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
