using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Preview;

/// <summary>
/// The page a preview address opens: the portal's own article template, whose script sees the token and shows the
/// draft with the renderer of published pages. Served here (not from the published folder) so it is never cached.
/// </summary>
public sealed class PreviewPageRequest
{
    /// <summary>The token of the preview address (the page's script reads it).</summary>
    public string? T { get; set; }
}

public sealed class GetPreviewPage(IWebHostEnvironment env) : Endpoint<PreviewPageRequest, Results<FileContentHttpResult, NotFound>>
{
    public override void Configure()
    {
        Get("/preview.html");
        AllowAnonymous();
        Description(b => b.WithTags("Articles").ClearDefaultProduces().Produces(200, typeof(string), "text/html"));
        Summary(s => s.Summary = "预览页 / The portal page of a preview address (/preview.html?t=…)");
    }

    public override async Task<Results<FileContentHttpResult, NotFound>> ExecuteAsync(PreviewPageRequest req, CancellationToken ct)
    {
        var file = env.WebRootFileProvider.GetFileInfo("article.html");
        if (!file.Exists)
            return TypedResults.NotFound();
        await using var stream = file.CreateReadStream();
        using var ms = new MemoryStream();
        await stream.CopyToAsync(ms, ct);
        HttpContext.Response.Headers.CacheControl = "no-store";
        HttpContext.Response.Headers.ETag = "\"" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(ms.ToArray()))[..16] + "\"";
        HttpContext.Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
        return TypedResults.File(ms.ToArray(), "text/html; charset=utf-8");
    }
}
