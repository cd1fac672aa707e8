using System.Collections.Concurrent;
using System.Security.Cryptography;
using Cms.Api.Data;
using Dapper;
using Microsoft.Net.Http.Headers;

namespace Cms.Api.Http;

/// <summary>
/// Public GET answers (API reads, feeds, sitemap, search) kept in memory, keyed by path and query, each with a strong
/// ETag from its bytes. The whole cache is dropped after every staff write in this process, and within a second of any
/// other change: a new row in the change log (another process) or a scheduled publish time arriving. An answer computed
/// while the cache was being dropped is not stored, so nothing stale survives a write.
/// </summary>
public sealed class PublicCache
{
    public const long MaxBytes = 64L * 1024 * 1024;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _generation;
    private long _bytes;

    public sealed record Entry(byte[] Body, string ContentType, string ETag, string? LastModified, string CacheControl)
    {
        private byte[]? _br;
        private byte[]? _gzip;

        /// <summary>The body in <paramref name="encoding"/>, compressed on first use and kept with the entry.</summary>
        public byte[] Encoded(string encoding) => encoding switch
        {
            "br" => _br ??= Compression.Brotli(Body),
            "gzip" => _gzip ??= Compression.Gzip(Body),
            _ => Body,
        };
    }

    public long Generation => Interlocked.Read(ref _generation);

    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
        Interlocked.Exchange(ref _bytes, 0);
    }

    public bool TryGet(string key, out Entry entry) => _entries.TryGetValue(key, out entry!);

    public void Store(string key, Entry entry, long generation)
    {
        if (Interlocked.Add(ref _bytes, entry.Body.Length) > MaxBytes)
        {
            // bounded memory: start over rather than track recency
            Invalidate();
            return;
        }
        _entries[key] = entry;
        if (Generation != generation)
            _entries.TryRemove(key, out _);
    }

    public static bool IsPublicData(PathString path) =>
        (path.StartsWithSegments("/api/v1") && !path.StartsWithSegments("/api/v1/admin"))
        || path.StartsWithSegments("/feeds") || path.StartsWithSegments("/sitemap.xml") || path.StartsWithSegments("/sitemaps")
        || path.StartsWithSegments("/robots.txt") || path.StartsWithSegments("/healthz");
}

public sealed class PublicCacheMiddleware(RequestDelegate next, PublicCache cache, IConfiguration config)
{
    public const string CacheControl = "public, no-cache";

    /// <summary>Cms:PublicCache=false turns the memory cache off (ETags and 304 stay): for measuring the database path.</summary>
    private readonly bool _enabled = config.GetValue("Cms:PublicCache", true);

    public async Task InvokeAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path;
        if (!HttpMethods.IsGet(ctx.Request.Method))
        {
            try
            {
                await next(ctx);
            }
            finally
            {
                // after the write committed (or failed): the next read computes afresh
                if (path.StartsWithSegments("/api/v1/admin"))
                    cache.Invalidate();
            }
            return;
        }
        if (!PublicCache.IsPublicData(path))
        {
            await next(ctx);
            return;
        }

        var key = path.Value + ctx.Request.QueryString.Value;
        if (_enabled && cache.TryGet(key, out var hit))
        {
            ctx.Response.Headers["X-Cache"] = "hit";
            await SendAsync(ctx, hit);
            return;
        }

        var generation = cache.Generation;
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

        if (ctx.Response.StatusCode != StatusCodes.Status200OK)
        {
            // an empty error stays empty, so the status-code page can still turn it into problem+json
            if (buffer.Length > 0)
            {
                ctx.Response.ContentLength = buffer.Length;
                buffer.Position = 0;
                await buffer.CopyToAsync(original, ctx.RequestAborted);
            }
            return;
        }
        var headers = ctx.Response.Headers;
        var body = buffer.ToArray();
        var entry = new PublicCache.Entry(
            body,
            ctx.Response.ContentType ?? "application/octet-stream",
            "\"" + Convert.ToBase64String(SHA256.HashData(body))[..27].Replace('+', '-').Replace('/', '_') + "\"",
            headers.LastModified.Count > 0 ? headers.LastModified.ToString() : null,
            string.IsNullOrEmpty(headers.CacheControl) ? CacheControl : headers.CacheControl.ToString());
        if (_enabled && !entry.CacheControl.Contains("no-store", StringComparison.Ordinal) && !path.StartsWithSegments("/healthz"))
            cache.Store(key, entry, generation);
        ctx.Response.Headers["X-Cache"] = "miss";
        await SendAsync(ctx, entry);
    }

    private static async Task SendAsync(HttpContext ctx, PublicCache.Entry e)
    {
        var h = ctx.Response.Headers;
        var encoding = Compression.Choose(ctx.Request, e.ContentType, e.Body.Length);
        // decided here, once per entry: the general response compression further out leaves this answer alone
        ctx.Items[Compression.AlreadyDecided] = true;
        h.Append(HeaderNames.Vary, "Accept-Encoding");
        // each encoding is its own representation with its own strong tag (RFC 9110 §8.8.3)
        h.ETag = encoding is null ? e.ETag : e.ETag[..^1] + "-" + encoding + "\"";
        h.CacheControl = e.CacheControl;
        if (e.LastModified is not null)
            h.LastModified = e.LastModified;
        if (NotModified(ctx.Request, e))
        {
            ctx.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        ctx.Response.StatusCode = StatusCodes.Status200OK;
        ctx.Response.ContentType = e.ContentType;
        var body = e.Body;
        if (encoding is not null)
        {
            body = e.Encoded(encoding);
            h.ContentEncoding = encoding;
        }
        ctx.Response.ContentLength = body.Length;
        await ctx.Response.Body.WriteAsync(body, ctx.RequestAborted);
    }

    /// <summary>If-None-Match with weak comparison (RFC 9110 §13.1.2); If-Modified-Since only without it (§13.1.3).</summary>
    private static bool NotModified(HttpRequest req, PublicCache.Entry e)
    {
        var inm = req.Headers.IfNoneMatch.ToString();
        if (inm.Length > 0)
        {
            return inm.Trim() == "*" || inm.Split(',', StringSplitOptions.TrimEntries)
                .Any(t => Compression.BaseTag(t.StartsWith("W/", StringComparison.Ordinal) ? t[2..] : t) == e.ETag);
        }
        return e.LastModified is not null && req.GetTypedHeaders().IfModifiedSince is { } since
            && HeaderUtilities.TryParseDate(e.LastModified, out var modified) && modified.ToUnixTimeSeconds() <= since.ToUnixTimeSeconds();
    }
}

/// <summary>Drops the cache when another process wrote (the change log moved) or a scheduled time arrived.</summary>
public sealed class ChangeWatcher(Db db, PublicCache cache, ILogger<ChangeWatcher> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        long? lastSeq = null;
        var lastCheck = UtcTime.Now();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stop))
        {
            try
            {
                var now = UtcTime.Now();
                await using var conn = await db.OpenAsync(stop);
                var (seq, due) = await conn.QuerySingleAsync<(long, bool)>(new CommandDefinition(
                    """
                    SELECT (SELECT coalesce(max(seq), 0) FROM changes),
                           EXISTS (SELECT 1 FROM articles WHERE status = 'published' AND publish_at > @last AND publish_at <= @now)
                        OR EXISTS (SELECT 1 FROM leadership_messages WHERE publish_at > @last AND publish_at <= @now)
                        OR EXISTS (SELECT 1 FROM focus_items WHERE (start_at > @last AND start_at <= @now) OR (end_at > @last AND end_at <= @now))
                    """, new { last = lastCheck, now }, cancellationToken: stop));
                if ((lastSeq is not null && seq != lastSeq) || due)
                    cache.Invalidate();
                lastSeq = seq;
                lastCheck = now;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Change watcher could not read the database; clearing the cache");
                cache.Invalidate();
            }
        }
    }
}
