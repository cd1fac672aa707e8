using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Leadership;

public sealed class MakeLeadershipMessageCurrent(Db db) : Endpoint<LeadershipIdRequest, Results<Ok<LeadershipMessage>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/api/v1/admin/leadership-messages/{id}/make-current");
        Roles(Role.AtLeastEditor);
        Description(b => b.WithTags("Admin: Leadership").ClearDefaultAccepts().ProducesProblems(401, 403, 404, 412));
        Summary(s =>
        {
            s.Summary = "设为当前局长致辞 / Make this the current leadership message";
            s.Description = "首页【查看全文】指向当前致辞;始终只有一篇。If-Match 可选。The home page teaser shows the current message; there is always exactly one. If-Match is optional.";
        });
    }

    public override async Task<Results<Ok<LeadershipMessage>, ProblemHttpResult>> ExecuteAsync(LeadershipIdRequest req, CancellationToken ct)
    {
        var (ifMatch, precondition) = IfMatch.Read(HttpContext, required: false);
        if (precondition is not null)
            return precondition;
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginWriteAsync(ct);
        if (await Versioned.CheckAsync(conn, tx, "leadership_messages", req.Id, ifMatch!, ct) is { } failed)
            return failed;
        var previous = await conn.QueryAsync<long>(new CommandDefinition(
            """
            UPDATE leadership_messages SET is_current = 0, version = version + 1, updated_at = @now
            WHERE is_current = 1 AND id <> @Id RETURNING id
            """, new { req.Id, now = UtcTime.Now() }, tx, cancellationToken: ct));
        foreach (var id in previous)
            await Changes.AppendAsync(conn, tx, Changes.LeadershipMessage, id, ct: ct);
        var row = await conn.QuerySingleAsync<LeadershipRow>(new CommandDefinition(
            $"""
            UPDATE leadership_messages SET is_current = 1, version = version + CASE WHEN is_current = 1 THEN 0 ELSE 1 END, updated_at = @now
            WHERE id = @Id RETURNING {LeadershipSql.Columns}
            """, new { req.Id, now = UtcTime.Now() }, tx, cancellationToken: ct));
        await Changes.AppendAsync(conn, tx, Changes.LeadershipMessage, row.Id, ct: ct);
        await tx.CommitAsync(ct);
        HttpContext.Response.Headers.ETag = IfMatch.ETag(row.Version);
        return TypedResults.Ok(LeadershipMessage.From(row));
    }
}
