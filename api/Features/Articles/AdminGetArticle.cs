using Cms.Api.Data;
using Cms.Api.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Articles;

public sealed class ArticleIdRequest
{
    public long Id { get; set; }
}

public sealed class AdminGetArticle(Db db) : Endpoint<ArticleIdRequest, Results<Ok<AdminArticle>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/api/v1/admin/articles/{id}");
        Roles(Role.AtLeastAuthor);
        Description(b => b.WithTags("Admin: Articles").ProducesProblems(401, 403, 404));
        Summary(s =>
        {
            s.Summary = "读取一篇文章(任何状态) / One article in any status";
            s.Description = "响应头 ETag 用于修改时的 If-Match。The ETag header is what PUT and DELETE send back as If-Match.";
        });
    }

    public override async Task<Results<Ok<AdminArticle>, ProblemHttpResult>> ExecuteAsync(ArticleIdRequest req, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var row = await ArticleSql.ByIdAsync(conn, req.Id, ct);
        if (row is null)
            return Problems.NotFound();
        if (ArticleAccess.Check(User, row, change: false) is { } denied)
            return denied;
        HttpContext.Response.Headers.ETag = IfMatch.ETag(row.Version);
        return TypedResults.Ok(await ArticleSql.AdminResponseAsync(conn, row, ct));
    }
}
