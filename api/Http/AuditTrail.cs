using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Cms.Api.Data;
using Dapper;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Http;

/// <summary>One row of the audit log.</summary>
public sealed class AuditRow
{
    public long Id { get; init; }
    public string At { get; init; } = "";
    public long? KeyId { get; init; }
    public string? KeyName { get; init; }
    public string? Role { get; init; }
    public string ClientIp { get; init; } = "";
    public string Action { get; init; } = "";
    public string? Entity { get; init; }
    public string? EntityId { get; init; }
    public long? VersionBefore { get; init; }
    public long? VersionAfter { get; init; }
    public int Status { get; init; }
    public string RequestId { get; init; } = "";
    public string PrevHash { get; init; } = "";
    public string Hash { get; init; } = "";

    /// <summary>SHA-256 (hex) over the previous row's hash and every field of this row but the hash itself.</summary>
    public static string HashOf(string prevHash, string at, long? keyId, string? keyName, string? role, string clientIp, string action,
        string? entity, string? entityId, long? versionBefore, long? versionAfter, int status, string requestId)
    {
        static string N(object? v) => v switch { null => "\u2400", long l => l.ToString(CultureInfo.InvariantCulture), int i => i.ToString(CultureInfo.InvariantCulture), _ => v.ToString()! };
        var text = string.Join('\u001f', prevHash, at, N(keyId), N(keyName), N(role), clientIp, action, N(entity), N(entityId), N(versionBefore), N(versionAfter), N(status), requestId);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public string ExpectedHash() => HashOf(PrevHash, At, KeyId, KeyName, Role, ClientIp, Action, Entity, EntityId, VersionBefore, VersionAfter, Status, RequestId);
}

/// <summary>
/// Appends every staff write (POST, PUT, PATCH, DELETE under /api/v1/admin that succeeded) and every failed
/// authentication (a key that was sent and refused) to the audit log: time, key id, name and role, client address,
/// action (method and route), entity and id, version before (If-Match) and after (ETag), status, request id. Rows are
/// chained by hash; the table's triggers refuse any update or delete.
/// </summary>
public sealed class AuditTrail(RequestDelegate next, Db db, ILogger<AuditTrail> log)
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public async Task InvokeAsync(HttpContext ctx)
    {
        await next(ctx);
        var path = ctx.Request.Path;
        if (!path.StartsWithSegments("/api/v1/admin"))
            return;
        var method = ctx.Request.Method;
        var status = ctx.Response.StatusCode;
        var write = status < 400 && (HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method));
        var keySent = ctx.Request.Headers.ContainsKey(ApiKeyAuth.HeaderName) || ctx.Request.Headers.Authorization.Count > 0;
        var authFailed = status == StatusCodes.Status401Unauthorized && keySent;
        if (!write && !authFailed)
            return;
        try
        {
            await AppendAsync(db, Entry(ctx, authFailed), CancellationToken.None);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            log.LogError(e, "Could not append to the audit log for {Method} {Path}", method, path.Value);
        }
    }

    private static AuditRow Entry(HttpContext ctx, bool authFailed)
    {
        var user = ctx.User;
        var authenticated = user.Identity?.IsAuthenticated == true;
        // the route as written, without its parameters' constraints ({revisionId:long} reads {revisionId})
        var route = (ctx.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } raw
            ? System.Text.RegularExpressions.Regex.Replace(raw, @"\{([A-Za-z]+):[^}]*\}", "{$1}")
            : ctx.Request.Path.Value ?? "";
        // /api/v1/admin/{entity}/{id}/...
        var segments = (ctx.Request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var entity = segments.Length > 3 ? segments[3] : null;
        var entityId = ctx.Request.RouteValues.TryGetValue("id", out var id) ? Convert.ToString(id, CultureInfo.InvariantCulture) : null;
        if (entityId is null && ctx.Response.Headers.Location.ToString() is { Length: > 0 } location)
            entityId = location.TrimEnd('/').Split('/')[^1];
        return new AuditRow
        {
            At = UtcTime.Now(),
            KeyId = authenticated && long.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var k) ? k : null,
            KeyName = authenticated ? user.FindFirstValue(ClaimTypes.Name) : null,
            Role = authenticated ? user.FindFirstValue(ClaimTypes.Role) : null,
            ClientIp = RateLimits.Client(ctx),
            Action = authFailed ? $"auth.failed {ctx.Request.Method} {ctx.Request.Path.Value}" : $"{ctx.Request.Method} {route}",
            Entity = entity,
            EntityId = entityId is { Length: > 0 and <= 100 } ? entityId : null,
            VersionBefore = Version(ctx.Request.Headers.IfMatch.ToString()),
            VersionAfter = Version(ctx.Response.Headers.ETag.ToString()),
            Status = ctx.Response.StatusCode,
            RequestId = ctx.TraceIdentifier,
        };
    }

    /// <summary>"v12" (or W/"v12") → 12.</summary>
    private static long? Version(string etag)
    {
        var t = etag.Trim();
        if (t.StartsWith("W/", StringComparison.Ordinal))
            t = t[2..];
        t = t.Trim('"');
        return t.StartsWith('v') && long.TryParse(t.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    /// <summary>Appends a row after the last one, in one write transaction (so the chain has no forks).</summary>
    public static async Task AppendAsync(Db db, AuditRow r, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginWriteAsync(ct);
        var prev = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1", transaction: tx, cancellationToken: ct)) ?? Genesis;
        var hash = AuditRow.HashOf(prev, r.At, r.KeyId, r.KeyName, r.Role, r.ClientIp, r.Action, r.Entity, r.EntityId, r.VersionBefore, r.VersionAfter, r.Status, r.RequestId);
        await conn.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO audit_log (at, key_id, key_name, role, client_ip, action, entity, entity_id, version_before, version_after, status, request_id, prev_hash, hash)
            VALUES (@At, @KeyId, @KeyName, @Role, @ClientIp, @Action, @Entity, @EntityId, @VersionBefore, @VersionAfter, @Status, @RequestId, @prev, @hash)
            """, new { r.At, r.KeyId, r.KeyName, r.Role, r.ClientIp, r.Action, r.Entity, r.EntityId, r.VersionBefore, r.VersionAfter, r.Status, r.RequestId, prev, hash },
            tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    public const string Columns = "id, at, key_id, key_name, role, client_ip, action, entity, entity_id, version_before, version_after, status, request_id, prev_hash, hash";

    /// <summary>Walks the chain from the first row: the number of rows, and the id of the first row whose hash or link does not hold (null: intact).</summary>
    public static async Task<(long Rows, long? FirstBroken)> VerifyAsync(Db db, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var prev = Genesis;
        long rows = 0;
        long after = 0;
        while (true)
        {
            var batch = (await conn.QueryAsync<AuditRow>(new CommandDefinition(
                $"SELECT {Columns} FROM audit_log WHERE id > @after ORDER BY id LIMIT 1000", new { after }, cancellationToken: ct))).ToList();
            if (batch.Count == 0)
                return (rows, null);
            foreach (var r in batch)
            {
                if (r.PrevHash != prev || r.Hash != r.ExpectedHash())
                    return (rows, r.Id);
                prev = r.Hash;
                rows++;
                after = r.Id;
            }
        }
    }
}
