using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Site;

public sealed class PatchSettings(Db db) : EndpointWithoutRequest<Results<Ok<SettingsRow>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Patch("/api/v1/admin/settings");
        Roles(Role.AdminOnly);
        Description(b => b.WithTags("Admin: Settings").WithMetadata(new MergePatchBody(typeof(UpdateSettingsRequest))).ProducesProblems(400, 401, 403, 404, 412, 415, 428));
        Summary(s =>
        {
            s.Summary = "修改站点设置的部分字段 / Change some of the site settings";
            s.Description = MergePatch.Description;
            s.ExampleRequest = new { phone = "010-64404589" };
        });
    }

    public override async Task<Results<Ok<SettingsRow>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        SettingsRow? row;
        await using (var conn = await db.OpenAsync(ct))
            row = await conn.QuerySingleOrDefaultAsync<SettingsRow>(new CommandDefinition(SettingsSql.Select, cancellationToken: ct));
        if (row is null)
            return Problems.NotFound("The site has no settings yet; PUT them.");
        var (req, problem) = await MergePatch.MergeAsync(HttpContext, row, row.Version, new UpdateSettingsValidator(), ct);
        return problem ?? await UpdateSettings.SaveAsync(db, HttpContext, req!, ct);
    }
}
