using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Features.Categories;

public sealed class UpdateCategoryRequest : CategoryInput;

public sealed class UpdateCategoryValidator : Validator<UpdateCategoryRequest>
{
    public UpdateCategoryValidator() => Include(new CategoryInputValidator());
}

public sealed class UpdateCategory(Db db) : Endpoint<UpdateCategoryRequest, Results<Ok<AdminCategory>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Put("/api/v1/admin/categories/{id}");
        Roles(Role.AtLeastEditor);
        Description(b => b.WithTags("Admin: Columns").ProducesProblems(401, 403, 404, 409, 412, 428));
        Summary(s =>
        {
            s.Summary = "修改栏目 / Replace a column's fields";
            s.Description = "需 If-Match。上级栏目不能是它自己或它的下级。Needs If-Match. The parent may not be the column itself or one of its descendants.";
            s.ExampleRequest = CategoryInput.Example<UpdateCategoryRequest>();
        });
    }

    public override Task<Results<Ok<AdminCategory>, ProblemHttpResult>> ExecuteAsync(UpdateCategoryRequest req, CancellationToken ct) =>
        SaveAsync(db, HttpContext, Route<long>("id"), req, ct);

    /// <summary>The replace; PATCH merges its patch into the current fields and ends here too.</summary>
    public static async Task<Results<Ok<AdminCategory>, ProblemHttpResult>> SaveAsync(Db db, HttpContext http, long id, UpdateCategoryRequest req, CancellationToken ct)
    {
        var (ifMatch, precondition) = IfMatch.Read(http);
        if (precondition is not null)
            return precondition;
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginWriteAsync(ct);
        if (await Versioned.CheckAsync(conn, tx, "categories", id, ifMatch!, ct) is { } failed)
            return failed;
        if (req.ParentId is { } parent)
        {
            var below = await conn.QueryAsync<long>(new CommandDefinition(
                """
                WITH RECURSIVE sub(id) AS (SELECT @id UNION ALL SELECT k.id FROM categories k JOIN sub s ON k.parent_id = s.id)
                SELECT id FROM sub
                """, new { id }, tx, cancellationToken: ct));
            if (below.Contains(parent))
                return Problems.BadRequest("parentId", "A column cannot be moved under itself or its own sub-column.");
            if (await conn.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT count(*) FROM categories WHERE id = @parent", new { parent }, tx, cancellationToken: ct)) == 0)
                return Problems.BadRequest("parentId", $"No column with id {parent}.");
        }
        CategoryRow row;
        try
        {
            row = await conn.QuerySingleAsync<CategoryRow>(new CommandDefinition(
                $"""
                UPDATE categories SET {CategorySql.Assignments}, version = version + 1, updated_at = @now WHERE id = @id
                RETURNING {CategorySql.Columns}
                """, new DynamicParameters(CategorySql.Values(req)).With(new { id, now = UtcTime.Now() }), tx, cancellationToken: ct));
        }
        catch (System.Data.Common.DbException e) when (CategorySql.Conflict(e) is { } conflict)
        {
            return conflict;
        }
        await Changes.AppendAsync(conn, tx, Changes.Category, row.Id, ct: ct);
        await tx.CommitAsync(ct);
        http.Response.Headers.ETag = IfMatch.ETag(row.Version);
        return TypedResults.Ok(AdminCategory.From(row));
    }
}
