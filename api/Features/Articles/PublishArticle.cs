using Cms.Api.Data;
using Cms.Api.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Articles;

public sealed class PublishArticle(Db db) : Endpoint<ArticleIdRequest, Results<Ok<AdminArticle>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/api/v1/admin/articles/{id}/publish");
        Roles(Role.AtLeastEditor);
        Description(b => b.WithTags("Admin: Articles").ClearDefaultAccepts().ProducesProblems(401, 403, 404, 412));
        Summary(s =>
        {
            s.Summary = "发布文章 / Publish an article";
            s.Description = "未设发布时间的以当前时间发布;发布时间在将来的到时自动出现。If-Match 可选。" +
                " Without a publishAt the article is published now; a future publishAt makes it appear at that time. If-Match is optional.";
        });
    }

    public override async Task<Results<Ok<AdminArticle>, ProblemHttpResult>> ExecuteAsync(ArticleIdRequest req, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return await ChangeArticleStatus.RunAsync(HttpContext, conn, req.Id, ArticleStatus.Published, ct);
    }
}
