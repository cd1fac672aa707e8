using System.Data;
using System.Security.Claims;
using Cms.Api.Data;
using Cms.Api.Features.Articles;
using Cms.Api.Http;
using Dapper;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Reviews;

/// <summary>Where an article stands in its column's review: the step it waits for, or approved.</summary>
public sealed class ReviewState
{
    /// <summary>The step it waits for, from 1; steps + 1 once the last step approved it.</summary>
    public int Step { get; init; }
    /// <summary>How many steps its column asks for (1–3).</summary>
    public int Steps { get; init; }
    /// <summary>初审, 复审 or 终审; null once approved.</summary>
    public string? WaitingFor { get; init; }
    /// <summary>Every step approved: an editor may publish it.</summary>
    public bool Approved { get; init; }
}

/// <summary>One step of an article's review: submit, approve, reject, reset (edited under review) or publish.</summary>
public sealed class ReviewEvent
{
    public long Id { get; init; }
    public long ArticleId { get; init; }
    public string Action { get; init; } = "";
    public int? Step { get; init; }
    public string? StepName { get; init; }
    public long? KeyId { get; init; }
    public string? KeyName { get; init; }
    public DateTimeOffset At { get; init; }
    public string Comment { get; init; } = "";
}

public sealed class ReviewRequest
{
    public long Id { get; set; }
    /// <summary>审核意见: why it was approved or sent back (required to reject).</summary>
    public string? Comment { get; set; }
}

public sealed class ReviewRequestValidator : AbstractValidator<ReviewRequest>
{
    public ReviewRequestValidator() => RuleFor(x => x.Comment).Text(2000);
}

/// <summary>The review rules, in the caller's transaction.</summary>
public static class Review
{
    public static string StepName(int step, int steps) => (steps, step) switch
    {
        (1, 1) => "终审",
        (2, 1) => "初审",
        (2, 2) => "终审",
        (3, 1) => "初审",
        (3, 2) => "复审",
        (3, 3) => "终审",
        _ => "",
    };

    public static ReviewState State(int step, int steps) => new()
    {
        Step = step, Steps = steps, Approved = step > steps, WaitingFor = step > steps ? null : StepName(step, steps),
    };

    public static Task<(int Step, int Steps)?> CurrentAsync(IDbConnection conn, IDbTransaction? tx, long id, CancellationToken ct) =>
        conn.QuerySingleOrDefaultAsync<(int, int)?>(new CommandDefinition(
            "SELECT r.step, c.review_steps FROM article_reviews r JOIN articles a ON a.id = r.article_id JOIN categories c ON c.id = a.category_id WHERE r.article_id = @id",
            new { id }, tx, cancellationToken: ct));

    public static Task<int> StepsAsync(IDbConnection conn, IDbTransaction? tx, long categoryId, CancellationToken ct) =>
        conn.ExecuteScalarAsync<int>(new CommandDefinition("SELECT review_steps FROM categories WHERE id = @categoryId", new { categoryId }, tx, cancellationToken: ct));

    public static Task EventAsync(IDbConnection conn, IDbTransaction tx, long id, string action, int? step, ClaimsPrincipal? user, string? comment, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition(
            "INSERT INTO review_events (article_id, action, step, key_id, key_name, at, comment) VALUES (@id, @action, @step, @keyId, @keyName, @at, @comment)",
            new
            {
                id, action, step, keyId = user?.Identity?.IsAuthenticated == true ? user.KeyId() : (long?)null,
                keyName = user?.Identity?.IsAuthenticated == true ? user.Identity.Name : null, at = UtcTime.Now(), comment = comment ?? "",
            }, tx, cancellationToken: ct));

    /// <summary>
    /// Publishing a draft needs every step of its column approved; a publish ends the review. Null when it may go ahead.
    /// </summary>
    public static async Task<ProblemHttpResult?> BeforePublishAsync(IDbConnection conn, IDbTransaction tx, ArticleRow row, ClaimsPrincipal user, CancellationToken ct)
    {
        var steps = await StepsAsync(conn, tx, row.CategoryId, ct);
        var current = await CurrentAsync(conn, tx, row.Id, ct);
        // a draft's first publication; an article taken offline goes back up as it was approved (an edit resets that)
        if (steps > 0 && row.Status == "draft" && (current is not { } c || c.Step <= steps))
        {
            var waiting = current is { } w ? $"it waits for {StepName(w.Step, steps)} (step {w.Step} of {steps})" : "it has not been submitted";
            return Problems.Conflict("status", $"Its column asks for {steps} review step(s) before publishing; {waiting}. Submit it (POST …/submit) and have each step approved.");
        }
        if (current is not null)
        {
            await conn.ExecuteAsync(new CommandDefinition("DELETE FROM article_reviews WHERE article_id = @Id", new { row.Id }, tx, cancellationToken: ct));
            await EventAsync(conn, tx, row.Id, "publish", null, user, null, ct);
        }
        return null;
    }

    /// <summary>A change to the content sends an article under review back to draft: what was approved is not what is there now.</summary>
    public static async Task ResetAsync(IDbConnection conn, IDbTransaction tx, long id, CancellationToken ct)
    {
        var gone = await conn.ExecuteAsync(new CommandDefinition("DELETE FROM article_reviews WHERE article_id = @id", new { id }, tx, cancellationToken: ct));
        if (gone > 0)
            await EventAsync(conn, tx, id, "reset", null, null, "内容已修改,需重新提交审核 / the content changed: submit it again", ct);
    }
}
