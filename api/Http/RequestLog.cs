using System.Diagnostics;

namespace Cms.Api.Http;

/// <summary>
/// One log line per request: method, path and query, status, milliseconds. The framework's own per-request lines are
/// filtered out, and so are the publisher's successful reads (it polls the sync feed several times a second): those are
/// Debug lines.
/// </summary>
public sealed class RequestLog(RequestDelegate next, ILogger<RequestLog> log)
{
    /// <summary>The User-Agent publisher/publish.mjs sends.</summary>
    public const string Publisher = "cms-publisher/";

    public async Task InvokeAsync(HttpContext ctx)
    {
        if (!log.IsEnabled(LogLevel.Information))
        {
            await next(ctx);
            return;
        }
        var start = Stopwatch.GetTimestamp();
        try
        {
            await next(ctx);
        }
        finally
        {
            var quiet = ctx.Response.StatusCode < 400 && ctx.Request.Headers.UserAgent.ToString().StartsWith(Publisher, StringComparison.Ordinal);
            log.Log(quiet ? LogLevel.Debug : LogLevel.Information, "{Method} {Path}{Query} {Status} {Ms:0.0} ms", ctx.Request.Method, ctx.Request.Path.Value,
                ctx.Request.QueryString.Value, ctx.Response.StatusCode, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }
}
