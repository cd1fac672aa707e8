using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Categories;

public sealed class PatchCategory(Db db) : EndpointWithoutRequest<Results<Ok<AdminCategory>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Patch("/api/v1/admin/categories/{id}");
        Roles(Role.AtLeastEditor);
        Description(b => b.WithTags("Admin: Columns").WithMetadata(new MergePatchBody(typeof(UpdateCategoryRequest))).ProducesProblems(400, 401, 403, 404, 409, 412, 415, 428));
        Summary(s =>
        {
            s.Summary = "修改栏目的部分字段 / Change some of a column's fields";
            s.Description = MergePatch.Description;
            s.ExampleRequest = new { name = "工作动态", showOnHome = true };
        });
    }

    public override async Task<Results<Ok<AdminCategory>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var id = Route<long>("id");
        CategoryRow? row;
        await using (var conn = await db.OpenAsync(ct))
        {
            row = await conn.QuerySingleOrDefaultAsync<CategoryRow>(new CommandDefinition(
                $"SELECT {CategorySql.Columns} FROM categories WHERE id = @id", new { id }, cancellationToken: ct));
        }
        if (row is null)
            return Problems.NotFound();
        var (req, problem) = await MergePatch.MergeAsync(HttpContext, AdminCategory.From(row), row.Version, new UpdateCategoryValidator(), ct);
        return problem ?? await UpdateCategory.SaveAsync(db, HttpContext, id, req!, ct);
    }
}
