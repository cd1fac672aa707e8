using Microsoft.Data.Sqlite;

namespace Cms.Api.Http;

/// <summary>Turns exceptions into problem+json: the expected ones into their 4xx/503, the rest into a bare 500.</summary>
public sealed class ErrorHandling(RequestDelegate next, ILogger<ErrorHandling> log, CmsMetrics metrics)
{
    public async Task InvokeAsync(HttpContext ctx)
    {
        try
        {
            await next(ctx);
        }
        catch (Exception ex) when (!ctx.Response.HasStarted)
        {
            if (ex is OperationCanceledException && ctx.RequestAborted.IsCancellationRequested)
                return;
            if (ex is ContentRuleException rule)
            {
                ctx.Response.Clear();
                await Problems.WriteAsync(ctx, rule.Status, rule.Status == 409 ? "Conflict" : "Bad Request", rule.Message, rule.Field);
                return;
            }
            var (status, title, detail) = Classify(ex);
            if (status >= 500)
                log.LogError(ex, "Request {Method} {Path} failed", ctx.Request.Method, ctx.Request.Path);
            ctx.Response.Clear();
            if (status == 503)
            {
                ctx.Response.Headers.RetryAfter = "2";
                metrics.DatabaseBusy.Add(1);
            }
            await Problems.WriteAsync(ctx, status, title, detail);
        }
    }

    private static (int Status, string Title, string Detail) Classify(Exception ex) => ex switch
    {
        BodyTooLargeException t => (413, "Content Too Large", $"The request body is larger than {t.Max} bytes."),
        BadHttpRequestException { StatusCode: 413 } => (413, "Content Too Large", $"The request body is larger than {BodyLimit.MaxBytes} bytes."),
        BadHttpRequestException b => (b.StatusCode, "Bad Request", "The request could not be read."),
        SqliteException { SqliteErrorCode: 5 or 6 } => (503, "Service Unavailable", "The database is busy; retry shortly."),
        SqliteException { SqliteErrorCode: 19 } => (409, "Conflict", "The write conflicts with existing content."),
        SqliteException { SqliteErrorCode: 13 } => (507, "Insufficient Storage", "The database is full."),
        SqliteException { SqliteErrorCode: 8 or 10 or 11 or 14 or 26 } => (503, "Service Unavailable", "The database cannot be read or written right now."),
        // PostgreSQL: a lost serialization race or deadlock (retry), a constraint, a full disk, a server going away
        Npgsql.PostgresException { SqlState: "40001" or "40P01" or "55P03" or "57014" } => (503, "Service Unavailable", "The database is busy; retry shortly."),
        Npgsql.PostgresException p when p.SqlState.StartsWith("23", StringComparison.Ordinal) => (409, "Conflict", "The write conflicts with existing content."),
        Npgsql.PostgresException { SqlState: "53100" } => (507, "Insufficient Storage", "The database is full."),
        Npgsql.PostgresException p when p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState.StartsWith("57P", StringComparison.Ordinal) || p.SqlState.StartsWith("53", StringComparison.Ordinal)
            => (503, "Service Unavailable", "The database cannot be read or written right now."),
        Npgsql.NpgsqlException { InnerException: System.Net.Sockets.SocketException or IOException or TimeoutException }
            => (503, "Service Unavailable", "The database cannot be read or written right now."),
        System.Text.DecoderFallbackException => (400, "Bad Request", "The request body is not valid UTF-8."),
        _ => (500, "Internal Server Error", "An unexpected error occurred; it has been logged."),
    };
}

public sealed class BodyTooLargeException(long max) : IOException("Request body too large.")
{
    public long Max { get; } = max;
}

/// <summary>A rule on content found broken inside a write's transaction (which then rolls back): a 4xx naming the field.</summary>
public sealed class ContentRuleException(int status, string field, string detail) : Exception(detail)
{
    public int Status { get; } = status;
    public string Field { get; } = field;
}

/// <summary>
/// Caps request bodies (2 MB; a media upload: the largest file the media settings allow, plus the form's own bytes)
/// whether or not Content-Length is sent, in Kestrel and in the test host alike.
/// </summary>
public sealed class BodyLimit(RequestDelegate next, Cms.Api.Features.Media.MediaStore media)
{
    public const long MaxBytes = 2 * 1024 * 1024;
    public const string UploadPath = "/api/v1/admin/media";

    public Task InvokeAsync(HttpContext ctx)
    {
        var max = MaxBytes;
        if (HttpMethods.IsPost(ctx.Request.Method) && ctx.Request.Path.Equals(UploadPath, StringComparison.OrdinalIgnoreCase))
        {
            max = media.Options.LargestUpload + 64 * 1024;
            if (ctx.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                limit.MaxRequestBodySize = max;
        }
        if (ctx.Request.ContentLength > max)
            return Problems.WriteAsync(ctx, 413, "Content Too Large", $"The request body is larger than {max} bytes.");
        if (ctx.Request.ContentLength is null or > 0)
            ctx.Request.Body = new LimitedStream(ctx.Request.Body, max);
        return next(ctx);
    }

    private sealed class LimitedStream(Stream inner, long max) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
            Count(await inner.ReadAsync(buffer, ct));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

        private int Count(int n)
        {
            _read += n;
            return _read > max ? throw new BodyTooLargeException(max) : n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
