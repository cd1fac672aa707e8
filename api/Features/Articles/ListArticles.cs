using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Articles;

public sealed class ListArticlesRequest : IPaged
{
    /// <summary>Column code; its sub-columns and topic listings are included.</summary>
    public string? Category { get; set; }
    public ArticleType? Type { get; set; }
    public string? Tag { get; set; }
    /// <summary>First day, inclusive (Beijing time).</summary>
    public DateOnly? From { get; set; }
    /// <summary>Last day, inclusive (Beijing time).</summary>
    public DateOnly? To { get; set; }
    public int Page { get; set; } = 1;
    public int PageSize { get; set; } = 20;
}

public sealed class ListArticlesValidator : Validator<ListArticlesRequest>
{
    public ListArticlesValidator()
    {
        this.AddPagingRules();
        RuleFor(x => x.Category).MaximumLength(32);
        RuleFor(x => x.Tag).Line(30);
        RuleFor(x => x.To).GreaterThanOrEqualTo(x => x.From).When(x => x.From is not null && x.To is not null);
    }
}

public sealed class ListArticles(Db db) : Endpoint<ListArticlesRequest, Results<Ok<Paged<ArticleListItem>>, ProblemHttpResult>>
{
    public static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public override void Configure()
    {
        Get("/api/v1/articles");
        AllowAnonymous();
        Description(b => b.WithTags("Articles").ProducesProblems(400));
        Summary(s =>
        {
            s.Summary = "已发布文章列表 / Published articles, newest first (pinned on top)";
            s.Description = "按栏目(含子栏目)、文章类型、标签、日期筛选,分页。Filter by column (with its sub-columns), type, tag and date range (Beijing days); numbered pages.";
        });
    }

    public override Task<Results<Ok<Paged<ArticleListItem>>, ProblemHttpResult>> ExecuteAsync(ListArticlesRequest req, CancellationToken ct) =>
        Task.FromResult(Execute(req));

    private Results<Ok<Paged<ArticleListItem>>, ProblemHttpResult> Execute(ListArticlesRequest req)
    {
        using var conn = db.Read();
        // a column with no sub-columns and no topic listings (most of them) is one index range in list order
        var column = req.Category is null ? default : conn.QuerySingleOrDefault<(long Id, bool Simple)>(
            """
            SELECT c.id, NOT EXISTS (SELECT 1 FROM categories k WHERE k.parent_id = c.id)
                     AND NOT EXISTS (SELECT 1 FROM article_categories ac WHERE ac.category_id = c.id)
            FROM categories c WHERE c.code = @Category
            """, new { req.Category });
        if (req.Category is not null && column.Id == 0)
            return Problems.BadRequest("category", $"No column with code '{req.Category}'.");

        var args = new
        {
            now = ArticleSql.Now(),
            category = req.Category,
            columnId = column.Id,
            type = req.Type is { } t ? Json.EnumText(t) : null,
            tag = req.Tag,
            from = req.From is { } f ? new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), Beijing) : (DateTimeOffset?)null,
            to = req.To is { } e ? new DateTimeOffset(e.AddDays(1).ToDateTime(TimeOnly.MinValue), Beijing) : (DateTimeOffset?)null,
            size = req.PageSize,
            offset = req.Offset(),
        };
        // only the filters asked for, so an unfiltered page's ids come from an index alone (a few statement shapes, each prepared once)
        var filters = (req.Type is null ? "" : " AND a.article_type = @type")
            + (req.Tag is null ? "" : " AND EXISTS (SELECT 1 FROM article_tags g WHERE g.article_id = a.id AND g.tag = @tag)")
            + (req.From is null ? "" : " AND a.publish_at >= @from")
            + (req.To is null ? "" : " AND a.publish_at < @to");
        // the whole site and a simple column walk an ordering index; a column tree reads only its own articles
        var inTree = $"{ArticleSql.ColumnTree} {ArticleSql.PickedInColumn}";
        var treeFrom = $"FROM picked p JOIN articles a ON a.id = p.id JOIN categories c ON c.id = a.category_id WHERE {ArticleSql.Visible} {filters}";
        var columnWhere = $"FROM articles a WHERE a.category_id = @columnId AND {ArticleSql.Visible} {filters}";
        var siteWhere = $"FROM articles a WHERE {ArticleSql.Visible} {filters}";
        // a page's ids come from the ordering index alone (the rows it skips are never read), then its 20 rows
        static string PageOf(string where) => $"""
            SELECT {ArticleSql.ListColumns}
            FROM (SELECT a.id {where} {ArticleSql.Order} LIMIT @size OFFSET @offset) p
            JOIN articles a ON a.id = p.id JOIN categories c ON c.id = a.category_id {ArticleSql.Order};
            """;
        // without filters, the total is the published count kept at write time (column_counts) less those not yet due
        // (two index ranges: scheduled ones, and any without a time)
        var unfiltered = req.Type is null && req.Tag is null && req.From is null && req.To is null;
        const string siteCount = """
            SELECT (SELECT CAST(coalesce(sum(published), 0) AS bigint) FROM column_counts)
                 - (SELECT count(*) FROM articles a WHERE a.status = 'published' AND a.publish_at > @now)
                 - (SELECT count(*) FROM articles a WHERE a.status = 'published' AND a.publish_at IS NULL);
            """;
        const string columnCount = """
            SELECT (SELECT CAST(coalesce(sum(published), 0) AS bigint) FROM column_counts WHERE category_id = @columnId)
                 - (SELECT count(*) FROM articles a WHERE a.category_id = @columnId AND a.status = 'published' AND a.publish_at > @now)
                 - (SELECT count(*) FROM articles a WHERE a.category_id = @columnId AND a.status = 'published' AND a.publish_at IS NULL);
            """;
        var sql = req.Category is null ? (unfiltered ? siteCount : $"SELECT count(*) {siteWhere};") + PageOf(siteWhere)
            : column.Simple ? (unfiltered ? columnCount : $"SELECT count(*) {columnWhere};") + PageOf(columnWhere)
            : $"{inTree} SELECT count(*) {treeFrom}; {inTree} SELECT {ArticleSql.ListColumns} {treeFrom} {ArticleSql.Order} LIMIT @size OFFSET @offset;";
        using var multi = conn.QueryMultiple(sql, args);
        var total = multi.ReadSingle<long>();
        var items = multi.Read<ArticleRow>().Select(ArticleListItem.From).ToList();
        return TypedResults.Ok(Paged<ArticleListItem>.Of(items, req.Page, req.PageSize, total));
    }
}
