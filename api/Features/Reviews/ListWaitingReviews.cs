using Cms.Api.Data;
using Cms.Api.Features.Articles;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Reviews;

/// <summary>An article waiting for a review step.</summary>
public sealed class WaitingArticle
{
    public long Id { get; init; }
    public string Title { get; init; } = "";
    public long CategoryId { get; init; }
    public string CategoryName { get; init; } = "";
    public long? CreatedBy { get; init; }
    public DateTimeOffset SubmittedAt { get; init; }
    public ReviewState Review { get; init; } = new();
    public long Version { get; init; }
}

public sealed class ListWaitingReviewsRequest : IPaged
{
    public int Page { get; set; } = 1;
    public int PageSize { get; set; } = 20;
}

public sealed class ListWaitingReviewsValidator : Validator<ListWaitingReviewsRequest>
{
    public ListWaitingReviewsValidator() => this.AddPagingRules();
}

public sealed class ListWaitingReviews(Db db) : Endpoint<ListWaitingReviewsRequest, Ok<Paged<WaitingArticle>>>
{
    public override void Configure()
    {
        Get("/api/v1/admin/reviews/waiting");
        Roles(Role.AtLeastEditor);
        Description(b => b.WithTags("Admin: Review").ProducesProblems(400, 401, 403));
        Summary(s =>
        {
            s.Summary = "待我审核 / Articles waiting for a step the caller may approve";
            s.Description = "不含自己写的文章,也不含本次提交中自己已通过过一步的文章;最早提交的在前。" +
                " Not the caller's own articles, nor those whose submission the caller approved a step of; the longest waiting first.";
        });
    }

    public override async Task<Ok<Paged<WaitingArticle>>> ExecuteAsync(ListWaitingReviewsRequest req, CancellationToken ct)
    {
        const string Waiting = """
            FROM article_reviews r JOIN articles a ON a.id = r.article_id JOIN categories c ON c.id = a.category_id
            WHERE r.step <= c.review_steps AND a.created_by IS DISTINCT FROM @me
            AND NOT EXISTS (SELECT 1 FROM review_events e WHERE e.article_id = a.id AND e.action = 'approve' AND e.key_id = @me
                AND e.id > (SELECT coalesce(max(id), 0) FROM review_events s WHERE s.article_id = a.id AND s.action = 'submit'))
            """;
        await using var conn = await db.OpenAsync(ct);
        var args = new { me = User.KeyId(), limit = req.PageSize, offset = req.Offset() };
        var total = await conn.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) {Waiting}", args, cancellationToken: ct));
        var rows = await conn.QueryAsync<(long Id, string Title, long CategoryId, string CategoryName, long? CreatedBy, DateTimeOffset SubmittedAt, int Step, int Steps, long Version)>(
            new CommandDefinition(
                $"SELECT a.id, a.title, a.category_id, c.name, a.created_by, r.submitted_at, r.step, c.review_steps, a.version {Waiting} ORDER BY r.submitted_at, a.id LIMIT @limit OFFSET @offset",
                args, cancellationToken: ct));
        var items = rows.Select(r => new WaitingArticle
        {
            Id = r.Id, Title = r.Title, CategoryId = r.CategoryId, CategoryName = r.CategoryName, CreatedBy = r.CreatedBy,
            SubmittedAt = r.SubmittedAt, Review = Review.State(r.Step, r.Steps), Version = r.Version,
        }).ToList();
        return TypedResults.Ok(Paged<WaitingArticle>.Of(items, req.Page, req.PageSize, total));
    }
}
