using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Leadership;

public sealed class LeadershipIdRequest
{
    public long Id { get; set; }
}

public sealed class GetLeadershipMessage(Db db) : Endpoint<LeadershipIdRequest, Results<Ok<LeadershipMessage>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/api/v1/leadership-messages/{id}");
        AllowAnonymous();
        Description(b => b.WithTags("Leadership").ProducesProblems(404));
        Summary(s => s.Summary = "一篇局长致辞 / One leadership message, current or earlier");
    }

    public override async Task<Results<Ok<LeadershipMessage>, ProblemHttpResult>> ExecuteAsync(LeadershipIdRequest req, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<LeadershipRow>(new CommandDefinition(
            $"SELECT {LeadershipSql.Columns} FROM leadership_messages WHERE id = @Id AND publish_at <= @now",
            new { req.Id, now = UtcTime.Now() }, cancellationToken: ct));
        return row is null ? Problems.NotFound() : TypedResults.Ok(LeadershipMessage.From(row));
    }
}
