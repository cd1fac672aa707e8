using Cms.Api.Data;
using Cms.Api.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Revisions;

public sealed class GetRevision(Db db) : Endpoint<RevisionRequest, Results<Ok<RevisionDetail>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get(RevisionAccess.Routes("/{revisionId:long}"));
        Roles(Role.AtLeastAuthor);
        Description(b => b.WithTags("Admin: Revisions").ProducesProblems(401, 403, 404));
        Summary(s =>
        {
            s.Summary = "一条修订的完整内容 / One revision with its full content";
            s.Description = "content 即当时 PUT 所接受的全部字段。" + RevisionAccess.Who + " content is every field as PUT takes it, as it was saved.";
        });
    }

    public override async Task<Results<Ok<RevisionDetail>, ProblemHttpResult>> ExecuteAsync(RevisionRequest req, CancellationToken ct)
    {
        var (kind, problem) = await RevisionAccess.CheckAsync(db, HttpContext, req.Id, ct);
        if (problem is not null)
            return problem;
        return await RevisionAccess.FindAsync(db, kind!, req.Id, req.RevisionId, ct) is { } row
            ? TypedResults.Ok(row.Detail())
            : Problems.NotFound("No such revision of this item.");
    }
}
