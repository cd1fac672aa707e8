using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Articles;

public sealed class DeleteArticle(Db db) : Endpoint<ArticleIdRequest, Results<NoContent, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/api/v1/admin/articles/{id}");
        Roles(Role.AtLeastAuthor);
        Description(b => b.WithTags("Admin: Articles").ProducesProblems(401, 403, 404, 409, 412, 428));
        Summary(s =>
        {
            s.Summary = "删除文章 / Delete an article";
            s.Description = "已发布的文章不能直接删除,须先下线(…/offline)。需 If-Match。" +
                " A published article cannot be deleted: take it offline first (…/offline). Needs If-Match.";
        });
    }

    public override async Task<Results<NoContent, ProblemHttpResult>> ExecuteAsync(ArticleIdRequest req, CancellationToken ct)
    {
        var (ifMatch, precondition) = IfMatch.Read(HttpContext);
        if (precondition is not null)
            return precondition;
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginWriteAsync(ct);
        var row = await ArticleSql.ByIdAsync(conn, req.Id, ct, tx);
        if (row is null)
            return Problems.NotFound();
        if (ArticleAccess.Check(User, row, change: true) is { } denied)
            return denied;
        if (!ifMatch!.Matches(row.Version))
            return Problems.PreconditionFailed();
        if (row.Status == "published")
            return Problems.Conflict("status", "A published article cannot be deleted; take it offline first.");
        var before = await ArticleCacheTags.SnapshotAsync(conn, tx, req.Id, ct);
        await conn.ExecuteAsync(new CommandDefinition("DELETE FROM articles WHERE id = @Id", new { req.Id }, tx, cancellationToken: ct));
        await Changes.AppendAsync(conn, tx, Changes.Article, req.Id, deleted: true, ct, row.Slug, ArticleCacheTags.Of(req.Id, before, null));
        await tx.CommitAsync(ct);
        return TypedResults.NoContent();
    }
}
