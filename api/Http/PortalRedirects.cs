using System.Text.RegularExpressions;
using Cms.Api.Data;
using Cms.Api.Features.Articles;

namespace Cms.Api.Http;

/// <summary>
/// When the API serves the published site (CMS_SITE), the query-string addresses of the script-rendered portal
/// (/article.html?a=slug, /list.html?c=code&amp;page=n, /leader.html?id=n) answer 301 with the published page, and an
/// article address that is no file (the article moved to another column or month) answers 301 with its address now.
/// Runs after the static files, so a published page is always served as it is.
/// </summary>
public sealed partial class PortalRedirects(RequestDelegate next, Db db)
{
    [GeneratedRegex("^[a-z0-9_-]{1,64}$")]
    private static partial Regex Code();

    [GeneratedRegex(@"^/article/[a-z0-9_-]{1,64}/\d{6}/(\d{1,19})\.s?html?$")]
    private static partial Regex ArticlePath();

    public async Task InvokeAsync(HttpContext ctx)
    {
        if ((HttpMethods.IsGet(ctx.Request.Method) || HttpMethods.IsHead(ctx.Request.Method)) && Target(ctx) is { } location)
        {
            ctx.Response.StatusCode = StatusCodes.Status301MovedPermanently;
            ctx.Response.Headers.Location = location;
            ctx.Response.Headers.CacheControl = "public, max-age=3600";
            return;
        }
        await next(ctx);
    }

    private string? Target(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "";
        var q = ctx.Request.Query;
        switch (path)
        {
            case "/article.html":
                var key = q["a"].FirstOrDefault() ?? q["id"].FirstOrDefault();
                return key is { Length: > 0 and <= 200 } ? ArticleUrl(key, byLegacy: false) : null;
            case "/list.html":
                if (q["c"].FirstOrDefault() is not { } code || !Code().IsMatch(code))
                    return null;
                var page = int.TryParse(q["page"].FirstOrDefault(), out var n) && n is > 1 and <= 1_000_000 ? n : 1;
                return PortalUrls.Column(code, page);
            case "/leader.html":
                return long.TryParse(q["id"].FirstOrDefault(), out var id) && id > 0 ? PortalUrls.Leader(id) : PortalUrls.Leader();
        }
        if (ArticlePath().Match(path) is { Success: true } m)
        {
            var url = ArticleUrl(m.Groups[1].Value, byLegacy: m.Groups[1].Value.Length == 14);
            return url is not null && url != path ? url : null;
        }
        return null;
    }

    /// <summary>The published address of a public article by slug or id (or legacy id), or null.</summary>
    private string? ArticleUrl(string key, bool byLegacy)
    {
        using var conn = db.Read();
        var where = byLegacy ? "a.legacy_id = @key" : long.TryParse(key, out _) ? "(a.id = @key OR a.slug = @key)" : "a.slug = @key";
        return conn.QuerySingleOrDefault<UrlRow>(
            $"SELECT {PortalUrls.ArticleSql} AS url FROM articles a JOIN categories c ON c.id = a.category_id WHERE {ArticleSql.Visible} AND {where}",
            new { key, now = UtcTime.Now() })?.Url;
    }

    private sealed class UrlRow
    {
        public string? Url { get; init; }
    }
}
