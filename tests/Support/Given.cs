using System.Net;
using System.Net.Http.Json;
using System.Text;
using Cms.Api.Features.Articles;
using Cms.Api.Http;
using Microsoft.Data.Sqlite;

namespace Cms.Tests;

/// <summary>Test data made through the API itself, each with unique slugs.</summary>
public static class Given
{
    public const string SeedTitle = "“产城融合•场景营城”——2021中博会•产城中国市长论坛成功举办";

    public static string Slug(string prefix = "t") => $"{prefix}-{Guid.NewGuid():N}"[..24];

    public static object ArticleBody(string? slug = null, string title = "测试文章:投资促进工作动态", long categoryId = 2,
        string bodyHtml = "<p>正文。</p>", string? publishAt = null, string[]? tags = null, string articleType = "original",
        string? source = "商务部投资促进事务局", long[]? extraCategoryIds = null) => new
        {
            slug = slug ?? Slug(),
            categoryId,
            title,
            bodyHtml,
            source,
            articleType,
            publishAt,
            tags = tags ?? [],
            extraCategoryIds = extraCategoryIds ?? [],
        };

    public static async Task<AdminArticle> DraftAsync(HttpClient? as_ = null, object? body = null)
    {
        var res = await (as_ ?? App.Editor).PostAsJsonAsync("/api/v1/admin/articles", body ?? ArticleBody());
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.Created), await res.Content.ReadAsStringAsync());
        return (await res.Content.ReadFromJsonAsync<AdminArticle>(ApiJson.Options))!;
    }

    public static async Task<AdminArticle> PublishedAsync(object? body = null)
    {
        var draft = await DraftAsync(App.Editor, body);
        var res = await App.Editor.PostAsync($"/api/v1/admin/articles/{draft.Id}/publish", null);
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK), await res.Content.ReadAsStringAsync());
        return (await res.Content.ReadFromJsonAsync<AdminArticle>(ApiJson.Options))!;
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, string? json = null,
        string? ifMatch = null, string contentType = "application/json")
    {
        var req = new HttpRequestMessage(method, url);
        if (json is not null)
            req.Content = new StringContent(json, Encoding.UTF8, contentType);
        if (ifMatch is not null)
            req.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(req);
    }

    public static HttpContent JsonContent(object body) => System.Net.Http.Json.JsonContent.Create(body, options: ApiJson.Options);
}

/// <summary>Direct reads of the test database, to prove that rejected writes left nothing behind.</summary>
public static class Rows
{
    private static readonly string[] Tables =
    [
        "articles", "article_tags", "attachments", "article_categories", "categories", "leadership_messages",
        "site_settings", "partners", "related_links", "focus_items", "api_keys", "changes",
    ];

    public static Dictionary<string, long> Count()
    {
        using var conn = new SqliteConnection($"Data Source={App.DbPath};Mode=ReadOnly;Pooling=False");
        conn.Open();
        var result = new Dictionary<string, long>();
        foreach (var t in Tables)
        {
            using var cmd = conn.CreateCommand();
            cmd.CommandText = $"SELECT count(*) FROM {t}";
            result[t] = (long)cmd.ExecuteScalar()!;
        }
        return result;
    }

    public static string SchemaHash()
    {
        using var conn = new SqliteConnection($"Data Source={App.DbPath};Mode=ReadOnly;Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master ORDER BY name)";
        return (string)cmd.ExecuteScalar()!;
    }
}

public static class Problem
{
    /// <summary>Asserts an RFC 9457 body with the status and, when given, an error naming the field.</summary>
    public static async Task<ApiProblem> AssertAsync(HttpResponseMessage res, HttpStatusCode status, string? field = null)
    {
        var text = await res.Content.ReadAsStringAsync();
        Assert.That(res.StatusCode, Is.EqualTo(status), text);
        Assert.That(res.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), text);
        var problem = System.Text.Json.JsonSerializer.Deserialize<ApiProblem>(text, ApiJson.Options)!;
        Assert.That(problem.Status, Is.EqualTo((int)status));
        Assert.That(text, Does.Not.Contain("   at ").And.Not.Contain("Exception").And.Not.Contain("SQLite"));
        if (field is not null)
            Assert.That(problem.Errors.Select(e => e.Name), Has.Some.EqualTo(field).IgnoreCase, text);
        return problem;
    }
}
