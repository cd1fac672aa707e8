using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Categories;

public sealed class AdminListCategories(Db db) : EndpointWithoutRequest<Ok<List<AdminCategory>>>
{
    public override void Configure()
    {
        Get("/api/v1/admin/categories");
        Roles(Role.AtLeastAuthor);
        Description(b => b.WithTags("Admin: Columns").ProducesProblems(401, 403));
        Summary(s => s.Summary = "全部栏目(含隐藏) / All columns, hidden ones included, as a flat list");
    }

    public override async Task<Ok<List<AdminCategory>>> ExecuteAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var rows = await conn.QueryAsync<CategoryRow>(new CommandDefinition(
            $"SELECT {CategorySql.Columns} FROM categories ORDER BY sort_order, id", cancellationToken: ct));
        return TypedResults.Ok(rows.Select(AdminCategory.From).ToList());
    }
}
