using System.Data;
using System.Text;
using System.Xml;
using Cms.Api.Data;
using Cms.Api.Features.Articles;
using Cms.Api.Features.Site;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Feeds;

/// <summary>
/// Every public address with its lastmod: home, visible columns, the current leadership message, published articles.
/// Past Cms:SitemapPageSize (50,000, the protocol's limit) addresses, /sitemap.xml becomes an index of /sitemaps/{n}.xml.
/// </summary>
public static class SitemapSql
{
    public sealed class Entry
    {
        public string Path { get; init; } = "";
        public string? Lastmod { get; init; }
    }

    /// <summary>One ordered list of every public address, as (kind, key) → path and lastmod.</summary>
    private static readonly string All = $"""
        SELECT 0 AS kind, 0 AS key, '/' AS path, (SELECT max(updated_at) FROM site_settings) AS lastmod
        UNION ALL
        SELECT 1, id, '/article/' || code || '/', updated_at FROM categories WHERE is_hidden = 0 AND kind <> 'link'
        UNION ALL
        SELECT 2, id, '/leader/', updated_at FROM leadership_messages WHERE is_current = 1 AND publish_at <= @now
        UNION ALL
        SELECT 3, a.id, {PortalUrls.ArticleSql}, a.updated_at FROM articles a JOIN categories c ON c.id = a.category_id WHERE {ArticleSql.Visible}
        """;

    public static Task<long> CountAsync(IDbConnection conn, CancellationToken ct) =>
        conn.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM ({All}) AS pages", new { now = UtcTime.Now() }, cancellationToken: ct));

    public static async Task<List<Entry>> PageAsync(IDbConnection conn, int page, int size, CancellationToken ct) =>
        (await conn.QueryAsync<Entry>(new CommandDefinition(
            $"SELECT path, lastmod FROM ({All}) AS pages ORDER BY kind, key LIMIT @size OFFSET @offset",
            new { now = UtcTime.Now(), size, offset = (long)(page - 1) * size }, cancellationToken: ct))).ToList();

    public static int PageSize(IConfiguration config) => Math.Clamp(config.GetValue("Cms:SitemapPageSize", 50_000), 1, 50_000);

    public static async Task<string> BaseUrlAsync(IDbConnection conn, CancellationToken ct) =>
        "https://" + (await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT site_domain FROM site_settings WHERE id = 1", cancellationToken: ct)) ?? "localhost");

    public static byte[] UrlSet(string baseUrl, IEnumerable<Entry> entries) => Xml(w =>
    {
        w.WriteStartElement("urlset", "http://www.sitemaps.org/schemas/sitemap/0.9");
        foreach (var e in entries)
        {
            w.WriteStartElement("url");
            w.WriteElementString("loc", baseUrl + e.Path);
            if (e.Lastmod is not null)
                w.WriteElementString("lastmod", UtcTime.FromDb(e.Lastmod).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteEndElement();
        }
        w.WriteEndElement();
    });

    public static byte[] Index(string baseUrl, int pages) => Xml(w =>
    {
        w.WriteStartElement("sitemapindex", "http://www.sitemaps.org/schemas/sitemap/0.9");
        for (var i = 1; i <= pages; i++)
        {
            w.WriteStartElement("sitemap");
            w.WriteElementString("loc", $"{baseUrl}/sitemaps/{i}.xml");
            w.WriteEndElement();
        }
        w.WriteEndElement();
    });

    private static byte[] Xml(Action<XmlWriter> body)
    {
        using var ms = new MemoryStream();
        using (var w = XmlWriter.Create(ms, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            w.WriteStartDocument();
            body(w);
        }
        return ms.ToArray();
    }
}

public sealed class GetSitemap(Db db, IConfiguration config) : EndpointWithoutRequest<FileContentHttpResult>
{
    public override void Configure()
    {
        Get("/sitemap.xml");
        AllowAnonymous();
        Description(b => b.WithTags("Feeds").ClearDefaultProduces().Produces(200, typeof(string), "application/xml"));
        Summary(s =>
        {
            s.Summary = "站点地图 / sitemap.xml of every public address";
            s.Description = "首页、栏目、局长致辞、已发布文章,含 lastmod;超过 50,000 条时为索引。Home, columns, the leadership message and published articles with lastmod; an index past 50,000 addresses.";
        });
    }

    public override async Task<FileContentHttpResult> ExecuteAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var size = SitemapSql.PageSize(config);
        var baseUrl = await SitemapSql.BaseUrlAsync(conn, ct);
        var count = await SitemapSql.CountAsync(conn, ct);
        var bytes = count <= size
            ? SitemapSql.UrlSet(baseUrl, await SitemapSql.PageAsync(conn, 1, size, ct))
            : SitemapSql.Index(baseUrl, (int)((count + size - 1) / size));
        return TypedResults.File(bytes, "application/xml; charset=utf-8");
    }
}

public sealed class SitemapPageRequest
{
    public int Page { get; set; }
}

public sealed class GetSitemapPage(Db db, IConfiguration config) : Endpoint<SitemapPageRequest, Results<FileContentHttpResult, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/sitemaps/{page}.xml");
        AllowAnonymous();
        Description(b => b.WithTags("Feeds").ClearDefaultProduces().Produces(200, typeof(string), "application/xml").ProducesProblems(404));
        Summary(s => s.Summary = "站点地图分页 / One page of a sitemap index");
    }

    public override async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExecuteAsync(SitemapPageRequest req, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var size = SitemapSql.PageSize(config);
        var count = await SitemapSql.CountAsync(conn, ct);
        if (req.Page < 1 || (long)(req.Page - 1) * size >= count)
            return Problems.NotFound("No such sitemap page.");
        var entries = await SitemapSql.PageAsync(conn, req.Page, size, ct);
        return TypedResults.File(SitemapSql.UrlSet(await SitemapSql.BaseUrlAsync(conn, ct), entries), "application/xml; charset=utf-8");
    }
}

public sealed class GetRobots(Db db) : EndpointWithoutRequest<ContentHttpResult>
{
    public override void Configure()
    {
        Get("/robots.txt");
        AllowAnonymous();
        Description(b => b.WithTags("Feeds").ClearDefaultProduces().Produces(200, typeof(string), "text/plain"));
        Summary(s => s.Summary = "robots.txt / Crawler rules, pointing to the sitemap");
    }

    public override async Task<ContentHttpResult> ExecuteAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var baseUrl = await SitemapSql.BaseUrlAsync(conn, ct);
        return TypedResults.Text($"User-agent: *\nAllow: /\nDisallow: /api/v1/admin/\nDisallow: /swagger/\n\nSitemap: {baseUrl}/sitemap.xml\n", "text/plain", Encoding.UTF8);
    }
}
