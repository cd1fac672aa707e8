using Cms.Api.Data;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Health;

public sealed class HealthResponse
{
    public string Status { get; init; } = "ok";
}

public sealed class GetHealth(Db db) : EndpointWithoutRequest<Ok<HealthResponse>>
{
    public override void Configure()
    {
        Get("/healthz");
        AllowAnonymous();
        Description(b => b.WithTags("Health").ProducesProblem(503));
        Summary(s => s.Summary = "健康检查 / Health: 200 when the database answers");
    }

    public override async Task<Ok<HealthResponse>> ExecuteAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM schema_migrations", cancellationToken: ct));
        HttpContext.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new HealthResponse());
    }
}
