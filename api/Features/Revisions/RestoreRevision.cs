using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Revisions;

/// <remarks>No request type: the settings' route has no id, and a bodiless POST must not be taken for a JSON one.</remarks>
public sealed class RestoreRevision(Db db) : EndpointWithoutRequest<Results<Ok<RevisionDetail>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post(RevisionAccess.Routes("/{revisionId:long}/restore"));
        Roles(Role.AtLeastAuthor);
        Description(b => b.WithTags("Admin: Revisions").ProducesProblems(401, 403, 404, 409, 412, 428));
        Summary(s =>
        {
            s.Summary = "恢复到某条修订 / Restore a revision";
            s.Description = "以该修订的内容保存一次(产生新版本与新修订),规则与 PUT 相同,需 If-Match(当前 ETag)。" + RevisionAccess.Who +
                " Saves the revision's content as a new version (and a new revision) through the same rules as PUT; needs If-Match with the item's current ETag." +
                " Answers the new revision; the item's new ETag is in the ETag header.";
        });
    }

    public override async Task<Results<Ok<RevisionDetail>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var req = new RevisionRequest { Id = Route<long?>("id", isRequired: false) ?? 1, RevisionId = Route<long>("revisionId") };
        var (kind, problem) = await RevisionAccess.CheckAsync(db, HttpContext, req.Id, ct);
        if (problem is not null)
            return problem;
        if (await RevisionAccess.FindAsync(db, kind!, req.Id, req.RevisionId, ct) is not { } revision)
            return Problems.NotFound("No such revision of this item.");
        var result = await kind!.Restore(db, HttpContext, req.Id, revision.Detail().Content, ct);
        if (result is ProblemHttpResult failed)
            return failed;
        await using var conn = await db.OpenAsync(ct);
        var latest = await conn.QueryFirstAsync<RevisionRow>(new CommandDefinition(
            $"SELECT {RevisionRow.Columns} FROM revisions WHERE entity = @Entity AND entity_id = @Id ORDER BY id DESC LIMIT 1",
            new { kind.Entity, req.Id }, cancellationToken: ct));
        return TypedResults.Ok(latest.Detail());
    }
}
