using Cms.Api.Data;
using Cms.Api.Features.Articles;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Reviews;

public sealed class ApproveArticleValidator : Validator<ReviewRequest>
{
    public ApproveArticleValidator() => Include(new ReviewRequestValidator());
}

public sealed class ApproveArticle(Db db) : Endpoint<ReviewRequest, Results<Ok<AdminArticle>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/api/v1/admin/articles/{id}/approve");
        Roles(Role.AtLeastEditor);
        Validator<ApproveArticleValidator>();
        Description(b => b.WithTags("Admin: Review").ProducesProblems(401, 403, 404, 409));
        Summary(s =>
        {
            s.Summary = "审核通过当前步骤 / Approve the step an article waits for";
            s.Description = "编辑及以上。文章作者不能审核自己的文章;同一密钥不能通过同一次提交的两个步骤。最后一步通过后可发布。" +
                " Editors and admins. The article's author never reviews it, and one key approves at most one step of a submission (三审: three people)." +
                " Once the last step is approved, an editor may publish it.";
            s.ExampleRequest = new ReviewRequest { Comment = "同意" };
        });
    }

    public override async Task<Results<Ok<AdminArticle>, ProblemHttpResult>> ExecuteAsync(ReviewRequest req, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginWriteAsync(ct);
        var row = await ArticleSql.ByIdAsync(conn, req.Id, ct, tx);
        if (row is null)
            return Problems.NotFound();
        if (await Review.CurrentAsync(conn, tx, row.Id, ct) is not { } current)
            return Problems.Conflict("status", "It is not under review: it has to be submitted first.");
        if (current.Step > current.Steps)
            return Problems.Conflict("status", "Every step has approved it already; an editor may publish it.");
        var me = User.KeyId();
        if (row.CreatedBy == me)
            return Problems.Forbidden("The author of an article never reviews it.");
        var approvedBefore = await conn.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            SELECT count(*) FROM review_events WHERE article_id = @Id AND action = 'approve' AND key_id = @me
            AND id > (SELECT coalesce(max(id), 0) FROM review_events WHERE article_id = @Id AND action = 'submit')
            """, new { row.Id, me }, tx, cancellationToken: ct));
        if (approvedBefore > 0)
            return Problems.Forbidden("This key approved an earlier step of this submission; another reviewer takes this one.");
        await conn.ExecuteAsync(new CommandDefinition("UPDATE article_reviews SET step = step + 1 WHERE article_id = @Id", new { row.Id }, tx, cancellationToken: ct));
        await Review.EventAsync(conn, tx, row.Id, "approve", current.Step, User, req.Comment, ct);
        var body = await ArticleSql.AdminResponseAsync(conn, row, ct, tx);
        await tx.CommitAsync(ct);
        HttpContext.Response.Headers.ETag = IfMatch.ETag(row.Version);
        return TypedResults.Ok(body);
    }
}
