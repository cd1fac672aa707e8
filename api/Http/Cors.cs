namespace Cms.Api.Http;

/// <summary>
/// Cross-origin reads for a portal or partner site hosted elsewhere: only the origins in Cms:CorsOrigins
/// (comma-separated), only GET and HEAD, never credentials, and no X-Api-Key or Authorization header, so a browser
/// on another origin can read public content but never call the staff API.
/// </summary>
public static class Cors
{
    public const string PublicPolicy = "public-read";

    public static string[] Origins(IConfiguration config) =>
        (config["Cms:CorsOrigins"] ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    public static IServiceCollection AddPublicCors(this IServiceCollection services, IConfiguration config) =>
        services.AddCors(o => o.AddPolicy(PublicPolicy, p => p
            .WithOrigins(Origins(config))
            .WithMethods("GET", "HEAD")
            .WithHeaders("If-None-Match", "Accept")
            .WithExposedHeaders("ETag")
            .SetPreflightMaxAge(TimeSpan.FromHours(1))));
}

/// <summary>
/// GET of a page that is not a file, outside the API and Swagger: the portal's 404.html with status 404, which also
/// sends old /article/{code}/{yyyyMM}/{id}.shtml addresses on to their articles.
/// </summary>
public sealed class PortalNotFound(RequestDelegate next, IWebHostEnvironment env)
{
    public async Task InvokeAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path;
        if (ctx.GetEndpoint() is null && (HttpMethods.IsGet(ctx.Request.Method) || HttpMethods.IsHead(ctx.Request.Method))
            && !path.StartsWithSegments("/api") && !path.StartsWithSegments("/swagger") && !path.StartsWithSegments("/healthz")
            && !path.StartsWithSegments("/feeds") && !path.StartsWithSegments("/sitemaps")
            && env.WebRootFileProvider.GetFileInfo("404.html") is { Exists: true } page)
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
