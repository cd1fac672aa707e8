using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Keys;

public sealed class ListKeys(Db db) : EndpointWithoutRequest<Ok<List<ApiKeyInfo>>>
{
    public override void Configure()
    {
        Get("/api/v1/admin/keys");
        Roles(Role.AdminOnly);
        Description(b => b.WithTags("Admin: Keys").ProducesProblems(401, 403));
        Summary(s => s.Summary = "接口密钥列表 / API keys (never the keys themselves)");
    }

    public override async Task<Ok<List<ApiKeyInfo>>> ExecuteAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var rows = await conn.QueryAsync<ApiKeyRow>(new CommandDefinition($"SELECT {KeySql.Columns} FROM api_keys ORDER BY id", cancellationToken: ct));
        return TypedResults.Ok(rows.Select(ApiKeyInfo.From).ToList());
    }
}
