using System.Data;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Http;

/// <summary>The read half of read-then-write on a versioned row, inside the writer's BEGIN IMMEDIATE transaction.</summary>
public static class Versioned
{
    /// <summary>404 when the row is gone, 412 when If-Match names another version, else null. <paramref name="table"/> is a constant.</summary>
    public static async Task<ProblemHttpResult?> CheckAsync(IDbConnection conn, IDbTransaction tx, string table, long id, IfMatch ifMatch, CancellationToken ct)
    {
        var version = await conn.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"SELECT version FROM {table} WHERE id = @id", new { id }, tx, cancellationToken: ct));
        if (version is null)
            return Problems.NotFound();
        return ifMatch.Matches(version.Value) ? null : Problems.PreconditionFailed();
    }
}
