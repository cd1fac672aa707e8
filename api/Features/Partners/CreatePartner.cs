using Cms.Api.Data;
using Cms.Api.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Partners;

public sealed class CreatePartnerRequest : PartnerInput;

public sealed class CreatePartnerValidator : Validator<CreatePartnerRequest>
{
    public CreatePartnerValidator() => Include(new PartnerInputValidator());
}

public sealed class CreatePartner(Db db) : Endpoint<CreatePartnerRequest, Created<AdminPartner>>
{
    public override void Configure()
    {
        Post("/api/v1/admin/partners");
        Roles(Role.AtLeastEditor);
        Description(b => b.WithTags("Admin: Partners").ClearDefaultProduces(200).ProducesProblems(401, 403));
        Summary(s =>
        {
            s.Summary = "新增合作伙伴 / Add a partner";
            s.Description = "标志图片须有替代文字(alt)。A logo needs alt text.";
            s.ExampleRequest = PartnerInput.Example<CreatePartnerRequest>();
        });
    }

    public override async Task<Created<AdminPartner>> ExecuteAsync(CreatePartnerRequest req, CancellationToken ct)
    {
        var row = await Editable.CreateAsync<PartnerRow>(db, HttpContext,
            $"""
            INSERT INTO partners (name, url, logo_url, logo_alt, sort_order, is_enabled, created_at, updated_at)
            VALUES (@Name, @Url, @LogoUrl, @LogoAlt, @SortOrder, @IsEnabled, @now, @now) RETURNING {PartnerSql.Columns}
            """, PartnerSql.Values(req), Changes.Partner, ct);
        return TypedResults.Created($"/api/v1/admin/partners/{row.Id}", AdminPartner.From(row));
    }
}
