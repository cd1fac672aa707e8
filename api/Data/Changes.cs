using System.Data;
using Cms.Api.Features.Media;
using Cms.Api.Features.Revisions;
using Dapper;

namespace Cms.Api.Data;

/// <summary>The change log: one row per write to content, in the writer's transaction.</summary>
public static class Changes
{
    public const string Article = "article";
    public const string Category = "category";
    public const string LeadershipMessage = "leadershipMessage";
    public const string Settings = "settings";
    public const string Partner = "partner";
    public const string Link = "link";
    public const string FocusItem = "focusItem";
    public const string Media = "media";

    private const string Insert = "INSERT INTO changes (entity, entity_id, op, slug, at, tags) VALUES (@entity, @id, @op, @slug, @at, @tags)";

    /// <summary>
    /// Appends a change; articles pass their slug, so a later tombstone can name it, and the cache tags of what the
    /// change touched (see ArticleCacheTags); without tags a change of an article evicts every cached answer.
    /// </summary>
    /// <remarks>The media references of what was written are brought up to date here too (MediaRefs), and its revision kept (Revisions).</remarks>
    public static async Task AppendAsync(IDbConnection conn, IDbTransaction tx, string entity, long id, bool deleted = false, CancellationToken ct = default,
        string? slug = null, string? tags = null)
    {
        await MediaRefs.SyncAsync(conn, tx, entity, id, deleted, ct);
        if (deleted)
            await Revisions.ForgetAsync(conn, tx, entity, id, ct);
        else
            await Revisions.CaptureAsync(conn, tx, entity, id, ct);
        await conn.ExecuteAsync(new CommandDefinition(Insert, Args(entity, id, deleted, slug, tags), tx, cancellationToken: ct));
        if (entity == Article && Sql.Postgres)
            await Features.Search.PgSearchIndex.RefreshAsync(conn, tx, id, ct);   // SQLite's triggers do this
    }

    public static void Append(IDbConnection conn, IDbTransaction tx, string entity, long id, string? slug = null)
    {
        MediaRefs.Sync(conn, tx, entity, id);
        Revisions.CaptureAsync(conn, tx, entity, id, CancellationToken.None).GetAwaiter().GetResult();
        conn.Execute(Insert, Args(entity, id, false, slug, null), tx);
        if (entity == Article && Sql.Postgres)
            Features.Search.PgSearchIndex.RefreshAsync(conn, tx, id, CancellationToken.None).GetAwaiter().GetResult();
    }

    private static object Args(string entity, long id, bool deleted, string? slug, string? tags) =>
        new { entity, id, op = deleted ? "delete" : "upsert", slug, at = UtcTime.Now(), tags };
}
