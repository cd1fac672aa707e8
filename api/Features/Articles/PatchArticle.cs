using Cms.Api.Data;
using Cms.Api.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Articles;

public sealed class PatchArticle(Db db) : EndpointWithoutRequest<Results<Ok<AdminArticle>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Patch("/api/v1/admin/articles/{id}");
        Roles(Role.AtLeastAuthor);
        Description(b => b.WithTags("Admin: Articles").WithMetadata(new MergePatchBody(typeof(UpdateArticleRequest))).ProducesProblems(400, 401, 403, 404, 409, 412, 415, 428));
        Summary(s =>
        {
            s.Summary = "修改文章的部分字段 / Change some of an article's fields";
            s.Description = MergePatch.Description;
            s.ExampleRequest = new { title = "“产城中国”投资联盟在太原成立", tags = new[] { "中博会", "产城中国" } };
        });
    }

    public override async Task<Results<Ok<AdminArticle>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var id = Route<long>("id");
        AdminArticle current;
        long version;
        await using (var conn = await db.OpenAsync(ct))
        {
            var row = await ArticleSql.ByIdAsync(conn, id, ct);
            if (row is null)
                return Problems.NotFound();
            if (ArticleAccess.Check(User, row, change: true) is { } denied)
                return denied;
            current = await ArticleSql.AdminResponseAsync(conn, row, ct);
            version = row.Version;
        }
        var (req, problem) = await MergePatch.MergeAsync(HttpContext, current, version, new UpdateArticleValidator(), ct, adapt: fields =>
        {
            // the article as read names its columns; the input takes their ids
            fields["categoryId"] = current.Category.Id;
            fields["extraCategoryIds"] = new System.Text.Json.Nodes.JsonArray(current.ExtraCategories.Select(c => (System.Text.Json.Nodes.JsonNode?)c.Id).ToArray());
        });
        return problem ?? await UpdateArticle.SaveAsync(db, HttpContext, id, req!, ct);
    }
}
