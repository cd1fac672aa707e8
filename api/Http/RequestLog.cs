using System.Diagnostics;

namespace Cms.Api.Http;

/// <summary>One log line per request: method, path and query, status, milliseconds. The framework's own per-request lines are filtered out.</summary>
public sealed class RequestLog(RequestDelegate next, ILogger<RequestLog> log)
{
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
            log.LogInformation("{Method} {Path}{Query} {Status} {Ms:0.0} ms", ctx.Request.Method, ctx.Request.Path.Value,
                ctx.Request.QueryString.Value, ctx.Response.StatusCode, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }
}
