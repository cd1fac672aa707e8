using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Partners;

public sealed class AdminListPartners(Db db) : EndpointWithoutRequest<Ok<List<AdminPartner>>>
{
    public override void Configure()
    {
        Get("/api/v1/admin/partners");
        Roles(Role.AtLeastAuthor);
        Description(b => b.WithTags("Admin: Partners").ProducesProblems(401, 403));
        Summary(s => s.Summary = "全部合作伙伴(含停用) / All partners, disabled ones included");
    }

    public override async Task<Ok<List<AdminPartner>>> ExecuteAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var rows = await conn.QueryAsync<PartnerRow>(new CommandDefinition(
            $"SELECT {PartnerSql.Columns} FROM partners ORDER BY sort_order, id", cancellationToken: ct));
        return TypedResults.Ok(rows.Select(AdminPartner.From).ToList());
    }
}
