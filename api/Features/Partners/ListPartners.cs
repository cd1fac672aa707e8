using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Partners;

public sealed class ListPartners(Db db) : EndpointWithoutRequest<Ok<List<Partner>>>
{
    public override void Configure()
    {
        Get("/api/v1/partners");
        AllowAnonymous();
        Description(b => b.WithTags("Site"));
        Summary(s => s.Summary = "合作伙伴 / Partners, in display order");
    }

    public override async Task<Ok<List<Partner>>> ExecuteAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var rows = await conn.QueryAsync<PartnerRow>(new CommandDefinition(PartnerSql.PublicList, cancellationToken: ct));
        return TypedResults.Ok(rows.Select(Partner.From).ToList());
    }
}
