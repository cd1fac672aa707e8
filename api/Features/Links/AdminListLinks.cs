using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Links;

public sealed class AdminListLinks(Db db) : EndpointWithoutRequest<Ok<List<AdminLink>>>
{
    public override void Configure()
    {
        Get("/api/v1/admin/links");
        Roles(Role.AtLeastAuthor);
        Description(b => b.WithTags("Admin: Links").ProducesProblems(401, 403));
        Summary(s => s.Summary = "全部相关链接(含停用) / All related links, disabled ones included");
    }

    public override async Task<Ok<List<AdminLink>>> ExecuteAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var rows = await conn.QueryAsync<LinkRow>(new CommandDefinition(
            $"SELECT {LinkSql.Columns} FROM related_links ORDER BY sort_order, id", cancellationToken: ct));
        return TypedResults.Ok(rows.Select(AdminLink.From).ToList());
    }
}
