using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Articles;

public sealed class GetArticleRequest
{
    /// <summary>A numeric id, or a slug (slugs always contain a letter).</summary>
    public string IdOrSlug { get; set; } = "";
}

public sealed class GetArticleValidator : Validator<GetArticleRequest>
{
    public GetArticleValidator() => RuleFor(x => x.IdOrSlug).NotEmpty().MaximumLength(120).Matches(TextRules.SlugPattern);
}

public sealed class GetArticle(Db db) : Endpoint<GetArticleRequest, Results<Ok<PublicArticle>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/api/v1/articles/{idOrSlug}");
        AllowAnonymous();
        Description(b => b.WithTags("Articles").ProducesProblems(404));
        Summary(s =>
        {
            s.Summary = "一篇已发布文章 / One published article by id or slug";
            s.Description = "含面包屑与同栏目上一篇/下一篇。With breadcrumb and previous/next in its column.";
        });
    }

    public override Task<Results<Ok<PublicArticle>, ProblemHttpResult>> ExecuteAsync(GetArticleRequest req, CancellationToken ct)
    {
        using var conn = db.Read();
        var article = long.TryParse(req.IdOrSlug, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? ArticleSql.Public(conn, "a.id = @by", id)
            : ArticleSql.Public(conn, "a.slug = @by", req.IdOrSlug);
        return Task.FromResult<Results<Ok<PublicArticle>, ProblemHttpResult>>(article is null
            ? Problems.NotFound("No published article with this id or slug.")
            : TypedResults.Ok(article));
    }
}
