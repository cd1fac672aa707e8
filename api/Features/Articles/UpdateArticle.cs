using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Features.Articles;

public sealed class UpdateArticleRequest : ArticleInput;

public sealed class UpdateArticleValidator : Validator<UpdateArticleRequest>
{
    public UpdateArticleValidator() => Include(new ArticleInputValidator());
}

public sealed class UpdateArticle(Db db) : Endpoint<UpdateArticleRequest, Results<Ok<AdminArticle>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Put("/api/v1/admin/articles/{id}");
        Roles(Role.AtLeastAuthor);
        Description(b => b.WithTags("Admin: Articles").ProducesProblems(401, 403, 404, 409, 412, 428));
        Summary(s =>
        {
            s.Summary = "修改文章(整体替换) / Replace an article's fields";
            s.Description = "需 If-Match(读取时的 ETag);他人已修改返回 412,缺少返回 428。状态不变:发布与下线有单独的接口;已发布文章不填 publishAt 则保留原发布时间。不填 slug 则保留原值。" +
                " Needs If-Match with the ETag of your last read: 412 when someone changed it since, 428 without it. Status is unchanged (publish/offline have their own routes); a published article without publishAt keeps its publication time. A missing slug keeps the current one.";
            s.ExampleRequest = ArticleInput.Example<UpdateArticleRequest>();
        });
    }

    public override Task<Results<Ok<AdminArticle>, ProblemHttpResult>> ExecuteAsync(UpdateArticleRequest req, CancellationToken ct) =>
        SaveAsync(db, HttpContext, Route<long>("id"), req, ct);

    /// <summary>The replace; PATCH merges its patch into the current fields and ends here too.</summary>
    public static async Task<Results<Ok<AdminArticle>, ProblemHttpResult>> SaveAsync(Db db, HttpContext http, long id, UpdateArticleRequest req, CancellationToken ct)
    {
        var (ifMatch, precondition) = IfMatch.Read(http);
        if (precondition is not null)
            return precondition;
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginWriteAsync(ct);
        var row = await ArticleSql.ByIdAsync(conn, id, ct, tx);
        if (row is null)
            return Problems.NotFound();
        if (ArticleAccess.Check(http.User, row, change: true) is { } denied)
            return denied;
        if (!ifMatch!.Matches(row.Version))
            return Problems.PreconditionFailed();
        if (await ArticleWrite.CheckReferencesAsync(conn, tx, req, ct) is { } bad)
            return bad;
        var before = await ArticleCacheTags.SnapshotAsync(conn, tx, id, ct);
        // a published article stays public: without a publishAt it keeps the time it was published at
        if (req.PublishAt is null && row.Status == Json.EnumText(ArticleStatus.Published))
            req.PublishAt = row.PublishAt ?? DateTimeOffset.UtcNow;
        try
        {
            await conn.ExecuteAsync(new CommandDefinition(
                $"UPDATE articles SET {ArticleWrite.Assignments}, version = version + 1, updated_at = @now WHERE id = @id",
                new DynamicParameters(ArticleWrite.Columns(req, req.Slug ?? row.Slug)).With(new { id, now = UtcTime.Now() }),
                tx, cancellationToken: ct));
        }
        catch (System.Data.Common.DbException e) when (ArticleWrite.Conflict(e) is { } conflict)
        {
            return conflict;
        }
        await ArticleWrite.SaveChildrenAsync(conn, tx, id, req, ct);
        var updated = (await ArticleSql.ByIdAsync(conn, id, ct, tx))!;
        var tags = ArticleCacheTags.Of(id, before, await ArticleCacheTags.SnapshotAsync(conn, tx, id, ct));
        await Changes.AppendAsync(conn, tx, Changes.Article, id, ct: ct, slug: updated.Slug, tags: tags);
        var body = await ArticleSql.AdminResponseAsync(conn, updated, ct, tx);
        await tx.CommitAsync(ct);
        http.Response.Headers.ETag = IfMatch.ETag(updated.Version);
        return TypedResults.Ok(body);
    }
}
