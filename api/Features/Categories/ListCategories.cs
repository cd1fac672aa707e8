using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Categories;

public sealed class ListCategories(Db db) : EndpointWithoutRequest<Ok<List<CategoryNode>>>
{
    public override void Configure()
    {
        Get("/api/v1/categories");
        AllowAnonymous();
        Description(b => b.WithTags("Columns"));
        Summary(s => s.Summary = "栏目树 / The column tree (hidden columns left out)");
    }

    public override async Task<Ok<List<CategoryNode>>> ExecuteAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var rows = await conn.QueryAsync<CategoryRow>(new CommandDefinition(
            $"SELECT {CategorySql.Columns} FROM categories WHERE is_hidden = 0 ORDER BY sort_order, id", cancellationToken: ct));
        return TypedResults.Ok(CategoryNode.Tree(rows));
    }
}
