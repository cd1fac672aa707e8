using Cms.Api.Data;
using Cms.Api.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Partners;

public sealed class UpdatePartnerRequest : PartnerInput;

public sealed class UpdatePartnerValidator : Validator<UpdatePartnerRequest>
{
    public UpdatePartnerValidator() => Include(new PartnerInputValidator());
}

public sealed class UpdatePartner(Db db) : Endpoint<UpdatePartnerRequest, Results<Ok<AdminPartner>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Put("/api/v1/admin/partners/{id}");
        Roles(Role.AtLeastEditor);
        Description(b => b.WithTags("Admin: Partners").ProducesProblems(401, 403, 404, 412, 428));
        Summary(s =>
        {
            s.Summary = "修改合作伙伴 / Replace a partner";
            s.Description = "需 If-Match。Needs If-Match with the ETag of your last read.";
            s.ExampleRequest = PartnerInput.Example<UpdatePartnerRequest>();
        });
    }

    public override Task<Results<Ok<AdminPartner>, ProblemHttpResult>> ExecuteAsync(UpdatePartnerRequest req, CancellationToken ct) =>
        SaveAsync(db, HttpContext, Route<long>("id"), req, ct);

    /// <summary>The replace; PATCH merges its patch into the current fields and ends here too.</summary>
    public static async Task<Results<Ok<AdminPartner>, ProblemHttpResult>> SaveAsync(Db db, HttpContext http, long id, UpdatePartnerRequest req, CancellationToken ct)
    {
        var (row, problem) = await Editable.UpdateAsync<PartnerRow>(db, http, "partners", id,
            $"""
            UPDATE partners SET name = @Name, url = @Url, logo_url = @LogoUrl, logo_alt = @LogoAlt, sort_order = @SortOrder,
                is_enabled = @IsEnabled, version = version + 1, updated_at = @now
            WHERE id = @id RETURNING {PartnerSql.Columns}
            """, PartnerSql.Values(req), Changes.Partner, ct);
        return problem ?? (Results<Ok<AdminPartner>, ProblemHttpResult>)TypedResults.Ok(AdminPartner.From(row!));
    }
}
