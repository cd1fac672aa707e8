using Cms.Api.Data;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Http;

public interface IVersionedRow
{
    long Id { get; }
    long Version { get; }
}

/// <summary>
/// The read, create, update and delete flow shared by the simple editable lists (partners, links, focus items): one
/// BEGIN IMMEDIATE transaction per write, If-Match checked inside it, the change log appended, the ETag set.
/// Each endpoint passes its own SQL.
/// </summary>
public static class Editable
{
    public static async Task<TRow?> GetAsync<TRow>(Db db, HttpContext http, string sql, long id, CancellationToken ct) where TRow : IVersionedRow
    {
        await using var conn = await db.OpenAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<TRow>(new CommandDefinition(sql, new { id }, cancellationToken: ct));
        if (row is not null)
            http.Response.Headers.ETag = IfMatch.ETag(row.Version);
        return row;
    }

    /// <summary><paramref name="sql"/> is an INSERT … RETURNING the row's columns.</summary>
    public static async Task<TRow> CreateAsync<TRow>(Db db, HttpContext http, string sql, object values, string entity, CancellationToken ct) where TRow : IVersionedRow
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginWriteAsync(ct);
        var row = await conn.QuerySingleAsync<TRow>(new CommandDefinition(
            sql, new DynamicParameters(values).With(new { now = UtcTime.Now() }), tx, cancellationToken: ct));
        await Changes.AppendAsync(conn, tx, entity, row.Id, ct: ct);
        await tx.CommitAsync(ct);
        http.Response.Headers.ETag = IfMatch.ETag(row.Version);
        return row;
    }

    /// <summary><paramref name="sql"/> is an UPDATE … WHERE id = @id RETURNING the row's columns; it must bump version.</summary>
    public static async Task<(TRow? Row, ProblemHttpResult? Problem)> UpdateAsync<TRow>(
        Db db, HttpContext http, string table, long id, string sql, object values, string entity, CancellationToken ct) where TRow : IVersionedRow
    {
        var (ifMatch, precondition) = IfMatch.Read(http);
        if (precondition is not null)
            return (default, precondition);
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginWriteAsync(ct);
        if (await Versioned.CheckAsync(conn, tx, table, id, ifMatch!, ct) is { } failed)
            return (default, failed);
        var row = await conn.QuerySingleAsync<TRow>(new CommandDefinition(
            sql, new DynamicParameters(values).With(new { id, now = UtcTime.Now() }), tx, cancellationToken: ct));
        await Changes.AppendAsync(conn, tx, entity, id, ct: ct);
        await tx.CommitAsync(ct);
        http.Response.Headers.ETag = IfMatch.ETag(row.Version);
        return (row, null);
    }

    public static async Task<ProblemHttpResult?> DeleteAsync(Db db, HttpContext http, string table, long id, string entity, CancellationToken ct)
    {
        var (ifMatch, precondition) = IfMatch.Read(http);
        if (precondition is not null)
            return precondition;
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginWriteAsync(ct);
        if (await Versioned.CheckAsync(conn, tx, table, id, ifMatch!, ct) is { } failed)
            return failed;
        await conn.ExecuteAsync(new CommandDefinition($"DELETE FROM {table} WHERE id = @id", new { id }, tx, cancellationToken: ct));
        await Changes.AppendAsync(conn, tx, entity, id, deleted: true, ct);
        await tx.CommitAsync(ct);
        return null;
    }
}

/// <summary>The route id of a single editable item.</summary>
public sealed class IdRequest
{
    public long Id { get; set; }
}
