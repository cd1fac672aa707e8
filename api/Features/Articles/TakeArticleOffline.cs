using Cms.Api.Data;
using Cms.Api.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Articles;

public sealed class TakeArticleOffline(Db db) : Endpoint<ArticleIdRequest, Results<Ok<AdminArticle>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/api/v1/admin/articles/{id}/offline");
        Roles(Role.AtLeastEditor);
        Description(b => b.WithTags("Admin: Articles").ClearDefaultAccepts().ProducesProblems(401, 403, 404, 412));
        Summary(s =>
        {
            s.Summary = "下线文章 / Take an article offline";
            s.Description = "下线后公众接口不再返回,内容保留,可再次发布或删除。If-Match 可选。" +
                " The public API stops showing it; it is kept and can be published again or deleted. If-Match is optional.";
        });
    }

    public override async Task<Results<Ok<AdminArticle>, ProblemHttpResult>> ExecuteAsync(ArticleIdRequest req, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return await ChangeArticleStatus.RunAsync(HttpContext, conn, req.Id, ArticleStatus.Offline, ct);
    }
}
