using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Categories;

public sealed class CategoryIdRequest
{
    public long Id { get; set; }
}

public sealed class AdminGetCategory(Db db) : Endpoint<CategoryIdRequest, Results<Ok<AdminCategory>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/api/v1/admin/categories/{id}");
        Roles(Role.AtLeastAuthor);
        Description(b => b.WithTags("Admin: Columns").ProducesProblems(401, 403, 404));
        Summary(s => s.Summary = "读取一个栏目 / One column, with its ETag");
    }

    public override async Task<Results<Ok<AdminCategory>, ProblemHttpResult>> ExecuteAsync(CategoryIdRequest req, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<CategoryRow>(new CommandDefinition(
            $"SELECT {CategorySql.Columns} FROM categories WHERE id = @Id", new { req.Id }, cancellationToken: ct));
        if (row is null)
            return Problems.NotFound();
        HttpContext.Response.Headers.ETag = IfMatch.ETag(row.Version);
        return TypedResults.Ok(AdminCategory.From(row));
    }
}
