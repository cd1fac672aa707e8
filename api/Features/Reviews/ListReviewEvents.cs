using Cms.Api.Data;
using Cms.Api.Features.Articles;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Reviews;

public sealed class ListReviewEvents(Db db) : Endpoint<IdRequest, Results<Ok<List<ReviewEvent>>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/api/v1/admin/articles/{id}/reviews");
        Roles(Role.AtLeastAuthor);
        Description(b => b.WithTags("Admin: Review").ProducesProblems(401, 403, 404));
        Summary(s => s.Summary = "审核记录 / An article's review history: who submitted, approved, rejected, when, with what comment");
    }

    public override async Task<Results<Ok<List<ReviewEvent>>, ProblemHttpResult>> ExecuteAsync(IdRequest req, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var row = await ArticleSql.ByIdAsync(conn, req.Id, ct);
        if (row is null)
            return Problems.NotFound();
        if (ArticleAccess.Check(User, row, change: false) is { } denied)
            return denied;
        var steps = await Review.StepsAsync(conn, null, row.CategoryId, ct);
        var events = await conn.QueryAsync<ReviewEvent>(new CommandDefinition(
            "SELECT id, article_id, action, step, key_id, key_name, at, comment FROM review_events WHERE article_id = @Id ORDER BY id",
            new { req.Id }, cancellationToken: ct));
        return TypedResults.Ok(events.Select(e => e.Step is { } s ? new ReviewEvent
        {
            Id = e.Id, ArticleId = e.ArticleId, Action = e.Action, Step = s, StepName = Review.StepName(s, Math.Max(steps, s)),
            KeyId = e.KeyId, KeyName = e.KeyName, At = e.At, Comment = e.Comment,
        } : e).ToList());
    }
}
