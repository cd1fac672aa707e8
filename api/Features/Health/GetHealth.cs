using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Health;

public sealed class HealthResponse
{
    public string Status { get; init; } = "ok";
    /// <summary>Each check and its result (readiness only).</summary>
    public Dictionary<string, string> Checks { get; init; } = [];
}

/// <summary>Readiness: the database answers, every migration is applied, the disk has room. /healthz is the same.</summary>
public sealed class GetHealth(Db db, IConfiguration config) : EndpointWithoutRequest<Results<Ok<HealthResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/healthz", "/healthz/ready");
        AllowAnonymous();
        Description(b => b.WithTags("Health"));
        Summary(s =>
        {
            s.Summary = "就绪检查 / Readiness: 200 when the database answers, migrations are applied and the disk has room";
            s.Description = "负载均衡器据此决定是否转发请求;不可用时返回 503 并说明原因。A load balancer sends traffic only while this is 200; " +
                "503 names what failed (Cms:MinFreeDiskMb, default 100, sets the disk threshold).";
        });
    }

    public override async Task<Results<Ok<HealthResponse>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        HttpContext.Response.Headers.CacheControl = "no-store";
        var checks = new Dictionary<string, string>();
        try
        {
            await using var conn = await db.OpenAsync(ct);
            var applied = (await conn.QueryAsync<string>(new CommandDefinition("SELECT name FROM schema_migrations", cancellationToken: ct))).ToHashSet();
            checks["database"] = "ok";
            var missing = Migrator.Embedded().Where(m => !applied.Contains(m)).ToList();
            checks["migrations"] = missing.Count == 0 ? "ok" : "missing " + string.Join(", ", missing);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            checks["database"] = $"unavailable (SQLite error {e.SqliteErrorCode})";
        }
        catch (Npgsql.NpgsqlException e)
        {
            checks["database"] = $"unavailable (PostgreSQL: {(e as Npgsql.PostgresException)?.SqlState ?? e.InnerException?.GetType().Name ?? "no answer"})";
        }
        var minFreeMb = config.GetValue("Cms:MinFreeDiskMb", 100L);
        // the folder this instance writes to: the database's (SQLite) or the media library's (PostgreSQL keeps its own disk)
        var folder = db.IsPostgres ? Cms.Api.Features.Media.MediaOptions.From(config, db.FilePath).Root : Path.GetDirectoryName(Path.GetFullPath(db.FilePath))!;
        while (!Directory.Exists(folder) && Path.GetDirectoryName(folder) is { } up)
            folder = up;
        var freeMb = new DriveInfo(folder).AvailableFreeSpace / (1024 * 1024);
        checks["disk"] = freeMb >= minFreeMb ? "ok" : $"{freeMb} MB free, below {minFreeMb} MB";
        var failed = checks.Where(c => c.Value != "ok").Select(c => $"{c.Key}: {c.Value}").ToList();
        if (failed.Count > 0)
        {
            HttpContext.Response.Headers.RetryAfter = "5";
            return Problems.Make(503, "Service Unavailable", "Not ready: " + string.Join("; ", failed) + ".");
        }
        return TypedResults.Ok(new HealthResponse { Checks = checks });
    }
}
