using System.Data.Common;
using System.Diagnostics;
using System.Security.Cryptography;
using Dapper;
using Npgsql;

namespace Cms.Api.Data;

/// <summary>
/// Backups of the PostgreSQL store with pg_dump (custom format), from one exported snapshot: the manifest's row counts
/// and checksums describe exactly what the dump holds, while writers go on. A restore (pg_restore --clean, one
/// transaction) then does what a SQLite restore does: ids stay above everything ever given out, and a new sync epoch starts.
/// The agency's own PostgreSQL backups (base backups, WAL archiving) go on beside these; these are the portable copy.
/// </summary>
internal static class PgBackups
{
    /// <summary>pg_dump or pg_restore: on the PATH, else the newest of Debian's /usr/lib/postgresql/*/bin.</summary>
    private static string Tool(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var p = Path.Combine(dir, name);
            if (File.Exists(p))
                return p;
        }
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", name)).Where(File.Exists)
                .OrderByDescending(p => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(p))), out var v) ? v : 0).FirstOrDefault()
            : null;
        return debian ?? throw new IOException($"{name} is not installed (Debian: apt-get install postgresql-client).");
    }

    private static async Task RunAsync(Db db, string tool, IEnumerable<string> args, CancellationToken ct)
    {
        var cs = new NpgsqlConnectionStringBuilder(db.ConnectionString);
        var psi = new ProcessStartInfo(Tool(tool)) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        // the connection by environment: nothing of it (the password least) on a command line others can read
        psi.Environment["PGHOST"] = cs.Host ?? "127.0.0.1";
        psi.Environment["PGPORT"] = cs.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["PGDATABASE"] = cs.Database ?? "";
        if (!string.IsNullOrEmpty(cs.Username))
            psi.Environment["PGUSER"] = cs.Username;
        if (!string.IsNullOrEmpty(cs.Password))
            psi.Environment["PGPASSWORD"] = cs.Password;
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync(ct);
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0)
            throw new IOException($"{tool} failed ({p.ExitCode}): {(await stderr).Trim()}");
        await stdout;
    }

    /// <summary>Row counts and checksums of the tables, as Backups does for SQLite, read in <paramref name="tx"/>'s snapshot.</summary>
    internal static async Task<Dictionary<string, Backups.TableSummary>> DescribeAsync(DbConnection conn, DbTransaction tx, IEnumerable<string> tables, CancellationToken ct)
    {
        var result = new Dictionary<string, Backups.TableSummary>();
        foreach (var table in tables)
        {
            var key = (await conn.QueryAsync<string>(new CommandDefinition(
                """
                SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
                WHERE i.indrelid = CAST(@table AS regclass) AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)
                """, new { table }, tx, cancellationToken: ct))).ToList();
            result[table] = await Backups.SummarizeAsync(conn, tx, $"SELECT * FROM {table} ORDER BY {string.Join(", ", key)}", ct);
        }
        return result;
    }

    public static async Task<(string Sha256, long Bytes, List<string> Migrations, Dictionary<string, Backups.TableSummary> Tables)> DumpAsync(
        Db db, string partial, IEnumerable<string> tables, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var snapshot = await conn.ExecuteScalarAsync<string>(new CommandDefinition("SELECT pg_export_snapshot()", transaction: tx, cancellationToken: ct));
        // pg_dump reads the very snapshot the manifest below is computed in
        await RunAsync(db, "pg_dump", ["--format=custom", "--no-owner", "--no-privileges", $"--snapshot={snapshot}", "--file", partial], ct);
        var migrations = (await conn.QueryAsync<string>(new CommandDefinition("SELECT name FROM schema_migrations ORDER BY name", transaction: tx, cancellationToken: ct))).ToList();
        var described = await DescribeAsync(conn, tx, tables, ct);
        await tx.CommitAsync(ct);
        await using var stream = File.OpenRead(partial);
        return (Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct)), stream.Length, migrations, described);
    }

    /// <summary>A dump pg_restore can read (its table of contents); the reason when it cannot.</summary>
    public static async Task<string?> CheckAsync(string file, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(Tool("pg_restore")) { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("--list");
        psi.ArgumentList.Add(file);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.StandardOutput.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        return p.ExitCode == 0 ? null : $"The file is not a sound PostgreSQL dump: {(await stderr).Trim()}";
    }

    public static async Task RestoreAsync(Db db, string file, CancellationToken ct)
    {
        List<(string Table, string Column, long Last)> identities;
        List<byte[]> keys;
        await using (var conn = await db.OpenAsync(ct))
        {
            // what the live database gave out so far, and the sync keys partners' cursors were signed with
            identities = (await conn.QueryAsync<(string, string, long)>(new CommandDefinition(
                """
                SELECT table_name, column_name, coalesce(pg_sequence_last_value(CAST(pg_get_serial_sequence(quote_ident(table_name), column_name) AS regclass)), 0)
                FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'
                """, cancellationToken: ct))).ToList();
            keys = (await conn.QueryAsync<byte[]>(new CommandDefinition(
                "SELECT value FROM secrets WHERE name = 'sync-cursor' OR name LIKE 'sync-cursor-retired-%'", cancellationToken: ct))).ToList();
        }
        // every table dropped and written again, in one transaction: readers see the old content or the new
        await RunAsync(db, "pg_restore", ["--clean", "--if-exists", "--single-transaction", "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", new NpgsqlConnectionStringBuilder(db.ConnectionString).Database!, file], ct);
        NpgsqlConnection.ClearAllPools();   // pooled sessions prepared statements against the dropped tables
        Migrator.Apply(db);   // a backup from an older version moves forward

        await using var live = await db.OpenAsync(ct);
        await using var tx = await live.BeginWriteAsync(ct);
        foreach (var (table, column, last) in identities)
        {
            await live.ExecuteAsync(new CommandDefinition(
                $"SELECT setval(pg_get_serial_sequence(@table, @column), greatest(@last, coalesce((SELECT max({column}) FROM {table}), 0), 1))",
                new { table, column, last }, tx, cancellationToken: ct));
        }
        // a new sync epoch: cursors signed before now are recognised as such (410), none is accepted
        var retired = await live.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM secrets WHERE name LIKE 'sync-cursor-retired-%'", transaction: tx, cancellationToken: ct));
        foreach (var key in keys.Append(await live.QuerySingleAsync<byte[]>(new CommandDefinition(
                     "SELECT value FROM secrets WHERE name = 'sync-cursor'", transaction: tx, cancellationToken: ct))).DistinctBy(Convert.ToHexString))
        {
            await live.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO secrets (name, value) SELECT 'sync-cursor-retired-' || @n, @key
                WHERE NOT EXISTS (SELECT 1 FROM secrets WHERE value = @key AND name LIKE 'sync-cursor-retired-%') ON CONFLICT DO NOTHING
                """, new { n = ++retired, key }, tx, cancellationToken: ct));
        }
        await live.ExecuteAsync(new CommandDefinition(
            "UPDATE secrets SET value = decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex') WHERE name = 'sync-cursor'",
            transaction: tx, cancellationToken: ct));
        await live.ExecuteAsync(new CommandDefinition(
            "INSERT INTO secrets (name, value) VALUES ('sync-restored-at', convert_to(@at, 'UTF8')) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            new { at = UtcTime.Now() }, tx, cancellationToken: ct));
        // every running instance drops its cached answers: a change to the settings touches everything
        Changes.Append(live, tx, Changes.Settings, 1);
        await tx.CommitAsync(ct);
    }
}
