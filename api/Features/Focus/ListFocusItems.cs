using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Focus;

public sealed class ListFocusItems(Db db) : EndpointWithoutRequest<Ok<List<FocusItem>>>
{
    public override void Configure()
    {
        Get("/api/v1/focus-items");
        AllowAnonymous();
        Description(b => b.WithTags("Site"));
        Summary(s => s.Summary = "焦点图 / Focus items for the home carousel (enabled, in their time window)");
    }

    public override async Task<Ok<List<FocusItem>>> ExecuteAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var rows = await conn.QueryAsync<FocusRow>(new CommandDefinition(FocusSql.PublicList, new { now = UtcTime.Now() }, cancellationToken: ct));
        return TypedResults.Ok(rows.Select(FocusItem.From).ToList());
    }
}
