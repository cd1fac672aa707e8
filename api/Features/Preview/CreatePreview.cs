using Cms.Api.Data;
using Cms.Api.Features.Articles;
using Cms.Api.Http;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Preview;

public sealed class CreatePreviewRequest
{
    public long Id { get; set; }
    /// <summary>How long the address works, in minutes (default 1440, a day; at most 10080, a week).</summary>
    public int Minutes { get; set; } = 1440;
}

public sealed class CreatePreviewValidator : Validator<CreatePreviewRequest>
{
    public CreatePreviewValidator() => RuleFor(x => x.Minutes).InclusiveBetween(1, 10080);
}

/// <summary>A preview address, for sharing with a reviewer or the person the article is about.</summary>
public sealed class PreviewLink
{
    /// <summary>The portal page that shows the draft (marked 预览, noindex, never cached): open it in a browser.</summary>
    public string Url { get; init; } = "";
    /// <summary>The article as that page shows it, in JSON.</summary>
    public string ApiUrl { get; init; } = "";
    public DateTimeOffset ExpiresAt { get; init; }
    /// <summary>The version it shows: a later save or the publish ends it.</summary>
    public long Version { get; init; }
}

public sealed class CreatePreview(Db db) : Endpoint<CreatePreviewRequest, Results<Ok<PreviewLink>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/api/v1/admin/articles/{id}/preview");
        Roles(Role.AtLeastAuthor);
        Description(b => b.WithTags("Admin: Articles").ProducesProblems(401, 403, 404, 409));
        Summary(s =>
        {
            s.Summary = "生成预览地址 / A signed, expiring preview address for a draft";
            s.Description = "草稿或审核中的文章:地址带签名与期限,页面与发布后的样子相同并标注“预览”,不被收录、不被缓存,也不出现在同步、订阅和站点地图中。再次保存或发布后地址失效。" +
                " For a draft or an article under review: a signed address with an expiry that shows the article exactly as the portal will (the same" +
                " renderer), marked 预览, noindex and never cached, and never in sync, feeds or the sitemap. Saving or publishing the article ends it.";
            s.ExampleRequest = new CreatePreviewRequest { Minutes = 60 };
        });
    }

    public override async Task<Results<Ok<PreviewLink>, ProblemHttpResult>> ExecuteAsync(CreatePreviewRequest req, CancellationToken ct)
    {
        ArticleRow? row;
        await using (var conn = await db.OpenAsync(ct))
            row = await ArticleSql.ByIdAsync(conn, req.Id, ct);
        if (row is null)
            return Problems.NotFound();
        if (ArticleAccess.Check(User, row, change: false) is { } denied)
            return denied;
        if (row.Status != "draft")
            return Problems.Conflict("status", $"Only a draft or an article under review has a preview; this one is {row.Status} (see its own address).");
        var expires = DateTimeOffset.UtcNow.AddMinutes(req.Minutes);
        var token = PreviewToken.Make(await PreviewToken.SecretAsync(db, ct), row.Id, row.Version, expires);
        HttpContext.Response.Headers.ETag = IfMatch.ETag(row.Version);   // the version the address shows
        return TypedResults.Ok(new PreviewLink
        {
            Url = "/preview.html?t=" + token, ApiUrl = "/api/v1/preview/" + token, ExpiresAt = expires, Version = row.Version,
        });
    }
}
