using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Focus;

public sealed class AdminListFocusItems(Db db) : EndpointWithoutRequest<Ok<List<AdminFocusItem>>>
{
    public override void Configure()
    {
        Get("/api/v1/admin/focus-items");
        Roles(Role.AtLeastAuthor);
        Description(b => b.WithTags("Admin: Focus items").ProducesProblems(401, 403));
        Summary(s => s.Summary = "全部焦点图(含停用) / All focus items, disabled ones included");
    }

    public override async Task<Ok<List<AdminFocusItem>>> ExecuteAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var rows = await conn.QueryAsync<FocusRow>(new CommandDefinition(
            $"SELECT {FocusSql.Columns} FROM focus_items ORDER BY sort_order, id", cancellationToken: ct));
        return TypedResults.Ok(rows.Select(AdminFocusItem.From).ToList());
    }
}
