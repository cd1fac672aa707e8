using Cms.Api.Data;
using Cms.Api.Features.Articles;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Reviews;

public sealed class RejectArticleValidator : Validator<ReviewRequest>
{
    public RejectArticleValidator()
    {
        Include(new ReviewRequestValidator());
        RuleFor(x => x.Comment).NotEmpty().WithMessage("'comment' says what to change: a rejection needs one.");
    }
}

public sealed class RejectArticle(Db db) : Endpoint<ReviewRequest, Results<Ok<AdminArticle>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/api/v1/admin/articles/{id}/reject");
        Roles(Role.AtLeastEditor);
        Validator<RejectArticleValidator>();
        Description(b => b.WithTags("Admin: Review").ProducesProblems(401, 403, 404, 409));
        Summary(s =>
        {
            s.Summary = "退回修改 / Send an article under review back to draft";
            s.Description = "须填写审核意见(comment)。退回后为草稿,作者修改后重新提交,从第一步开始。" +
                " Needs a comment. It becomes a draft again; once changed it is submitted again and starts from the first step.";
            s.ExampleRequest = new ReviewRequest { Comment = "请核实第二段中的数据来源" };
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
            return Problems.Conflict("status", "It is not under review.");
        if (row.CreatedBy == User.KeyId())
            return Problems.Forbidden("The author of an article never reviews it; edit the draft instead (that withdraws it).");
        await conn.ExecuteAsync(new CommandDefinition("DELETE FROM article_reviews WHERE article_id = @Id", new { row.Id }, tx, cancellationToken: ct));
        await Review.EventAsync(conn, tx, row.Id, "reject", Math.Min(current.Step, current.Steps), User, req.Comment, ct);
        var body = await ArticleSql.AdminResponseAsync(conn, row, ct, tx);
        await tx.CommitAsync(ct);
        HttpContext.Response.Headers.ETag = IfMatch.ETag(row.Version);
        return TypedResults.Ok(body);
    }
}
