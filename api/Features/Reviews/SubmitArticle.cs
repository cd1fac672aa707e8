using Cms.Api.Data;
using Cms.Api.Features.Articles;
using Cms.Api.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Reviews;

public sealed class SubmitArticleValidator : Validator<ReviewRequest>
{
    public SubmitArticleValidator() => Include(new ReviewRequestValidator());
}

public sealed class SubmitArticle(Db db) : Endpoint<ReviewRequest, Results<Ok<AdminArticle>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/api/v1/admin/articles/{id}/submit");
        Roles(Role.AtLeastAuthor);
        Validator<SubmitArticleValidator>();
        Description(b => b.WithTags("Admin: Review").ProducesProblems(401, 403, 404, 409));
        Summary(s =>
        {
            s.Summary = "提交审核 / Submit a draft for review";
            s.Description = "栏目设有审核步骤(reviewSteps 1–3)时,草稿须提交并逐级通过(初审、复审、终审)后方可发布。作者可提交自己的草稿。" +
                " In a column with review steps (reviewSteps 1–3) a draft is submitted and approved step by step (初审, 复审, 终审) before it can be published. Authors submit their own drafts.";
            s.ExampleRequest = new ReviewRequest { Comment = "请审核" };
        });
    }

    public override async Task<Results<Ok<AdminArticle>, ProblemHttpResult>> ExecuteAsync(ReviewRequest req, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginWriteAsync(ct);
        var row = await ArticleSql.ByIdAsync(conn, req.Id, ct, tx);
        if (row is null)
            return Problems.NotFound();
        if (ArticleAccess.Check(User, row, change: true) is { } denied)
            return denied;
        if (row.Status != "draft")
            return Problems.Conflict("status", $"Only a draft is submitted for review; this one is {row.Status}.");
        var steps = await Review.StepsAsync(conn, tx, row.CategoryId, ct);
        if (steps == 0)
            return Problems.Conflict("categoryId", "Its column publishes without review: an editor publishes it directly.");
        if (await Review.CurrentAsync(conn, tx, row.Id, ct) is not null)
            return Problems.Conflict("status", "It is under review already.");
        await Dapper.SqlMapper.ExecuteAsync(conn, new Dapper.CommandDefinition(
            "INSERT INTO article_reviews (article_id, step, steps, submitted_by, submitted_at) VALUES (@Id, 1, @steps, @by, @now)",
            new { row.Id, steps, by = User.KeyId(), now = UtcTime.Now() }, tx, cancellationToken: ct));
        await Review.EventAsync(conn, tx, row.Id, "submit", null, User, req.Comment, ct);
        var body = await ArticleSql.AdminResponseAsync(conn, row, ct, tx);
        await tx.CommitAsync(ct);
        HttpContext.Response.Headers.ETag = IfMatch.ETag(row.Version);
        return TypedResults.Ok(body);
    }
}
