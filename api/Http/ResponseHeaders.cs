using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Cms.Api.Http;

/// <summary>
/// Security headers on every response; for the public API a strong ETag from the body's SHA-256, If-None-Match → 304
/// and a public Cache-Control; for the staff API no-store.
/// </summary>
public sealed class ResponseHeaders(RequestDelegate next, IConfiguration config)
{
    private readonly string _portalCsp = PortalCsp(string.Concat(Cors.Origins(config).Select(o => " " + o)));

    public const string ApiCsp = "default-src 'none'; frame-ancestors 'none'";

    /// <summary>
    /// The portal's policy: scripts and styles from files only, HTML reaches the DOM only through DOMPurify's Trusted
    /// Types policy. connect-src adds the API origins the pages may call when config.js points elsewhere.
    /// </summary>
    public static string PortalCsp(string connectSrc) =>
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: http:; font-src 'self'; " +
        $"connect-src 'self'{connectSrc}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'; " +
        "require-trusted-types-for 'script'; trusted-types dompurify";
    // Shared and browser caches may keep public answers but must revalidate each time (a cheap 304 by ETag), so a
    // publish or take-offline shows on the very next request.
    public const string PublicCacheControl = "public, no-cache";

    public async Task InvokeAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path;
        var isApi = path.StartsWithSegments("/api") || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/feeds")
            || path.StartsWithSegments("/sitemap.xml") || path.StartsWithSegments("/sitemaps") || path.StartsWithSegments("/robots.txt");
        var isAdmin = path.StartsWithSegments("/api/v1/admin");
        ctx.Response.OnStarting(() =>
        {
            var h = ctx.Response.Headers;
            h.XContentTypeOptions = "nosniff";
            h["Referrer-Policy"] = "strict-origin-when-cross-origin";
            if (isApi)
                h.ContentSecurityPolicy = ApiCsp;
            else if (!path.StartsWithSegments("/swagger"))
            {
                h.ContentSecurityPolicy = _portalCsp;
                h["Cross-Origin-Opener-Policy"] = "same-origin";
            }
            if (isAdmin || (isApi && ctx.Response.StatusCode >= 400))
                h.CacheControl = "no-store";
            return Task.CompletedTask;
        });

        if (!isApi || isAdmin || !(HttpMethods.IsGet(ctx.Request.Method) || HttpMethods.IsHead(ctx.Request.Method)))
        {
            await next(ctx);
            return;
        }

        var original = ctx.Response.Body;
        using var buffer = new MemoryStream();
        ctx.Response.Body = buffer;
        try
        {
            await next(ctx);
        }
        finally
        {
            ctx.Response.Body = original;
        }

        if (ctx.Response.StatusCode == StatusCodes.Status200OK)
        {
            var etag = "\"" + Convert.ToBase64String(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))[..27]
                .Replace('+', '-').Replace('/', '_') + "\"";
            ctx.Response.Headers.ETag = etag;
            if (string.IsNullOrEmpty(ctx.Response.Headers.CacheControl))
                ctx.Response.Headers.CacheControl = PublicCacheControl;
            if (NoneMatch(ctx.Request.Headers.IfNoneMatch.ToString(), etag) || NotModifiedSince(ctx))
            {
                ctx.Response.StatusCode = StatusCodes.Status304NotModified;
                ctx.Response.ContentLength = null;
                ctx.Response.Headers.Remove(HeaderNames.ContentType);
                return;
            }
        }
        ctx.Response.ContentLength = buffer.Length;
        if (!HttpMethods.IsHead(ctx.Request.Method) && buffer.Length > 0)
        {
            buffer.Position = 0;
            await buffer.CopyToAsync(original, ctx.RequestAborted);
        }
    }

    /// <summary>If-Modified-Since counts only without If-None-Match (RFC 9110 §13.1.3) and against a Last-Modified the endpoint set.</summary>
    private static bool NotModifiedSince(HttpContext ctx)
    {
        var req = ctx.Request.GetTypedHeaders();
        var last = ctx.Response.GetTypedHeaders().LastModified;
        return ctx.Request.Headers.IfNoneMatch.Count == 0 && req.IfModifiedSince is { } since && last is { } modified
            && modified.ToUnixTimeSeconds() <= since.ToUnixTimeSeconds();
    }

    private static bool NoneMatch(string header, string etag)
    {
        if (header.Length == 0)
            return false;
        if (header.Trim() == "*")
            return true;
        // If-None-Match uses weak comparison (RFC 9110 §13.1.2)
        return header.Split(',', StringSplitOptions.TrimEntries).Any(t => (t.StartsWith("W/", StringComparison.Ordinal) ? t[2..] : t) == etag);
    }
}
