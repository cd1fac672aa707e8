using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Articles;

public sealed class GetArticleByLegacyIdRequest
{
    public string LegacyId { get; set; } = "";
}

public sealed class GetArticleByLegacyIdValidator : Validator<GetArticleByLegacyIdRequest>
{
    public GetArticleByLegacyIdValidator() =>
        RuleFor(x => x.LegacyId).Matches("^[0-9]{14}$").WithMessage("'legacyId' must be the 14-digit id of the old site.");
}

public sealed class GetArticleByLegacyId(Db db) : Endpoint<GetArticleByLegacyIdRequest, Results<Ok<PublicArticle>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/api/v1/articles/legacy/{legacyId}");
        AllowAnonymous();
        Description(b => b.WithTags("Articles").ProducesProblems(404));
        Summary(s =>
        {
            s.Summary = "按旧站编号取文章 / One published article by its 14-digit legacy id";
            s.Description = "旧地址 /article/{栏目}/{yyyyMM}/{编号}.shtml 中的编号。The id in old /article/{code}/{yyyyMM}/{id}.shtml addresses.";
        });
    }

    public override Task<Results<Ok<PublicArticle>, ProblemHttpResult>> ExecuteAsync(GetArticleByLegacyIdRequest req, CancellationToken ct)
    {
        using var conn = db.Read();
        var article = ArticleSql.Public(conn, "a.legacy_id = @by", req.LegacyId);
        return Task.FromResult<Results<Ok<PublicArticle>, ProblemHttpResult>>(article is null
            ? Problems.NotFound("No published article with this legacy id.")
            : TypedResults.Ok(article));
    }
}
