using Cms.Api.Data;
using Cms.Api.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Links;

public sealed class DeleteLink(Db db) : Endpoint<IdRequest, Results<NoContent, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/api/v1/admin/links/{id}");
        Roles(Role.AtLeastEditor);
        Description(b => b.WithTags("Admin: Links").ProducesProblems(401, 403, 404, 412, 428));
        Summary(s =>
        {
            s.Summary = "删除相关链接 / Delete a related link";
            s.Description = "需 If-Match;只想暂时不显示时改 isEnabled。Needs If-Match; to hide it for a while set isEnabled instead.";
        });
    }

    public override async Task<Results<NoContent, ProblemHttpResult>> ExecuteAsync(IdRequest req, CancellationToken ct) =>
        await Editable.DeleteAsync(db, HttpContext, "related_links", req.Id, Changes.Link, ct) is { } problem
            ? problem
            : TypedResults.NoContent();
}
