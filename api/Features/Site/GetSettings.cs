using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Site;

public sealed class GetSettings(Db db) : EndpointWithoutRequest<Results<Ok<SettingsRow>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/api/v1/admin/settings");
        Roles(Role.AdminOnly);
        Description(b => b.WithTags("Admin: Settings").ProducesProblems(401, 403, 404));
        Summary(s => s.Summary = "站点设置 / Site settings (footer, filing numbers, disclaimer), with their ETag");
    }

    public override async Task<Results<Ok<SettingsRow>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<SettingsRow>(new CommandDefinition(SettingsSql.Select, cancellationToken: ct));
        if (row is null)
            return Problems.NotFound("The site has no settings yet; PUT them.");
        HttpContext.Response.Headers.ETag = IfMatch.ETag(row.Version);
        return TypedResults.Ok(row);
    }
}
