namespace Cms.Api.Http;

/// <summary>
/// GET of a page that is not a file, outside the API and Swagger: the portal's 404.html with status 404, which also
/// sends old /article/{code}/{yyyyMM}/{id}.shtml addresses on to their articles.
/// </summary>
public sealed class PortalNotFound(RequestDelegate next, Microsoft.Extensions.FileProviders.IFileProvider files)
{
    public async Task InvokeAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path;
        if (ctx.GetEndpoint() is null && (HttpMethods.IsGet(ctx.Request.Method) || HttpMethods.IsHead(ctx.Request.Method))
            && !path.StartsWithSegments("/api") && !path.StartsWithSegments("/swagger") && !path.StartsWithSegments("/healthz")
            && !path.StartsWithSegments("/feeds") && !path.StartsWithSegments("/sitemaps")
            && files.GetFileInfo("404.html") is { Exists: true } page)
        {
            ctx.Response.StatusCode = StatusCodes.Status404NotFound;
            ctx.Response.ContentType = "text/html; charset=utf-8";
            if (HttpMethods.IsGet(ctx.Request.Method))
                await ctx.Response.SendFileAsync(page, ctx.RequestAborted);
            return;
        }
        await next(ctx);
    }
}
