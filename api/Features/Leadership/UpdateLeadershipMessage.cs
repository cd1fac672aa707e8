using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Leadership;

public sealed class UpdateLeadershipMessageRequest : LeadershipInput;

public sealed class UpdateLeadershipMessageValidator : Validator<UpdateLeadershipMessageRequest>
{
    public UpdateLeadershipMessageValidator() => Include(new LeadershipInputValidator());
}

public sealed class UpdateLeadershipMessage(Db db) : Endpoint<UpdateLeadershipMessageRequest, Results<Ok<LeadershipMessage>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Put("/api/v1/admin/leadership-messages/{id}");
        Roles(Role.AtLeastEditor);
        Description(b => b.WithTags("Admin: Leadership").ProducesProblems(401, 403, 404, 412, 428));
        Summary(s =>
        {
            s.Summary = "修改局长致辞 / Replace a leadership message";
            s.Description = "需 If-Match。Needs If-Match with the ETag of your last read.";
            s.ExampleRequest = LeadershipInput.Example<UpdateLeadershipMessageRequest>();
        });
    }

    public override Task<Results<Ok<LeadershipMessage>, ProblemHttpResult>> ExecuteAsync(UpdateLeadershipMessageRequest req, CancellationToken ct) =>
        SaveAsync(db, HttpContext, Route<long>("id"), req, ct);

    /// <summary>The replace; PATCH merges its patch into the current fields and ends here too.</summary>
    public static async Task<Results<Ok<LeadershipMessage>, ProblemHttpResult>> SaveAsync(Db db, HttpContext http, long id, UpdateLeadershipMessageRequest req, CancellationToken ct)
    {
        var (ifMatch, precondition) = IfMatch.Read(http);
        if (precondition is not null)
            return precondition;
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginWriteAsync(ct);
        if (await Versioned.CheckAsync(conn, tx, "leadership_messages", id, ifMatch!, ct) is { } failed)
            return failed;
        var row = await conn.QuerySingleAsync<LeadershipRow>(new CommandDefinition(
            $"""
            UPDATE leadership_messages SET title = @Title, leader_name = @LeaderName, leader_title = @LeaderTitle, photo_url = @PhotoUrl,
                photo_alt = @PhotoAlt, excerpt = @Excerpt, body_html = @BodyHtml, publish_at = @PublishAt,
                version = version + 1, updated_at = @now
            WHERE id = @id RETURNING {LeadershipSql.Columns}
            """, new DynamicParameters(LeadershipSql.Values(req)).With(new { id, now = UtcTime.Now() }), tx, cancellationToken: ct));
        await Changes.AppendAsync(conn, tx, Changes.LeadershipMessage, row.Id, ct: ct);
        await tx.CommitAsync(ct);
        http.Response.Headers.ETag = IfMatch.ETag(row.Version);
        return TypedResults.Ok(LeadershipMessage.From(row));
    }
}
