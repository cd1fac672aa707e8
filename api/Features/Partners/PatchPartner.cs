using Cms.Api.Data;
using Cms.Api.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Partners;

public sealed class PatchPartner(Db db) : EndpointWithoutRequest<Results<Ok<AdminPartner>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Patch("/api/v1/admin/partners/{id}");
        Roles(Role.AtLeastEditor);
        Description(b => b.WithTags("Admin: Partners").WithMetadata(new MergePatchBody(typeof(UpdatePartnerRequest))).ProducesProblems(400, 401, 403, 404, 412, 415, 428));
        Summary(s =>
        {
            s.Summary = "修改合作伙伴的部分字段 / Change some of a partner's fields";
            s.Description = MergePatch.Description;
            s.ExampleRequest = new { isEnabled = false };
        });
    }

    public override async Task<Results<Ok<AdminPartner>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var id = Route<long>("id");
        if (await Editable.GetAsync<PartnerRow>(db, HttpContext, $"SELECT {PartnerSql.Columns} FROM partners WHERE id = @id", id, ct) is not { } row)
            return Problems.NotFound();
        var (req, problem) = await MergePatch.MergeAsync(HttpContext, AdminPartner.From(row), row.Version, new UpdatePartnerValidator(), ct);
        return problem ?? await UpdatePartner.SaveAsync(db, HttpContext, id, req!, ct);
    }
}
