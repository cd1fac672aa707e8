using Cms.Api.Data;
using Cms.Api.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Partners;

public sealed class DeletePartner(Db db) : Endpoint<IdRequest, Results<NoContent, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/api/v1/admin/partners/{id}");
        Roles(Role.AtLeastEditor);
        Description(b => b.WithTags("Admin: Partners").ProducesProblems(401, 403, 404, 412, 428));
        Summary(s =>
        {
            s.Summary = "删除合作伙伴 / Delete a partner";
            s.Description = "需 If-Match;只想暂时不显示时改 isEnabled。Needs If-Match; to hide it for a while set isEnabled instead.";
        });
    }

    public override async Task<Results<NoContent, ProblemHttpResult>> ExecuteAsync(IdRequest req, CancellationToken ct) =>
        await Editable.DeleteAsync(db, HttpContext, "partners", req.Id, Changes.Partner, ct) is { } problem
            ? problem
            : TypedResults.NoContent();
}
