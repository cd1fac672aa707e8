using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Leadership;

public sealed class AdminGetLeadershipMessage(Db db) : Endpoint<LeadershipIdRequest, Results<Ok<LeadershipMessage>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/api/v1/admin/leadership-messages/{id}");
        Roles(Role.AtLeastAuthor);
        Description(b => b.WithTags("Admin: Leadership").ProducesProblems(401, 403, 404));
        Summary(s => s.Summary = "读取一篇局长致辞 / One leadership message, with its ETag");
    }

    public override async Task<Results<Ok<LeadershipMessage>, ProblemHttpResult>> ExecuteAsync(LeadershipIdRequest req, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<LeadershipRow>(new CommandDefinition(
            $"SELECT {LeadershipSql.Columns} FROM leadership_messages WHERE id = @Id", new { req.Id }, cancellationToken: ct));
        if (row is null)
            return Problems.NotFound();
        HttpContext.Response.Headers.ETag = IfMatch.ETag(row.Version);
        return TypedResults.Ok(LeadershipMessage.From(row));
    }
}
