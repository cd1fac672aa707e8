using System.Reflection;
using Dapper;

namespace Cms.Api.Data;

/// <summary>Applies the embedded, numbered migrations once each, in order, each in its own transaction.</summary>
public static class Migrator
{
    private const string Prefix = "Cms.Migrations.";

    /// <summary>The names of the migrations this build carries.</summary>
    public static IReadOnlyList<string> Embedded() =>
        Assembly.GetExecutingAssembly().GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => n[Prefix.Length..]).Order(StringComparer.Ordinal).ToList();

    public static IReadOnlyList<string> Apply(Db db)
    {
        using var conn = db.Open();
        conn.Execute("PRAGMA journal_mode = WAL;");
        conn.Execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
        var applied = conn.Query<string>("SELECT name FROM schema_migrations").ToHashSet(StringComparer.Ordinal);
        var asm = Assembly.GetExecutingAssembly();
        var names = asm.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => n[Prefix.Length..])
            .Order(StringComparer.Ordinal)
            .ToList();
        var done = new List<string>();
        foreach (var name in names.Where(n => !applied.Contains(n)))
        {
            using var stream = asm.GetManifestResourceStream(Prefix + name)!;
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
        return done;
    }
}
