using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Features.Categories;

public sealed class CreateCategoryRequest : CategoryInput;

public sealed class CreateCategoryValidator : Validator<CreateCategoryRequest>
{
    public CreateCategoryValidator() => Include(new CategoryInputValidator());
}

public sealed class CreateCategory(Db db) : Endpoint<CreateCategoryRequest, Results<Created<AdminCategory>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/api/v1/admin/categories");
        Roles(Role.AtLeastEditor);
        Description(b => b.WithTags("Admin: Columns").ClearDefaultProduces(200).ProducesProblems(401, 403, 409));
        Summary(s =>
        {
            s.Summary = "新建栏目 / Create a column";
            s.Description = "code 是地址中的栏目代码(如 c、tzgg、zt_cczg),不可重复。The code is the column's URL segment and must be unique.";
            s.ExampleRequest = CategoryInput.Example<CreateCategoryRequest>();
        });
    }

    public override async Task<Results<Created<AdminCategory>, ProblemHttpResult>> ExecuteAsync(CreateCategoryRequest req, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginWriteAsync(ct);
        if (req.ParentId is { } parent && await conn.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM categories WHERE id = @parent", new { parent }, tx, cancellationToken: ct)) == 0)
            return Problems.BadRequest("parentId", $"No column with id {parent}.");
        CategoryRow row;
        try
        {
            row = await conn.QuerySingleAsync<CategoryRow>(new CommandDefinition(
                $"""
                INSERT INTO categories (parent_id, code, name, kind, external_url, description, keywords, column_type, page_body_html,
                    sort_order, show_in_nav, show_on_home, home_item_count, is_hidden, review_steps, created_at, updated_at)
                VALUES (@ParentId, @Code, @Name, @Kind, @ExternalUrl, @Description, @Keywords, @ColumnType, @PageBodyHtml,
                    @SortOrder, @ShowInNav, @ShowOnHome, @HomeItemCount, @IsHidden, @ReviewSteps, @now, @now)
                RETURNING {CategorySql.Columns}
                """, new DynamicParameters(CategorySql.Values(req)).With(new { now = UtcTime.Now() }), tx, cancellationToken: ct));
        }
        catch (System.Data.Common.DbException e) when (CategorySql.Conflict(e) is { } conflict)
        {
            return conflict;
        }
        await Changes.AppendAsync(conn, tx, Changes.Category, row.Id, ct: ct);
        await tx.CommitAsync(ct);
        HttpContext.Response.Headers.ETag = IfMatch.ETag(row.Version);
        return TypedResults.Created($"/api/v1/admin/categories/{row.Id}", AdminCategory.From(row));
    }
}
