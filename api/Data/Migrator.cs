using System.Reflection;
using Dapper;

namespace Cms.Api.Data;

/// <summary>Applies the embedded, numbered migrations once each, in order, each in its own transaction.</summary>
public static class Migrator
{
    private const string Prefix = "Cms.Migrations.";

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
            using var tx = conn.BeginTransaction();
            conn.Execute(sql, transaction: tx);
            conn.Execute("INSERT INTO schema_migrations (name, applied_at) VALUES (@name, @at)", new { name, at = UtcTime.Now() }, tx);
            tx.Commit();
            done.Add(name);
        }
        return done;
    }
}
