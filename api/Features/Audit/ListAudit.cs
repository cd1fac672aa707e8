using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Audit;

public sealed class ListAuditRequest : IPaged
{
    /// <summary>Only this key's rows.</summary>
    public long? KeyId { get; set; }
    /// <summary>Only rows about this kind of entity: the path segment after /api/v1/admin/ (articles, categories, settings, keys …).</summary>
    public string? Entity { get; set; }
    /// <summary>Only rows about this id (with entity).</summary>
    public string? EntityId { get; set; }
    /// <summary>Only failed authentications (true) or only writes (false).</summary>
    public bool? AuthFailed { get; set; }
    /// <summary>From this time on (inclusive).</summary>
    public DateTimeOffset? From { get; set; }
    /// <summary>Before this time.</summary>
    public DateTimeOffset? To { get; set; }
    public int Page { get; set; } = 1;
    public int PageSize { get; set; } = 20;
}

public sealed class ListAuditValidator : Validator<ListAuditRequest>
{
    public ListAuditValidator()
    {
        this.AddPagingRules();
        RuleFor(x => x.Entity).MaximumLength(40);
        RuleFor(x => x.EntityId).MaximumLength(100);
        RuleFor(x => x.To).GreaterThan(x => x.From).When(x => x.From is not null && x.To is not null);
    }
}

/// <summary>One staff write or failed authentication.</summary>
public sealed class AuditEntry
{
    public long Id { get; init; }
    public DateTimeOffset At { get; init; }
    /// <summary>The key that made the request; null for a failed authentication.</summary>
    public long? KeyId { get; init; }
    public string? KeyName { get; init; }
    public string? Role { get; init; }
    public string ClientIp { get; init; } = "";
    /// <summary>Method and route, e.g. "POST /api/v1/admin/articles/{id}/publish"; "auth.failed METHOD PATH" for a refused key.</summary>
    public string Action { get; init; } = "";
    public string? Entity { get; init; }
    public string? EntityId { get; init; }
    /// <summary>The version the request named in If-Match.</summary>
    public long? VersionBefore { get; init; }
    /// <summary>The version the answer's ETag named.</summary>
    public long? VersionAfter { get; init; }
    public int Status { get; init; }
    public string RequestId { get; init; } = "";
    /// <summary>SHA-256 over this row and the previous row's hash: `dotnet run --project api -- audit verify` checks the chain.</summary>
    public string Hash { get; init; } = "";

    public static AuditEntry From(AuditRow r) => new()
    {
        Id = r.Id, At = UtcTime.FromDb(r.At), KeyId = r.KeyId, KeyName = r.KeyName, Role = r.Role, ClientIp = r.ClientIp, Action = r.Action,
        Entity = r.Entity, EntityId = r.EntityId, VersionBefore = r.VersionBefore, VersionAfter = r.VersionAfter, Status = r.Status,
        RequestId = r.RequestId, Hash = r.Hash,
    };
}

public sealed class ListAudit(Db db) : Endpoint<ListAuditRequest, Ok<Paged<AuditEntry>>>
{
    public override void Configure()
    {
        Get("/api/v1/admin/audit");
        Roles(Role.AdminOnly);
        Description(b => b.WithTags("Admin: Audit").ProducesProblems(400, 401, 403));
        Summary(s =>
        {
            s.Summary = "操作日志 / Audit log: every staff write and failed authentication, newest first";
            s.Description = "只追加、不可修改:每行带有对本行和上一行哈希的 SHA-256,`audit verify` 命令校验整条链。" +
                " Append-only: each row carries a SHA-256 over itself and the previous row's hash; the `audit verify` command checks the chain.";
        });
    }

    public override async Task<Ok<Paged<AuditEntry>>> ExecuteAsync(ListAuditRequest req, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        const string where = """
            WHERE (@keyId IS NULL OR key_id = @keyId) AND (@entity IS NULL OR entity = @entity) AND (@entityId IS NULL OR entity_id = @entityId)
              AND (CAST(@authFailed AS bigint) IS NULL OR (CASE WHEN action LIKE 'auth.failed %' THEN 1 ELSE 0 END) = @authFailed)
              AND (@from IS NULL OR at >= @from) AND (@to IS NULL OR at < @to)
            """;
        var args = new
        {
            keyId = req.KeyId, entity = req.Entity, entityId = req.EntityId, authFailed = req.AuthFailed,
            from = req.From is { } f ? UtcTime.ToDb(f) : null, to = req.To is { } t ? UtcTime.ToDb(t) : null,
            size = req.PageSize, offset = req.Offset(),
        };
        var total = await conn.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM audit_log {where}", args, cancellationToken: ct));
        var rows = await conn.QueryAsync<AuditRow>(new CommandDefinition(
            $"SELECT {AuditTrail.Columns} FROM audit_log {where} ORDER BY id DESC LIMIT @size OFFSET @offset", args, cancellationToken: ct));
        return TypedResults.Ok(Paged<AuditEntry>.Of(rows.Select(AuditEntry.From).ToList(), req.Page, req.PageSize, total));
    }
}
