using Microsoft.AspNetCore.Http.Features;

namespace Cms.Api.Http;

/// <summary>
/// HTTP basics that do not depend on the endpoint, applied before routing:
/// HEAD is answered as GET with the body left out (RFC 9110 §9.3.2), so it works wherever GET does, cached answers
/// included; and a request without a body is treated alike with or without a Content-Type header, since scripts
/// (curl -H 'Content-Type: application/json', PowerShell, generated clients) often send one on a bodiless POST or GET.
/// </summary>
public sealed class RequestShape(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext ctx)
    {
        var req = ctx.Request;
        if (!HttpMethods.IsHead(req.Method))
        {
            await next(ctx);
            return;
        }
        req.Method = HttpMethods.Get;
        var original = ctx.Response.Body;
        ctx.Response.Body = Stream.Null;
        // the length a GET would have sent stays in Content-Length; writers that stream are not asked to buffer
        ctx.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        try
        {
            await next(ctx);
        }
        finally
        {
            ctx.Response.Body = original;
            req.Method = HttpMethods.Head;
        }
    }

    /// <summary>
    /// After routing: a Content-Type on a request without a body is dropped where the endpoint takes no body (GET,
    /// DELETE, publish, offline…). An endpoint that needs a body still answers an empty one with a 400.
    /// </summary>
    public static Task DropBodilessContentType(HttpContext ctx, RequestDelegate next)
    {
        var req = ctx.Request;
        if (req.Headers.ContentType.Count > 0 && !HasBody(ctx)
            && (HttpMethods.IsGet(req.Method) || HttpMethods.IsDelete(req.Method)
                || ctx.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>() is not { ContentTypes.Count: > 0 }))
            req.Headers.ContentType = default;
        return next(ctx);
    }

    private static bool HasBody(HttpContext ctx)
    {
        var req = ctx.Request;
        if (req.ContentLength is { } length)
            return length > 0;
        if (req.Headers.TransferEncoding.Count > 0)
            return true;
        return ctx.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? false;
    }
}
