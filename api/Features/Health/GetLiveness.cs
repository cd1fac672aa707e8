using Cms.Api.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Health;

public sealed class GetLiveness : EndpointWithoutRequest<Ok<HealthResponse>>
{
    public override void Configure()
    {
        Get("/healthz/live");
        AllowAnonymous();
        Description(b => b.WithTags("Health"));
        Summary(s =>
        {
            s.Summary = "存活检查 / Liveness: 200 while the process answers";
            s.Description = "供编排系统判断是否重启进程,不访问数据库。For an orchestrator deciding whether to restart the process; it does not touch the database.";
        });
    }

    public override Task<Ok<HealthResponse>> ExecuteAsync(CancellationToken ct)
    {
        HttpContext.Response.Headers.CacheControl = "no-store";
        return Task.FromResult(TypedResults.Ok(new HealthResponse { Status = "alive" }));
    }
}
