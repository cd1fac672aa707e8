using Cms.Api.Data;
using Cms.Api.Features.Articles;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Preview;

public sealed class PreviewRequest
{
    /// <summary>The token of a preview address.</summary>
    public string Token { get; set; } = "";
}

public sealed class GetPreview(Db db) : Endpoint<PreviewRequest, Results<Ok<PublicArticle>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/api/v1/preview/{token}");
        AllowAnonymous();
        Description(b => b.WithTags("Articles").ProducesProblems(404, 410));
        Summary(s =>
        {
            s.Summary = "预览中的草稿 / The draft a preview address shows";
            s.Description = "与公开文章相同的结构(preview 为 true)。签名不符 404;过期、已修改或已发布 410。不缓存,不收录。" +
                " The same shape as a published article, with preview true. 404 for a token that was not signed here; 410 once it expired or the article" +
                " was saved or published since. Cache-Control: no-store, X-Robots-Tag: noindex.";
        });
    }

    public override async Task<Results<Ok<PublicArticle>, ProblemHttpResult>> ExecuteAsync(PreviewRequest req, CancellationToken ct)
    {
        HttpContext.Response.Headers.CacheControl = "no-store";
        HttpContext.Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
        if (req.Token.Length > 200 || PreviewToken.Read(await PreviewToken.SecretAsync(db, ct), req.Token) is not { } t)
            return Problems.NotFound("No such preview address.");
        await using var conn = await db.OpenAsync(ct);
        var row = await ArticleSql.ByIdAsync(conn, t.Id, ct);
        if (t.Expires <= DateTimeOffset.UtcNow)
            return Problems.Make(410, "Gone", "This preview address has expired; ask for a new one.");
        if (row is null || row.Version != t.Version || row.Status != "draft")
            return Problems.Make(410, "Gone", "The article was saved, published or deleted since this preview address was made; ask for a new one.");
        var a = await ArticleSql.ResponseAsync<PublicArticle>(conn, row, ct);
        a.Breadcrumb = (await conn.QueryAsync<CategoryRef>(new CommandDefinition(
            ArticleSql.Breadcrumb, new { row.CategoryId }, cancellationToken: ct))).ToList();
        a.Preview = true;
        return TypedResults.Ok(a);
    }
}
