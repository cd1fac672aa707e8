using System.Data;
using Cms.Api.Data;
using Dapper;

namespace Cms.Api.Features.Search;

/// <summary>
/// PostgreSQL's search index (search_docs, migration postgres/001), written in every article write's transaction
/// (Changes.AppendAsync), as SQLite's triggers write its FTS5 index: one row per public article, its docid the publish
/// second × 64 plus the first free slot (the same numbering as SQLite's, so date ranges are docid ranges on both).
/// </summary>
public static class PgSearchIndex
{
    /// <summary>
    /// Indexes the articles a trigger queued (written around the app, e.g. an import by SQL), so a search sees them as
    /// SQLite's triggers would have. One cheap probe when there are none.
    /// </summary>
    public static void CatchUp(Db db)
    {
        using (var read = db.Read())
        {
            if (read.Query<long>("SELECT article_id FROM search_pending LIMIT 1").Count == 0)
                return;
        }
        using var conn = db.Open();
        using var tx = conn.BeginWrite();
        foreach (var id in conn.Query<long>("SELECT article_id FROM search_pending ORDER BY article_id", transaction: tx).ToList())
            RefreshAsync(conn, tx, id, CancellationToken.None).GetAwaiter().GetResult();
        tx.Commit();
    }

    /// <summary>Indexes every queued article in batches of a thousand, each its own transaction (a bulk import, store-copy).</summary>
    public static async Task<long> CatchUpAllAsync(Db db, Action<long>? progress = null)
    {
        long done = 0;
        while (true)
        {
            await using var conn = await db.OpenAsync();
            await using var tx = await conn.BeginWriteAsync();
            var ids = (await conn.QueryAsync<long>(new CommandDefinition(
                "SELECT article_id FROM search_pending ORDER BY article_id LIMIT 1000", transaction: tx))).ToList();
            if (ids.Count == 0)
                return done;
            foreach (var id in ids)
                await RefreshAsync(conn, tx, id, CancellationToken.None);
            await tx.CommitAsync();
            done += ids.Count;
            progress?.Invoke(done);
        }
    }

    public static async Task RefreshAsync(IDbConnection conn, IDbTransaction tx, long articleId, CancellationToken ct)
    {
        await conn.ExecuteAsync(new CommandDefinition(
            "DELETE FROM search_docs WHERE article_id = @articleId; DELETE FROM search_pending WHERE article_id = @articleId",
            new { articleId }, tx, cancellationToken: ct));
        var a = await conn.QuerySingleOrDefaultAsync<(string Title, string? Subtitle, string? Summary, string? BodyHtml, string? Source, string Status, string? PublishAt)>(
            new CommandDefinition(
                "SELECT title, subtitle, summary, body_html, source, status, publish_at FROM articles WHERE id = @articleId",
                new { articleId }, tx, cancellationToken: ct));
        if (a.Title is null || a.Status != "published" || a.PublishAt is null)
            return;
        var body = HtmlText.Of(a.BodyHtml) ?? "";
        await conn.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO search_docs (docid, article_id, body_text, title_text, rest_text, title_tokens, tokens)
            SELECT coalesce(
                       (SELECT @first WHERE NOT EXISTS (SELECT 1 FROM search_docs WHERE docid = @first)),
                       (SELECT d.docid + 1 FROM search_docs d WHERE d.docid >= @first
                        AND NOT EXISTS (SELECT 1 FROM search_docs e WHERE e.docid = d.docid + 1) ORDER BY d.docid LIMIT 1)),
                   @articleId, @body, @titleText, @restText, @titleTokens, @tokens
            """,
            new
            {
                first = UtcTime.FromDb(a.PublishAt).ToUnixTimeSeconds() * 64,
                articleId,
                body,
                titleText = SearchTokens.Normalized(a.Title),
                restText = SearchTokens.Normalized(a.Subtitle, a.Summary, body, a.Source),
                titleTokens = SearchTokens.Set(a.Title),
                tokens = SearchTokens.Set(a.Title, a.Subtitle, a.Summary, body, a.Source),
            }, tx, cancellationToken: ct));
    }
}
