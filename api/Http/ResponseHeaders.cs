using Microsoft.Extensions.Configuration;
using Microsoft.Net.Http.Headers;

namespace Cms.Api.Http;

/// <summary>Security headers on every response; the staff API and error answers are never stored by caches.</summary>
public sealed class ResponseHeaders(RequestDelegate next, IConfiguration config)
{
    public const string ApiCsp = "default-src 'none'; frame-ancestors 'none'";

    /// <summary>
    /// The portal's policy: scripts and styles from files only, HTML reaches the DOM only through DOMPurify's Trusted
    /// Types policy. connect-src adds the API origins the pages may call when config.js points elsewhere.
    /// </summary>
    public static string PortalCsp(string connectSrc) =>
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: http:; font-src 'self'; " +
        $"connect-src 'self'{connectSrc}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'; " +
        "require-trusted-types-for 'script'; trusted-types dompurify";

    /// <summary>Swagger UI's own page: its scripts and styles from files, calls to this origin only, never framed.</summary>
    public const string SwaggerCsp =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

    private readonly string _portalCsp = PortalCsp(string.Concat(Cors.Origins(config).Select(o => " " + o)));

    public Task InvokeAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path;
        var isData = PublicCache.IsPublicData(path) || path.StartsWithSegments("/api");
        var isAdmin = path.StartsWithSegments("/api/v1/admin");
        ctx.Response.OnStarting(() =>
        {
            var h = ctx.Response.Headers;
            h.XContentTypeOptions = "nosniff";
            h["Referrer-Policy"] = "strict-origin-when-cross-origin";
            if (isData)
                h.ContentSecurityPolicy = ApiCsp;
            else if (path.StartsWithSegments("/media"))
                h.ContentSecurityPolicy = Cms.Api.Features.Media.GetMediaFile.Csp;
            else if (path.StartsWithSegments("/swagger"))
            {
                h.ContentSecurityPolicy = SwaggerCsp;
                h.Remove("x-swagger-ui-version");
            }
            else
            {
                h.ContentSecurityPolicy = _portalCsp;
                h["Cross-Origin-Opener-Policy"] = "same-origin";
            }
            if (isAdmin || (isData && ctx.Response.StatusCode >= 400))
                h.CacheControl = "no-store";
            // CORS answers differ by Origin: a shared cache must key on it, whether or not this request sent one
            if (!isAdmin && !h.Vary.Any(v => v != null && v.Contains("Origin", StringComparison.OrdinalIgnoreCase)))
                h.Append(HeaderNames.Vary, "Origin");
            return Task.CompletedTask;
        });
        return next(ctx);
    }
}
