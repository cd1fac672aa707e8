using System.Reflection;
using Dapper;

namespace Cms.Api.Data;

/// <summary>Applies the embedded, numbered migrations once each, in order, each in its own transaction.</summary>
public static class Migrator
{
    /// <summary>Each store has its own numbered migrations: Data/Migrations/*.sql (SQLite), Data/Migrations/postgres/*.sql.</summary>
    private static string Prefix(StoreKind store) => store == StoreKind.Postgres ? "Cms.Migrations.Postgres." : "Cms.Migrations.";

    /// <summary>The advisory lock that lets one of several instances starting at once migrate, the others wait.</summary>
    private const long MigrationLockKey = 0x636d73_0002;

    /// <summary>The names of the migrations this build carries for the store of this process.</summary>
    public static IReadOnlyList<string> Embedded() => Embedded(Sql.Store);

    public static IReadOnlyList<string> Embedded(StoreKind store)
    {
        var prefix = Prefix(store);
        return Assembly.GetExecutingAssembly().GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => n[prefix.Length..])
            .Where(n => !n.Contains('.', StringComparison.Ordinal) || n.IndexOf('.') == n.Length - 4)   // not another store's
            .Order(StringComparer.Ordinal).ToList();
    }

    public static IReadOnlyList<string> Apply(Db db)
    {
        using var conn = db.Open();
        if (db.IsPostgres)
            conn.Execute("SELECT pg_advisory_lock(@key)", new { key = MigrationLockKey });
        else
            conn.Execute("PRAGMA journal_mode = WAL;");
        conn.Execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
        var applied = conn.Query<string>("SELECT name FROM schema_migrations").ToHashSet(StringComparer.Ordinal);
        var asm = Assembly.GetExecutingAssembly();
        var names = Embedded(db.Store);
        var done = new List<string>();
        foreach (var name in names.Where(n => !applied.Contains(n)))
        {
            using var stream = asm.GetManifestResourceStream(Prefix(db.Store) + name)!;
            using var reader = new StreamReader(stream);
            var sql = reader.ReadToEnd();
            // a table rebuild must not fire ON DELETE actions; PRAGMA foreign_keys only changes outside a transaction
            var rebuild = sql.Contains("-- requires: foreign_keys off", StringComparison.Ordinal);
            if (rebuild)
                conn.Execute("PRAGMA foreign_keys = OFF");
            try
            {
                using var tx = conn.BeginTransaction();
                conn.Execute(sql, transaction: tx);
                if (rebuild && conn.Query("PRAGMA foreign_key_check", transaction: tx).Any())
                    throw new InvalidOperationException($"Migration {name} would leave rows pointing at rows that do not exist.");
                conn.Execute("INSERT INTO schema_migrations (name, applied_at) VALUES (@name, @at)", new { name, at = UtcTime.Now() }, tx);
                tx.Commit();
            }
            finally
            {
                if (rebuild)
                    conn.Execute("PRAGMA foreign_keys = ON");
            }
            done.Add(name);
        }
        if (db.IsPostgres)
            conn.Execute("SELECT pg_advisory_unlock(@key)", new { key = MigrationLockKey });
        return done;
    }
}
