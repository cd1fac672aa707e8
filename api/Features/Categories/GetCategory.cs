using Cms.Api.Data;
using Cms.Api.Features.Articles;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Categories;

public sealed class GetCategoryRequest
{
    public string Code { get; set; } = "";
}

public sealed class GetCategoryValidator : Validator<GetCategoryRequest>
{
    public GetCategoryValidator() => RuleFor(x => x.Code).NotEmpty().MaximumLength(32);
}

public sealed class ColumnResponse
{
    public CategoryNode Column { get; init; } = new();
    public string? PageBodyHtml { get; init; }
    public IReadOnlyList<CategoryRef> Breadcrumb { get; init; } = [];
    /// <summary>When the newest published article of this column (and its sub-columns) appeared.</summary>
    public DateTimeOffset? LastPublishedAt { get; init; }
}

public sealed class GetCategory(Db db) : Endpoint<GetCategoryRequest, Results<Ok<ColumnResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/api/v1/categories/{code}");
        AllowAnonymous();
        Description(b => b.WithTags("Columns").ProducesProblems(404));
        Summary(s =>
        {
            s.Summary = "一个栏目 / One column by code";
            s.Description = "含子栏目、面包屑、单页栏目正文与最近发布时间。With sub-columns, breadcrumb, the page body of single-page columns and the last publish time.";
        });
    }

    public override async Task<Results<Ok<ColumnResponse>, ProblemHttpResult>> ExecuteAsync(GetCategoryRequest req, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        using var multi = await conn.QueryMultipleAsync(new CommandDefinition(
            $"""
            {ArticleSql.ColumnTree}
            SELECT {CategorySql.Columns} FROM categories WHERE is_hidden = 0 AND id IN (SELECT id FROM tree) ORDER BY sort_order, id;
            WITH RECURSIVE path(id, parent_id, code, name, depth) AS (
                SELECT id, parent_id, code, name, 0 FROM categories WHERE code = @category
                UNION ALL
                SELECT k.id, k.parent_id, k.code, k.name, p.depth + 1 FROM categories k JOIN path p ON k.id = p.parent_id)
            SELECT id, code, name FROM path ORDER BY depth DESC;
            {ArticleSql.ColumnTree}
            SELECT max(a.publish_at) FROM articles a WHERE {ArticleSql.Visible} AND {ArticleSql.InColumnTree};
            """, new { category = req.Code, now = ArticleSql.Now() }, cancellationToken: ct));
        var rows = (await multi.ReadAsync<CategoryRow>()).ToList();
        var breadcrumb = (await multi.ReadAsync<CategoryRef>()).ToList();
        var last = await multi.ReadSingleAsync<string?>();
        var self = rows.FirstOrDefault(r => r.Code == req.Code);
        if (self is null)
            return Problems.NotFound($"No column with code '{req.Code}'.");
        var node = CategoryNode.Tree(rows, self.Id).Single();
        return TypedResults.Ok(new ColumnResponse
        {
            Column = node,
            PageBodyHtml = self.PageBodyHtml,
            Breadcrumb = breadcrumb,
            LastPublishedAt = last is null ? null : UtcTime.FromDb(last),
        });
    }
}
