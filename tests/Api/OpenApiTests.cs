using System.Net;
using System.Text.Json;

namespace Cms.Tests.Api;

[TestFixture]
public sealed class OpenApiTests
{
    private static string Normalize(string s) => s.Replace("\r\n", "\n").Trim();

    [Test]
    public async Task Served_document_equals_the_committed_openapi_yaml()
    {
        var served = await App.Client.GetStringAsync("/swagger/v1/swagger.yaml");
        var committed = await File.ReadAllTextAsync(Path.Combine(Repo.Root, "openapi.yaml"));
        Assert.That(Normalize(served), Is.EqualTo(Normalize(committed)), "openapi.yaml is stale: run `make openapi` and commit it");
    }

    [Test]
    public async Task Operations_have_short_unique_ids_examples_for_path_parameters_and_say_who_may_call_them()
    {
        var doc = JsonDocument.Parse(await App.Client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        Assert.That(doc.GetProperty("openapi").GetString(), Does.StartWith("3.1"));
        Assert.That(doc.GetProperty("servers").GetArrayLength(), Is.GreaterThan(0));
        Assert.That(doc.GetProperty("tags").EnumerateArray().All(t => t.TryGetProperty("description", out _)), Is.True);
        var ids = new List<string>();
        var problems = new List<string>();
        foreach (var path in doc.GetProperty("paths").EnumerateObject())
        {
            foreach (var op in path.Value.EnumerateObject())
            {
                var name = $"{op.Name.ToUpperInvariant()} {path.Name}";
                var id = op.Value.GetProperty("operationId").GetString()!;
                ids.Add(id);
                if (!System.Text.RegularExpressions.Regex.IsMatch(id, "^[a-z][A-Za-z]{2,40}$"))
                    problems.Add($"{name}: operationId {id}");
                foreach (var p in op.Value.TryGetProperty("parameters", out var ps) ? ps.EnumerateArray() : Enumerable.Empty<JsonElement>())
                {
                    if (p.GetProperty("in").GetString() == "path" && !p.TryGetProperty("example", out _))
                        problems.Add($"{name}: path parameter {p.GetProperty("name")} has no example");
                }
                var security = op.Value.GetProperty("security");
                var admin = path.Name.StartsWith("/api/v1/admin/", StringComparison.Ordinal);
                if (admin != (security.GetArrayLength() > 0))
                    problems.Add($"{name}: security {security}");
            }
        }
        Assert.That(ids, Is.Unique);
        Assert.That(problems, Is.Empty);
        Assert.That(ids, Is.SupersetOf(new[] { "listArticles", "getArticle", "createArticle", "publishArticle", "updateArticle", "patchArticle", "deleteArticle", "getSite", "searchArticles", "getSync" }));
    }

    [Test]
    public async Task Swagger_ui_is_served()
    {
        var res = await App.Client.GetAsync("/swagger/index.html");
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await res.Content.ReadAsStringAsync(), Does.Contain("swagger-ui"));
    }

    [Test]
    public async Task Every_operation_is_tagged_summarised_and_documents_its_status_codes()
    {
        var doc = JsonDocument.Parse(await App.Client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        Assert.That(doc.GetProperty("components").GetProperty("securitySchemes").EnumerateObject().Select(p => p.Name),
            Is.EquivalentTo(new[] { "ApiKey", "Bearer" }));
        var problems = new List<string>();
        foreach (var path in doc.GetProperty("paths").EnumerateObject())
        {
            foreach (var op in path.Value.EnumerateObject())
            {
                var name = $"{op.Name.ToUpperInvariant()} {path.Name}";
                var o = op.Value;
                var codes = o.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();
                if (!o.TryGetProperty("tags", out var tags) || tags.GetArrayLength() == 0)
                    problems.Add($"{name}: no tag");
                if (!o.TryGetProperty("summary", out var summary) || !summary.GetString()!.Contains(" / "))
                    problems.Add($"{name}: no bilingual summary");
                foreach (var pn in System.Text.RegularExpressions.Regex.Matches(path.Name, @"\{([^}]+)\}").Select(m => m.Groups[1].Value))
                {
                    if (!o.TryGetProperty("parameters", out var ps) || !ps.EnumerateArray().Any(x => x.GetProperty("name").GetString() == pn && x.GetProperty("in").GetString() == "path"))
                        problems.Add($"{name}: path parameter {pn} missing");
                }
                var admin = path.Name.StartsWith("/api/v1/admin/", StringComparison.Ordinal);
                if (admin && !(codes.Contains("401") && codes.Contains("403")))
                    problems.Add($"{name}: 401/403 not documented");
                if (admin && !o.TryGetProperty("security", out _))
                    problems.Add($"{name}: no security requirement");
                if (op.Name is "post" or "put")
                {
                    if (o.TryGetProperty("requestBody", out var body))
                    {
                        if (!codes.Contains("400"))
                            problems.Add($"{name}: 400 not documented");
                        var content = body.GetProperty("content");
                        if (content.TryGetProperty("multipart/form-data", out var form))
                        {
                            // an upload: Swagger UI offers a file picker for a binary property
                            if (!form.GetProperty("schema").GetProperty("properties").EnumerateObject().Any(p => p.Value.TryGetProperty("format", out var f) && f.GetString() == "binary"))
                                problems.Add($"{name}: a form without a file part");
                        }
                        else if (!content.GetProperty("application/json").TryGetProperty("example", out _))
                            problems.Add($"{name}: no example body");
                        if (!(o.TryGetProperty("description", out var d) && d.GetString()!.Any(c => c > 0x4E00)))
                            problems.Add($"{name}: no Chinese description");
                    }
                }
                // a POST that makes something answers 201; an action on an item (…/{id}/approve with a comment) does not
                if (op.Name == "post" && o.TryGetProperty("requestBody", out _) && !codes.Contains("201")
                    && !System.Text.RegularExpressions.Regex.IsMatch(path.Name, @"/\{id\}/[a-z-]+$"))
                    problems.Add($"{name}: 201 not documented");
                if (op.Name is "put" or "delete" && admin && !path.Name.StartsWith("/api/v1/admin/keys", StringComparison.Ordinal))
                {
                    if (!(codes.Contains("412") && codes.Contains("428")))
                        problems.Add($"{name}: 412/428 not documented");
                    if (!o.GetProperty("parameters").EnumerateArray().Any(x => x.GetProperty("name").GetString() == "If-Match"))
                        problems.Add($"{name}: If-Match not documented");
                }
                if (op.Name == "get" && o.TryGetProperty("requestBody", out _))
                    problems.Add($"{name}: GET with a request body");
            }
        }
        Assert.That(problems, Is.Empty);
    }
}
