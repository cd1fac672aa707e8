using System.Data;
using System.Text;
using System.Xml;
using Cms.Api.Data;
using Cms.Api.Features.Articles;
using Cms.Api.Features.Site;
using Cms.Api.Http;
using Dapper;

namespace Cms.Api.Features.Feeds;

public sealed class FeedItemRow
{
    public long Id { get; init; }
    public string Slug { get; init; } = "";
    public string? LegacyId { get; init; }
    public string Title { get; init; } = "";
    public string? Summary { get; init; }
    public string BodyHtml { get; init; } = "";
    public string? Author { get; init; }
    public string? Source { get; init; }
    public string ArticleType { get; init; } = "original";
    public long CategoryId { get; init; }
    public string CategoryCode { get; init; } = "";
    public string CategoryName { get; init; } = "";
    public DateTimeOffset PublishAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>The article's attachments: enclosures in RSS and Atom, attachments in JSON Feed.</summary>
    public List<Attachment> Files { get; } = [];
}

/// <summary>What a feed is made of: the site, an optional column, the latest published articles.</summary>
public sealed class FeedContent
{
    public required SettingsRow Site { get; init; }
    public string? ColumnCode { get; init; }
    public string? ColumnName { get; init; }
    public required IReadOnlyList<FeedItemRow> Items { get; init; }
    /// <summary>The time of the newest write to any content, so a take-offline or delete also moves Last-Modified forward.</summary>
    public DateTimeOffset? LastChange { get; init; }

    public static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public string BaseUrl => $"https://{Site.SiteDomain}";
    public string Title => ColumnName is null ? Site.SiteName : $"{Site.SiteName} - {ColumnName}";
    public string HomeUrl => ColumnCode is null ? BaseUrl + "/" : BaseUrl + PortalUrls.Column(ColumnCode);
    public string FeedUrl(string file) => ColumnCode is null ? $"{BaseUrl}/feeds/{file}" : $"{BaseUrl}/feeds/{ColumnCode}/{file}";
    /// <summary>An address on this site made absolute; others as they are.</summary>
    public string Absolute(string url) => url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) ? BaseUrl + url : url;
    public string ArticleUrl(FeedItemRow r) => BaseUrl + PortalUrls.Article(r.CategoryCode, r.LegacyId, r.Id, r.PublishAt);

    /// <summary>A stable id that survives slug changes (RFC 4151 tag URI).</summary>
    public string ItemId(FeedItemRow r) => $"tag:{Site.SiteDomain},2021:article/{r.Id}";

    public DateTimeOffset Updated => new[] { Site.UpdatedAt, LastChange ?? DateTimeOffset.MinValue }
        .Concat(Items.Select(i => i.UpdatedAt > i.PublishAt ? i.UpdatedAt : i.PublishAt)).Max();

    public static DateTimeOffset InBeijing(DateTimeOffset t) => t.ToOffset(Beijing);

    /// <summary>Loads the feed; null when the column does not exist, is hidden or lists no articles.</summary>
    public static async Task<FeedContent?> LoadAsync(IDbConnection conn, string? code, CancellationToken ct)
    {
        var site = await conn.QuerySingleOrDefaultAsync<SettingsRow>(new CommandDefinition(SettingsSql.Select, cancellationToken: ct));
        if (site is null)
            return null;
        string? name = null;
        if (code is not null)
        {
            name = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                "SELECT name FROM categories WHERE code = @code AND is_hidden = 0 AND kind IN ('list', 'topic', 'topicIndex')",
                new { code }, cancellationToken: ct));
            if (name is null)
                return null;
        }
        var items = await conn.QueryAsync<FeedItemRow>(new CommandDefinition(
            $"""
            {ArticleSql.ColumnTree}
            SELECT a.id, a.slug, a.legacy_id, a.title, a.summary, a.body_html, a.author, a.source, a.article_type, a.category_id, c.code AS category_code,
                   c.name AS category_name, a.publish_at, a.updated_at
            {ArticleSql.From}
            WHERE {ArticleSql.Visible} AND {ArticleSql.InColumnTree}
            ORDER BY a.publish_at DESC, a.id DESC LIMIT @n
            """, new { category = code, now = UtcTime.Now(), n = site.FeedItemCount }, cancellationToken: ct));
        var list = items.ToList();
        var byId = list.ToDictionary(i => i.Id);
        var files = await conn.QueryAsync<(long ArticleId, string Url, string Name, long? Size, string? Mime)>(new CommandDefinition(
            $"SELECT article_id, url, name, size, mime FROM attachments WHERE article_id {Sql.InList("@ids")} ORDER BY article_id, sort_order, id",
            new { ids = byId.Keys.ToArray() }, cancellationToken: ct));
        foreach (var f in files)
            byId[f.ArticleId].Files.Add(new Attachment { Url = f.Url, Name = f.Name, Size = f.Size, Mime = f.Mime });
        var lastChange = await conn.QuerySingleOrDefaultAsync<DateTimeOffset?>(new CommandDefinition(
            "SELECT at FROM changes ORDER BY seq DESC LIMIT 1", cancellationToken: ct));
        return new FeedContent { Site = site, ColumnCode = code, ColumnName = name, Items = list, LastChange = lastChange };
    }
}

public static class XmlText
{
    /// <summary>Drops what XML 1.0 cannot carry (C0 controls, U+FFFE/U+FFFF, lone surrogates); keeps emoji and CJK.</summary>
    public static string Clean(string? s)
    {
        if (string.IsNullOrEmpty(s))
            return "";
        StringBuilder? sb = null;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            var keep = char.IsHighSurrogate(c) ? i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) : !char.IsLowSurrogate(c) && XmlConvert.IsXmlChar(c);
            if (keep && sb is null)
            {
                if (char.IsHighSurrogate(c))
                    i++;
                continue;
            }
            sb ??= new StringBuilder(s, 0, i, s.Length);
            if (keep)
            {
                sb.Append(c);
                if (char.IsHighSurrogate(c))
                    sb.Append(s[++i]);
            }
        }
        return sb?.ToString() ?? s;
    }
}
