using System.Collections.Concurrent;
using System.Security.Cryptography;
using Cms.Api.Data;
using Dapper;
using Microsoft.Net.Http.Headers;

namespace Cms.Api.Http;

/// <summary>
/// Public GET answers (API reads, feeds, sitemap, search) kept in memory, keyed by path and query, each with a strong
/// ETag from its bytes and the tags of what it shows (cache tags: the articles in it, the column order it follows, the
/// kind of content). Only changes evict, and only the answers they touch: every change in the change log (this
/// process's writes at once, other processes' within a second) and every scheduled time that arrives becomes an event
/// applied to the entries. An answer computed while an event that touches it was applied is not stored, so nothing
/// stale survives a write.
/// </summary>
public sealed class PublicCache
{
    public const long MaxBytes = 64L * 1024 * 1024;
    private const int RecentEvents = 1024;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Queue<Event> _recent = new();
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _catchUp = new(1, 1);
    private long _events;
    private long _processedSeq = -1;
    private long _bytes;

    /// <summary>What a search answer matched: its words, the ids it shows, whether those are all it found.</summary>
    public sealed record SearchInfo(string[] Terms, HashSet<long> Ids, bool Complete);

    public sealed record Entry(byte[] Body, string ContentType, string ETag, string? LastModified, string CacheControl)
    {
        private byte[]? _br;
        private byte[]? _gzip;

        public string[] Tags { get; init; } = [CacheTags.Any];
        public SearchInfo? Search { get; init; }

        /// <summary>The body in <paramref name="encoding"/>, compressed on first use and kept with the entry.</summary>
        public byte[] Encoded(string encoding) => encoding switch
        {
            "br" => _br ??= Compression.Brotli(Body),
            "gzip" => _gzip ??= Compression.Gzip(Body),
            _ => Body,
        };
    }

    /// <summary>A change to content: its entity, id and tags; for a public article, its searchable text as it is now.</summary>
    public sealed record Event(long Number, string Entity, long Id, string[] Tags, string? Text);

    /// <summary>Events applied so far; a reader notes it before computing an answer and passes it to Store.</summary>
    public long EventNumber => Interlocked.Read(ref _events);

    public int Count => _entries.Count;

    public bool TryGet(string key, out Entry entry) => _entries.TryGetValue(key, out entry!);

    public void Store(string key, Entry entry, long startedAt)
    {
        lock (_gate)
        {
            // an event since the answer was computed may have made it stale; too old to know: leave it out
            if (_recent.Count > 0 && _recent.Peek().Number > startedAt + 1)
                return;
            if (_recent.Any(e => e.Number > startedAt && Affects(entry, e)))
                return;
            if (_bytes + entry.Body.Length > MaxBytes)
                ClearLocked();   // bounded memory: start over rather than track recency
            if (_entries.TryGetValue(key, out var old))
                _bytes -= old.Body.Length;
            _entries[key] = entry;
            _bytes += entry.Body.Length;
        }
    }

    /// <summary>Drops everything (a change the log cannot describe, or a failure to read it).</summary>
    public void Invalidate() => Apply("all", 0, [CacheTags.All], null);

    public void Apply(string entity, long id, string[] tags, string? text)
    {
        lock (_gate)
        {
            var e = new Event(Interlocked.Increment(ref _events), entity, id, tags, text);
            _recent.Enqueue(e);
            while (_recent.Count > RecentEvents)
                _recent.Dequeue();
            if (tags.Contains(CacheTags.All))
            {
                ClearLocked();
                return;
            }
            foreach (var (key, entry) in _entries)
            {
                if (Affects(entry, e) && _entries.TryRemove(key, out var removed))
                    _bytes -= removed.Body.Length;
            }
        }
    }

    private void ClearLocked()
    {
        _entries.Clear();
        _bytes = 0;
    }

    /// <summary>Whether an event can change an answer: a shared tag, or a search whose result the article may enter or leave.</summary>
    public static bool Affects(Entry entry, Event e)
    {
        if (e.Tags.Contains(CacheTags.All) || entry.Tags.Contains(CacheTags.Any) || entry.Tags.Any(e.Tags.Contains))
            return true;
        if (entry.Search is not { } s || e.Entity != Changes.Article || !e.Tags.Contains(CacheTags.Public))
            return false;
        // it leaves the results only if it was in them (shown here, or perhaps on another page when it was public);
        // it enters them only if its text now holds every word
        return s.Ids.Contains(e.Id) || (!s.Complete && e.Tags.Contains(Features.Articles.ArticleCacheTags.WasPublic))
            || (e.Text is not null && s.Terms.All(t => e.Text.Contains(t, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>
    /// Applies every change logged since the last one applied, in order. Runs after each successful staff write in this
    /// process and every second in the background (ChangeWatcher), one at a time.
    /// </summary>
    public async Task CatchUpAsync(Db db, CancellationToken ct)
    {
        await _catchUp.WaitAsync(ct);
        try
        {
            await using var conn = await db.OpenAsync(ct);
            if (_processedSeq < 0)
            {
                // nothing is cached before the first catch-up: start from the log's end
                _processedSeq = await conn.ExecuteScalarAsync<long>(new CommandDefinition("SELECT coalesce(max(seq), 0) FROM changes", cancellationToken: ct));
                return;
            }
            while (true)
            {
                var rows = (await conn.QueryAsync<ChangeRow>(new CommandDefinition(
                    "SELECT seq, entity, entity_id AS id, tags FROM changes WHERE seq > @after ORDER BY seq LIMIT 500",
                    new { after = _processedSeq }, cancellationToken: ct))).ToList();
                foreach (var row in rows)
                {
                    var tags = CacheTags.OfChange(row.Entity, row.Tags);
                    var text = row.Entity == Changes.Article && tags.Contains(CacheTags.Public) ? await SearchTextAsync(conn, row.Id, ct) : null;
                    Apply(row.Entity, row.Id, tags, text);
                    _processedSeq = row.Seq;
                }
                if (rows.Count < 500)
                    return;
            }
        }
        finally
        {
            _catchUp.Release();
        }
    }

    /// <summary>The text search looks in, when the article is public now; null otherwise.</summary>
    public static Task<string?> SearchTextAsync(System.Data.IDbConnection conn, long id, CancellationToken ct) =>
        conn.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            $"""
            SELECT a.title || ' ' || coalesce(a.subtitle, '') || ' ' || coalesce(a.summary, '') || ' ' || d.body_text || ' ' || coalesce(a.source, '')
            FROM articles a JOIN search_docs d ON d.article_id = a.id WHERE a.id = @id AND {Features.Articles.ArticleSql.Visible}
            """, new { id, now = UtcTime.Now() }, cancellationToken: ct));

    private sealed class ChangeRow
    {
        public long Seq { get; init; }
        public string Entity { get; init; } = "";
        public long Id { get; init; }
        public string? Tags { get; init; }
    }

    public static bool IsPublicData(PathString path) =>
        (path.StartsWithSegments("/api/v1") && !path.StartsWithSegments("/api/v1/admin"))
        || path.StartsWithSegments("/feeds") || path.StartsWithSegments("/sitemap.xml") || path.StartsWithSegments("/sitemaps")
        || path.StartsWithSegments("/robots.txt") || path.StartsWithSegments("/healthz");
}

public sealed class PublicCacheMiddleware(RequestDelegate next, PublicCache cache, Db db, CmsMetrics metrics, IConfiguration config)
{
    public const string CacheControl = "public, no-cache";

    /// <summary>Cms:PublicCache=false turns the memory cache off (ETags and 304 stay): for measuring the database path.</summary>
    private readonly bool _enabled = config.GetValue("Cms:PublicCache", true);

    public async Task InvokeAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path;
        if (!HttpMethods.IsGet(ctx.Request.Method))
        {
            // only a write that was authorised and succeeded has anything to evict, and only what its changes touch;
            // it is applied before the answer starts, so the writer's next read is fresh
            if (path.StartsWithSegments("/api/v1/admin"))
            {
                ctx.Response.OnStarting(async () =>
                {
                    if (ctx.User.Identity?.IsAuthenticated == true && ctx.Response.StatusCode is >= 200 and < 300)
                        await cache.CatchUpAsync(db, CancellationToken.None);
                });
            }
            await next(ctx);
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
            await SendHitAsync(ctx, hit);
            return;
        }

        // one computation per address at a time: requests that miss while it runs wait for its answer instead of
        // repeating an expensive query side by side (a broad search just evicted, under load)
        TaskCompletionSource? mine = null;
        if (_enabled && !path.StartsWithSegments("/healthz") && !path.StartsWithSegments("/api/v1/sync") && !path.StartsWithSegments("/api/v1/preview"))   // those are never stored
        {
            var running = _inflight.GetOrAdd(key, _ => mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            if (mine is null)
            {
                await Task.WhenAny(running.Task, Task.Delay(TimeSpan.FromSeconds(5), ctx.RequestAborted));
                if (cache.TryGet(key, out var shared))
                {
                    await SendHitAsync(ctx, shared);
                    return;
                }
            }
        }
        try
        {
            // the first lookup may have missed just before another computation stored this answer and left
            if (mine is not null && cache.TryGet(key, out var stored))
            {
                await SendHitAsync(ctx, stored);
                return;
            }
            await ComputeAsync(ctx, key, path);
        }
        finally
        {
            if (mine is not null)
            {
                _inflight.TryRemove(new KeyValuePair<string, TaskCompletionSource>(key, mine));
                mine.TrySetResult();
            }
        }
    }

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _inflight = new(StringComparer.Ordinal);

    private Task SendHitAsync(HttpContext ctx, PublicCache.Entry e)
    {
        ctx.Response.Headers["X-Cache"] = "hit";
        metrics.CacheHits.Add(1);
        return SendAsync(ctx, e);
    }

    private async Task ComputeAsync(HttpContext ctx, string key, PathString path)
    {
        var startedAt = cache.EventNumber;
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
            string.IsNullOrEmpty(headers.CacheControl) ? CacheControl : headers.CacheControl.ToString())
        {
            Tags = CacheTags.OfAnswer(ctx.Request, body),
            Search = CacheTags.SearchOf(ctx.Request, body),
        };
        if (_enabled && !entry.CacheControl.Contains("no-store", StringComparison.Ordinal) && !path.StartsWithSegments("/healthz"))
            cache.Store(key, entry, startedAt);
        ctx.Response.Headers["X-Cache"] = "miss";
        metrics.CacheMisses.Add(1);
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

/// <summary>
/// Twice a second: applies the changes other processes logged (another instance on PostgreSQL, the CLI on SQLite), and
/// what became public or stopped being public by the clock alone (a scheduled publish time, a focus item's window, a
/// leadership message's time). A write on any instance thus reaches every instance's cache within a second.
/// </summary>
public sealed class ChangeWatcher(Db db, PublicCache cache, ILogger<ChangeWatcher> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var lastCheck = UtcTime.Now();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        while (await timer.WaitForNextTickAsync(stop))
        {
            try
            {
                await cache.CatchUpAsync(db, stop);
                var now = UtcTime.Now();
                await using var conn = await db.OpenAsync(stop);
                // only times that were still ahead when the row was last written: a write's own effects came with its change
                var due = (await conn.QueryAsync<(string Entity, long Id)>(new CommandDefinition(
                    """
                    SELECT 'article', id FROM articles
                    WHERE status = 'published' AND publish_at > @last AND publish_at <= @now AND publish_at > updated_at
                    UNION ALL SELECT 'leadershipMessage', id FROM leadership_messages
                    WHERE publish_at > @last AND publish_at <= @now AND publish_at > updated_at
                    UNION ALL SELECT 'focusItem', id FROM focus_items
                    WHERE (start_at > @last AND start_at <= @now AND start_at > updated_at) OR (end_at > @last AND end_at <= @now AND end_at > updated_at)
                    """, new { last = lastCheck, now }, cancellationToken: stop))).ToList();
                foreach (var (entity, id) in due)
                {
                    if (entity != Changes.Article)
                    {
                        cache.Apply(entity, id, CacheTags.OfChange(entity, null), null);
                        continue;
                    }
                    // published by the clock: it enters its columns' lists as a publish would
                    var tags = Features.Articles.ArticleCacheTags.Of(id, new Features.Articles.ArticleSnapshot { Visible = false },
                        await Features.Articles.ArticleCacheTags.SnapshotAsync(conn, null, id, stop));
                    cache.Apply(entity, id, CacheTags.OfChange(entity, tags), await PublicCache.SearchTextAsync(conn, id, stop));
                }
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
