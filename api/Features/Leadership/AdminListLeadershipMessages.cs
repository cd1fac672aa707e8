using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Leadership;

public sealed class AdminListLeadershipMessages(Db db) : EndpointWithoutRequest<Ok<List<LeadershipMessage>>>
{
    public override void Configure()
    {
        Get("/api/v1/admin/leadership-messages");
        Roles(Role.AtLeastAuthor);
        Description(b => b.WithTags("Admin: Leadership").ProducesProblems(401, 403));
        Summary(s => s.Summary = "全部局长致辞 / All leadership messages, newest first");
    }

    public override async Task<Ok<List<LeadershipMessage>>> ExecuteAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var rows = await conn.QueryAsync<LeadershipRow>(new CommandDefinition(
            $"SELECT {LeadershipSql.Columns} FROM leadership_messages ORDER BY publish_at DESC, id DESC", cancellationToken: ct));
        return TypedResults.Ok(rows.Select(LeadershipMessage.From).ToList());
    }
}
