using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Leadership;

public sealed class DeleteLeadershipMessage(Db db) : Endpoint<LeadershipIdRequest, Results<NoContent, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/api/v1/admin/leadership-messages/{id}");
        Roles(Role.AtLeastEditor);
        Description(b => b.WithTags("Admin: Leadership").ProducesProblems(401, 403, 404, 409, 412, 428));
        Summary(s =>
        {
            s.Summary = "删除局长致辞 / Delete a leadership message";
            s.Description = "当前致辞不能删除,先把另一篇设为当前。需 If-Match。The current message cannot be deleted: make another one current first. Needs If-Match.";
        });
    }

    public override async Task<Results<NoContent, ProblemHttpResult>> ExecuteAsync(LeadershipIdRequest req, CancellationToken ct)
    {
        var (ifMatch, precondition) = IfMatch.Read(HttpContext);
        if (precondition is not null)
            return precondition;
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginWriteAsync(ct);
        if (await Versioned.CheckAsync(conn, tx, "leadership_messages", req.Id, ifMatch!, ct) is { } failed)
            return failed;
        if (await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT is_current FROM leadership_messages WHERE id = @Id", new { req.Id }, tx, cancellationToken: ct)))
            return Problems.Conflict("id", "This is the current message; make another one current first.");
        await conn.ExecuteAsync(new CommandDefinition("DELETE FROM leadership_messages WHERE id = @Id", new { req.Id }, tx, cancellationToken: ct));
        await Changes.AppendAsync(conn, tx, Changes.LeadershipMessage, req.Id, deleted: true, ct);
        await tx.CommitAsync(ct);
        return TypedResults.NoContent();
    }
}
