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

    /// <summary>
    /// A multipart upload as a browser or curl -F sends it: the file part named file (its name raw UTF-8 in
    /// filename="…", as both write it) and optional alt.
    /// </summary>
    public static Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] bytes, string fileName, string? alt = null, string contentType = "application/octet-stream")
    {
        var boundary = "----cms-" + Guid.NewGuid().ToString("N");
        using var ms = new MemoryStream();
        ms.Write(Encoding.UTF8.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{fileName}\"\r\nContent-Type: {contentType}\r\n\r\n"));
        ms.Write(bytes);
        if (alt is not null)
            ms.Write(Encoding.UTF8.GetBytes($"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\n{alt}"));
        ms.Write(Encoding.UTF8.GetBytes($"\r\n--{boundary}--\r\n"));
        var content = new ByteArrayContent(ms.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={boundary}");
        return client.PostAsync("/api/v1/admin/media", content);
    }

    /// <summary>An image of the given size and type, drawn so that each one differs (a fresh file, not one the library holds).</summary>
    public static byte[] Image(int width = 800, int height = 600, SkiaSharp.SKEncodedImageFormat format = SkiaSharp.SKEncodedImageFormat.Jpeg)
    {
        using var bitmap = new SkiaSharp.SKBitmap(width, height);
        using (var canvas = new SkiaSharp.SKCanvas(bitmap))
        {
            canvas.Clear(new SkiaSharp.SKColor((byte)Random.Shared.Next(256), (byte)Random.Shared.Next(256), (byte)Random.Shared.Next(256)));
            using var paint = new SkiaSharp.SKPaint { Color = SkiaSharp.SKColors.White };
            canvas.DrawRect(Random.Shared.Next(width / 2), Random.Shared.Next(height / 2), width / 3f, height / 5f, paint);
        }
        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }
}

/// <summary>Direct reads of the test database, to prove that rejected writes left nothing behind.</summary>
public static class Rows
{
    private static readonly string[] Tables =
    [
        "articles", "article_tags", "attachments", "article_categories", "categories", "leadership_messages",
        "site_settings", "partners", "related_links", "focus_items", "api_keys", "changes", "media", "media_refs", "revisions",
    ];

    public static Dictionary<string, long> Count()
    {
        using var conn = TestStore.Open(App.DbPath, readOnly: true);
        var result = new Dictionary<string, long>();
        foreach (var t in Tables)
            result[t] = Dapper.SqlMapper.ExecuteScalar<long>(conn, $"SELECT count(*) FROM {t}");
        return result;
    }

    public static string SchemaHash()
    {
        using var conn = TestStore.Open(App.DbPath, readOnly: true);
        return Dapper.SqlMapper.ExecuteScalar<string>(conn, TestStore.Postgres
            ? """
              SELECT (SELECT string_agg(table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, ''), ';' ORDER BY table_name, ordinal_position)
                      FROM information_schema.columns WHERE table_schema = current_schema())
                  || (SELECT string_agg(indexdef, ';' ORDER BY indexname) FROM pg_indexes WHERE schemaname = current_schema())
                  || (SELECT string_agg(conname || pg_get_constraintdef(oid), ';' ORDER BY conname) FROM pg_constraint WHERE connamespace = current_schema()::regnamespace)
              """
            : "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master ORDER BY name)")!;
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
