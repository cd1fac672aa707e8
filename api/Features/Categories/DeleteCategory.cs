using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Categories;

public sealed class DeleteCategory(Db db) : Endpoint<CategoryIdRequest, Results<NoContent, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/api/v1/admin/categories/{id}");
        Roles(Role.AtLeastEditor);
        Description(b => b.WithTags("Admin: Columns").ProducesProblems(401, 403, 404, 409, 412, 428));
        Summary(s =>
        {
            s.Summary = "删除栏目 / Delete a column";
            s.Description = "栏目下还有子栏目或文章时不能删除(可改为隐藏)。需 If-Match。" +
                " A column that still has sub-columns or articles cannot be deleted (hide it instead). Needs If-Match.";
        });
    }

    public override async Task<Results<NoContent, ProblemHttpResult>> ExecuteAsync(CategoryIdRequest req, CancellationToken ct)
    {
        var (ifMatch, precondition) = IfMatch.Read(HttpContext);
        if (precondition is not null)
            return precondition;
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginWriteAsync(ct);
        if (await Versioned.CheckAsync(conn, tx, "categories", req.Id, ifMatch!, ct) is { } failed)
            return failed;
        var used = await conn.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            SELECT (SELECT count(*) FROM categories WHERE parent_id = @Id) + (SELECT count(*) FROM articles WHERE category_id = @Id)
                 + (SELECT count(*) FROM article_categories WHERE category_id = @Id)
            """, new { req.Id }, tx, cancellationToken: ct));
        if (used > 0)
            return Problems.Conflict("id", "The column still has sub-columns or articles; move them first or hide the column.");
        await conn.ExecuteAsync(new CommandDefinition("DELETE FROM categories WHERE id = @Id", new { req.Id }, tx, cancellationToken: ct));
        await Changes.AppendAsync(conn, tx, Changes.Category, req.Id, deleted: true, ct);
        await tx.CommitAsync(ct);
        return TypedResults.NoContent();
    }
}
