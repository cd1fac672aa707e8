using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Articles;

public sealed class AdminListArticlesRequest : IPaged
{
    public ArticleStatus? Status { get; set; }
    public string? Category { get; set; }
    public ArticleType? Type { get; set; }
    public int Page { get; set; } = 1;
    public int PageSize { get; set; } = 20;
}

public sealed class AdminListArticlesValidator : Validator<AdminListArticlesRequest>
{
    public AdminListArticlesValidator()
    {
        this.AddPagingRules();
        RuleFor(x => x.Category).MaximumLength(32);
    }
}

public sealed class AdminArticleListItem
{
    public long Id { get; init; }
    public string Slug { get; init; } = "";
    public string Title { get; init; } = "";
    public ArticleStatus Status { get; init; }
    public ArticleType ArticleType { get; init; }
    public CategoryRef Category { get; init; } = new();
    public DateTimeOffset? PublishAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public long Version { get; init; }

    public static AdminArticleListItem From(ArticleRow r, bool inReview = false) => new()
    {
        Id = r.Id,
        Slug = r.Slug,
        Title = r.Title,
        Status = inReview && r.Status == "draft" ? ArticleStatus.InReview : Json.ParseEnum<ArticleStatus>(r.Status),
        ArticleType = Json.ParseEnum<ArticleType>(r.ArticleType),
        Category = new CategoryRef { Id = r.CategoryId, Code = r.CategoryCode, Name = r.CategoryName },
        PublishAt = r.PublishAt,
        UpdatedAt = r.UpdatedAt,
        Version = r.Version,
    };
}

public sealed class AdminListArticles(Db db) : Endpoint<AdminListArticlesRequest, Ok<Paged<AdminArticleListItem>>>
{
    public override void Configure()
    {
        Get("/api/v1/admin/articles");
        Roles(Role.AtLeastAuthor);
        Description(b => b.WithTags("Admin: Articles").ProducesProblems(401, 403));
        Summary(s =>
        {
            s.Summary = "全部文章(含草稿) / All articles, drafts included";
            s.Description = "作者只看到自己的文章。Authors see only their own articles. Most recently updated first.";
        });
    }

    public override async Task<Ok<Paged<AdminArticleListItem>>> ExecuteAsync(AdminListArticlesRequest req, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var args = new
        {
            status = req.Status is { } s ? Json.EnumText(s) : null,
            category = req.Category,
            type = req.Type is { } t ? Json.EnumText(t) : null,
            owner = User.IsAuthorOnly() ? User.KeyId() : (long?)null,
            size = req.PageSize,
            offset = req.Offset(),
        };
        const string where = $"""
            WHERE {ArticleSql.InColumnTree}
              AND (@status IS NULL OR (CASE WHEN a.status = 'draft' AND EXISTS (SELECT 1 FROM article_reviews r WHERE r.article_id = a.id)
                  THEN 'inReview' ELSE a.status END) = @status)
              AND (@type IS NULL OR a.article_type = @type)
              AND (@owner IS NULL OR a.created_by = @owner)
            """;
        using var multi = await conn.QueryMultipleAsync(new CommandDefinition(
            $"""
            {ArticleSql.ColumnTree} SELECT count(*) {ArticleSql.From} {where};
            {ArticleSql.ColumnTree} SELECT {ArticleSql.ListColumns} {ArticleSql.From} {where} ORDER BY a.updated_at DESC, a.id DESC LIMIT @size OFFSET @offset;
            """, args, cancellationToken: ct));
        var total = await multi.ReadSingleAsync<long>();
        var rows = (await multi.ReadAsync<ArticleRow>()).ToList();
        var inReview = (await conn.QueryAsync<long>(new CommandDefinition(
            $"SELECT article_id FROM article_reviews WHERE article_id {Sql.InList("@ids")}", new { ids = rows.Select(r => r.Id).ToArray() }, cancellationToken: ct))).ToHashSet();
        var items = rows.Select(r => AdminArticleListItem.From(r, inReview.Contains(r.Id))).ToList();
        return TypedResults.Ok(Paged<AdminArticleListItem>.Of(items, req.Page, req.PageSize, total));
    }
}
