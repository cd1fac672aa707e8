using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Keys;

public sealed class RevokeKey(Db db) : Endpoint<IdRequest, Results<NoContent, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/api/v1/admin/keys/{id}");
        Roles(Role.AdminOnly);
        Description(b => b.WithTags("Admin: Keys").ProducesProblems(401, 403, 404, 409));
        Summary(s =>
        {
            s.Summary = "吊销接口密钥 / Revoke an API key";
            s.Description = "立即失效(下一次请求即 401)。最后一个有效的管理员密钥不能吊销。" +
                " Takes effect on the next request (401). The last active admin key cannot be revoked.";
        });
    }

    public override async Task<Results<NoContent, ProblemHttpResult>> ExecuteAsync(IdRequest req, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginWriteAsync(ct);
        var key = await conn.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition(
            $"SELECT {KeySql.Columns} FROM api_keys WHERE id = @Id AND revoked_at IS NULL", new { req.Id }, tx, cancellationToken: ct));
        if (key is null)
            return Problems.NotFound("No active key with this id.");
        if (key.Role == Role.Admin && await conn.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL", transaction: tx, cancellationToken: ct)) == 1)
            return Problems.Conflict("id", "This is the last active admin key; create another admin key first.");
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE api_keys SET revoked_at = @now WHERE id = @Id", new { req.Id, now = UtcTime.Now() }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return TypedResults.NoContent();
    }
}
