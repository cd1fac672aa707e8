using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Links;

public sealed class ListLinks(Db db) : EndpointWithoutRequest<Ok<List<LinkGroup>>>
{
    public override void Configure()
    {
        Get("/api/v1/links");
        AllowAnonymous();
        Description(b => b.WithTags("Site"));
        Summary(s => s.Summary = "相关链接(分组) / Related links, grouped");
    }

    public override async Task<Ok<List<LinkGroup>>> ExecuteAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var rows = await conn.QueryAsync<LinkRow>(new CommandDefinition(LinkSql.PublicList, cancellationToken: ct));
        return TypedResults.Ok(LinkGroup.From(rows));
    }
}
