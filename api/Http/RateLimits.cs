using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;

namespace Cms.Api.Http;

/// <summary>
/// Limits per client address (the peer, or X-Forwarded-For when the peer is a configured trusted proxy) and per key,
/// with ASP.NET Core's rate limiter, answered with 429 problem+json and Retry-After:
/// failed authentications per address (a key guesser is stopped before the database is asked again), staff writes per
/// key, and the public work a cache does not absorb (search misses, sync) per address. Cached reads are never limited:
/// they are answered before the limiter. Cms:RateLimits:* sets the numbers (per minute); 0 turns one off.
/// </summary>
public static class RateLimits
{
    public sealed class Settings
    {
        public int AuthFailuresPerMinute { get; set; } = 30;
        public int WritesPerMinute { get; set; } = 300;
        public int SearchAndSyncPerMinute { get; set; } = 600;
    }

    public static IServiceCollection AddCmsRateLimits(this IServiceCollection services, IConfiguration config)
    {
        var settings = config.GetSection("Cms:RateLimits").Get<Settings>() ?? new Settings();
        services.AddSingleton(settings);
        services.AddSingleton<AuthFailures>();
        var proxies = (config["Cms:TrustedProxies"] ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            // with no proxy listed the headers are not read at all (empty lists would mean "trust any peer")
            o.ForwardedHeaders = proxies.Length == 0 ? ForwardedHeaders.None : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // only the configured proxies: by default ASP.NET trusts loopback, and a client there could forge its address
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005, CS0618   // the older name of the same list, still read
            o.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005, CS0618
            foreach (var proxy in proxies)
                o.KnownProxies.Add(IPAddress.Parse(proxy));
        });
        return services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(ctx => Partition(ctx, settings));
            o.OnRejected = (context, ct) => new ValueTask(RejectAsync(context.HttpContext, context.Lease, ct));
        });
    }

    private static RateLimitPartition<string> Partition(HttpContext ctx, Settings s)
    {
        var path = ctx.Request.Path;
        if (path.StartsWithSegments("/api/v1/admin") && !HttpMethods.IsGet(ctx.Request.Method) && s.WritesPerMinute > 0
            && ctx.User.Identity?.IsAuthenticated == true)
        {
            var key = "write:" + ctx.User.KeyId();
            return RateLimitPartition.GetFixedWindowLimiter(key, _ => Window(s.WritesPerMinute));
        }
        if ((path.StartsWithSegments("/api/v1/search") || path.StartsWithSegments("/api/v1/sync")) && s.SearchAndSyncPerMinute > 0)
            return RateLimitPartition.GetFixedWindowLimiter("public:" + Client(ctx), _ => Window(s.SearchAndSyncPerMinute));
        return RateLimitPartition.GetNoLimiter("none");
    }

    private static FixedWindowRateLimiterOptions Window(int perMinute) => new()
    {
        PermitLimit = perMinute,
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>The client's address as the forwarded-headers middleware settled it.</summary>
    public static string Client(HttpContext ctx) => ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    public static Task RejectAsync(HttpContext ctx, RateLimitLease? lease, CancellationToken ct)
    {
        var retry = lease is not null && lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
        ctx.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Problems.WriteAsync(ctx, 429, "Too Many Requests", $"Too many requests from this client; retry after {ctx.Response.Headers.RetryAfter} seconds.");
    }

    /// <summary>Failed authentications per address: once over the limit, requests carrying a key get 429 until the window ends.</summary>
    public sealed class AuthFailures(Settings settings) : IDisposable
    {
        private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(address =>
            settings.AuthFailuresPerMinute > 0
                ? RateLimitPartition.GetFixedWindowLimiter(address, _ => Window(settings.AuthFailuresPerMinute))
                : RateLimitPartition.GetNoLimiter(address));

        public void Record(string address) => _failures.AttemptAcquire(address).Dispose();

        public bool Blocked(string address, out RateLimitLease? lease)
        {
            lease = null;
            if (settings.AuthFailuresPerMinute <= 0 || _failures.GetStatistics(address)?.CurrentAvailablePermits is not 0)
                return false;
            lease = _failures.AttemptAcquire(address, 0);
            return !lease.IsAcquired;
        }

        public void Dispose() => _failures.Dispose();
    }

    /// <summary>Before authentication: an address that failed too often is refused before its key is looked up.</summary>
    public sealed class AuthFailureGate(RequestDelegate next, AuthFailures failures)
    {
        public async Task InvokeAsync(HttpContext ctx)
        {
            var hasKey = ctx.Request.Headers.ContainsKey(ApiKeyAuth.HeaderName) || ctx.Request.Headers.Authorization.Count > 0;
            if (hasKey && ctx.Request.Path.StartsWithSegments("/api/v1/admin") && failures.Blocked(Client(ctx), out var lease))
            {
                using (lease)
                    await RejectAsync(ctx, lease, ctx.RequestAborted);
                return;
            }
            await next(ctx);
        }
    }
}
