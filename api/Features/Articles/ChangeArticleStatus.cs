using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Features.Articles;

/// <summary>Publish and take offline differ only in the status they set.</summary>
public static class ChangeArticleStatus
{
    public static async Task<Results<Ok<AdminArticle>, ProblemHttpResult>> RunAsync(
        HttpContext http, System.Data.Common.DbConnection conn, long id, ArticleStatus status, CancellationToken ct)
    {
        var (ifMatch, precondition) = IfMatch.Read(http, required: false);
        if (precondition is not null)
            return precondition;
        await using var tx = await conn.BeginWriteAsync(ct);
        var row = await ArticleSql.ByIdAsync(conn, id, ct, tx);
        if (row is null)
            return Problems.NotFound();
        if (!ifMatch!.Matches(row.Version))
            return Problems.PreconditionFailed();
        var target = Json.EnumText(status);
        if (row.Status != target || (status == ArticleStatus.Published && row.PublishAt is null))
        {
            if (status == ArticleStatus.Published && await Reviews.Review.BeforePublishAsync(conn, tx, row, http.User, ct) is { } unapproved)
                return unapproved;
            var before = await ArticleCacheTags.SnapshotAsync(conn, tx, id, ct);
            await conn.ExecuteAsync(new CommandDefinition(
                """
                UPDATE articles SET status = @target, version = version + 1, updated_at = @now,
                    publish_at = CASE WHEN @target = 'published' THEN coalesce(publish_at, @now) ELSE publish_at END
                WHERE id = @id
                """, new { id, target, now = UtcTime.Now() }, tx, cancellationToken: ct));
            var tags = ArticleCacheTags.Of(id, before, await ArticleCacheTags.SnapshotAsync(conn, tx, id, ct));
            await Changes.AppendAsync(conn, tx, Changes.Article, id, ct: ct, slug: row.Slug, tags: tags);
            row = (await ArticleSql.ByIdAsync(conn, id, ct, tx))!;
        }
        var body = await ArticleSql.AdminResponseAsync(conn, row, ct, tx);
        await tx.CommitAsync(ct);
        http.Response.Headers.ETag = IfMatch.ETag(row.Version);
        return TypedResults.Ok(body);
    }
}
