using System.Data;
using Dapper;

namespace Cms.Api.Data;

/// <summary>The change log: one row per write to content, in the writer's transaction.</summary>
public static class Changes
{
    public const string Article = "article";
    public const string Category = "category";
    public const string LeadershipMessage = "leadershipMessage";
    public const string Settings = "settings";
    public const string Partner = "partner";
    public const string Link = "link";
    public const string FocusItem = "focusItem";

    private const string Insert = "INSERT INTO changes (entity, entity_id, op, at) VALUES (@entity, @id, @op, @at)";

    public static Task AppendAsync(IDbConnection conn, IDbTransaction tx, string entity, long id, bool deleted = false, CancellationToken ct = default) =>
        conn.ExecuteAsync(new CommandDefinition(Insert, Args(entity, id, deleted), tx, cancellationToken: ct));

    public static void Append(IDbConnection conn, IDbTransaction tx, string entity, long id) => conn.Execute(Insert, Args(entity, id, false), tx);

    private static object Args(string entity, long id, bool deleted) => new { entity, id, op = deleted ? "delete" : "upsert", at = UtcTime.Now() };
}
