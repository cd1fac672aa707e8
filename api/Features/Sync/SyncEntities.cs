using System.Data;
using Cms.Api.Data;
using Cms.Api.Features.Articles;
using Cms.Api.Features.Categories;
using Cms.Api.Features.Focus;
using Cms.Api.Features.Leadership;
using Cms.Api.Features.Links;
using Cms.Api.Features.Media;
using Cms.Api.Features.Partners;
using Cms.Api.Features.Site;
using Dapper;

namespace Cms.Api.Features.Sync;

/// <summary>
/// Each kind of public content: which ids are public now, and their public representation. What is not returned for
/// an id is not public (a draft, offline, hidden, disabled, not yet published or deleted) and becomes a tombstone.
/// </summary>
public sealed class SyncEntity
{
    public required string Name { get; init; }
    /// <summary>SELECT id … WHERE public AND id > @after ORDER BY id LIMIT @limit</summary>
    public required string PublicIds { get; init; }
    public required Func<IDbConnection, long[], string, CancellationToken, Task<Dictionary<long, object>>> Load { get; init; }

    private static async Task<Dictionary<long, object>> Rows<TRow>(IDbConnection conn, string sql, long[] ids, string now, Func<TRow, long> id, Func<TRow, object> map, CancellationToken ct) =>
        (await conn.QueryAsync<TRow>(new CommandDefinition(sql, new { ids, now }, cancellationToken: ct))).ToDictionary(id, map);

    /// <summary>Snapshot order: settings and columns first, so a mirror can resolve references as articles arrive.</summary>
    public static readonly SyncEntity[] All =
    [
        new()
        {
            Name = Changes.Settings,
            PublicIds = "SELECT id FROM site_settings WHERE id > @after ORDER BY id LIMIT @limit",
            Load = (c, ids, now, ct) => Rows<SettingsRow>(c, $"{SettingsSql.Select} AND id {Sql.InList("@ids")}", ids, now, _ => 1, r => r, ct),
        },
        new()
        {
            Name = Changes.Category,
            PublicIds = "SELECT id FROM categories WHERE is_hidden = 0 AND id > @after ORDER BY id LIMIT @limit",
            Load = (c, ids, now, ct) => Rows<CategoryRow>(c, $"SELECT {CategorySql.Columns} FROM categories WHERE is_hidden = 0 AND id {Sql.InList("@ids")}",
                ids, now, r => r.Id, r => CategoryNode.From(r), ct),
        },
        new()
        {
            Name = Changes.LeadershipMessage,
            PublicIds = "SELECT id FROM leadership_messages WHERE publish_at <= @now AND id > @after ORDER BY id LIMIT @limit",
            Load = (c, ids, now, ct) => Rows<LeadershipRow>(c, $"SELECT {LeadershipSql.Columns} FROM leadership_messages WHERE publish_at <= @now AND id {Sql.InList("@ids")}",
                ids, now, r => r.Id, r => LeadershipMessage.From(r), ct),
        },
        new()
        {
            Name = Changes.Partner,
            PublicIds = "SELECT id FROM partners WHERE is_enabled = 1 AND id > @after ORDER BY id LIMIT @limit",
            Load = (c, ids, now, ct) => Rows<PartnerRow>(c, $"SELECT {PartnerSql.Columns} FROM partners WHERE is_enabled = 1 AND id {Sql.InList("@ids")}",
                ids, now, r => r.Id, r => Partner.From(r), ct),
        },
        new()
        {
            Name = Changes.Link,
            PublicIds = "SELECT id FROM related_links WHERE is_enabled = 1 AND id > @after ORDER BY id LIMIT @limit",
            Load = (c, ids, now, ct) => Rows<LinkRow>(c, $"SELECT {LinkSql.Columns} FROM related_links WHERE is_enabled = 1 AND id {Sql.InList("@ids")}",
                ids, now, r => r.Id, r => Link.From(r), ct),
        },
        new()
        {
            Name = Changes.FocusItem,
            PublicIds = $"SELECT f.id {FocusSql.PublicFrom} AND f.id > @after ORDER BY f.id LIMIT @limit",
            Load = (c, ids, now, ct) => Rows<FocusRow>(c, $"SELECT {FocusSql.PublicColumns} {FocusSql.PublicFrom} AND f.id {Sql.InList("@ids")}",
                ids, now, r => r.Id, r => FocusItem.From(r), ct),
        },
        new()
        {
            // media that public content uses; the files themselves are at their url
            Name = Changes.Media,
            PublicIds = "SELECT id FROM media WHERE id > @after AND EXISTS (SELECT 1 FROM media_refs r WHERE r.media_id = media.id) ORDER BY id LIMIT @limit",
            Load = (c, ids, now, ct) => Rows<MediaRow>(c,
                $"SELECT {MediaSql.Columns} FROM media WHERE id {Sql.InList("@ids")} AND EXISTS (SELECT 1 FROM media_refs r WHERE r.media_id = media.id)",
                ids, now, r => r.Id, r => PublicMedia.From(r), ct),
        },
        new()
        {
            Name = Changes.Article,
            PublicIds = $"SELECT a.id FROM articles a WHERE {ArticleSql.Visible} AND a.id > @after ORDER BY a.id LIMIT @limit",
            Load = async (c, ids, now, ct) =>
            {
                var rows = (await c.QueryAsync<ArticleRow>(new CommandDefinition(
                    $"SELECT {ArticleSql.Columns} {ArticleSql.From} WHERE {ArticleSql.Visible} AND a.id {Sql.InList("@ids")}", new { ids, now }, cancellationToken: ct))).ToList();
                return rows.Count == 0 ? [] : (await ArticleSql.ResponsesAsync<ArticleResponse>(c, rows, ct)).ToDictionary(a => a.Id, a => (object)a);
            },
        },
    ];

    public static SyncEntity? Named(string name) => All.FirstOrDefault(e => e.Name == name);
}
