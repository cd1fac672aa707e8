using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Leadership;

public sealed class GetCurrentLeadershipMessage(Db db) : EndpointWithoutRequest<Results<Ok<LeadershipMessage>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/api/v1/leadership-messages/current");
        AllowAnonymous();
        Description(b => b.WithTags("Leadership").ProducesProblems(404));
        Summary(s => s.Summary = "当前局长致辞 / The current leadership message (局长致辞)");
    }

    public override async Task<Results<Ok<LeadershipMessage>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<LeadershipRow>(new CommandDefinition(
            $"SELECT {LeadershipSql.Columns} FROM leadership_messages WHERE is_current = 1 AND publish_at <= @now",
            new { now = UtcTime.Now() }, cancellationToken: ct));
        return row is null ? Problems.NotFound("There is no current leadership message.") : TypedResults.Ok(LeadershipMessage.From(row));
    }
}
