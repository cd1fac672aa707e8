using Cms.Api.Data;
using Cms.Api.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Partners;

public sealed class AdminGetPartner(Db db) : Endpoint<IdRequest, Results<Ok<AdminPartner>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/api/v1/admin/partners/{id}");
        Roles(Role.AtLeastAuthor);
        Description(b => b.WithTags("Admin: Partners").ProducesProblems(401, 403, 404));
        Summary(s => s.Summary = "读取一个合作伙伴 / One partner, with its ETag");
    }

    public override async Task<Results<Ok<AdminPartner>, ProblemHttpResult>> ExecuteAsync(IdRequest req, CancellationToken ct) =>
        await Editable.GetAsync<PartnerRow>(db, HttpContext, $"SELECT {PartnerSql.Columns} FROM partners WHERE id = @id", req.Id, ct) is { } row
            ? TypedResults.Ok(AdminPartner.From(row))
            : Problems.NotFound();
}
