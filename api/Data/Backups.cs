using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Data;

/// <summary>
/// Online, consistent backups (VACUUM INTO, a read transaction: writers go on) verified and described by a manifest
/// (integrity_check, row counts and a checksum per table, the file's SHA-256), and restores that check the manifest
/// first, copy the backup into the live database with SQLite's backup API, keep every id sequence above what was ever
/// given out, and start a new sync epoch: partners' cursors from before answer 410 and tell them to take a fresh snapshot.
/// </summary>
public static class Backups
{
    /// <summary>The tables a backup's manifest counts and checksums: the content, the keys and the change log.</summary>
    private static readonly string[] Tables =
    [
        "site_settings", "categories", "articles", "article_categories", "article_tags", "attachments", "leadership_messages",
        "partners", "related_links", "focus_items", "api_keys", "changes",
    ];

    public sealed class Manifest
    {
        /// <summary>sqlite (a database file) or postgres (a pg_dump archive); absent in backups from before PostgreSQL: sqlite.</summary>
        public string Store { get; init; } = "sqlite";
        public string CreatedAt { get; init; } = "";
        public string Source { get; init; } = "";
        public long Bytes { get; init; }
        public string Sha256 { get; init; } = "";
        public List<string> Migrations { get; init; } = [];
        public Dictionary<string, TableSummary> Tables { get; init; } = [];
        /// <summary>The media files copied beside the backup (FILE.media/): their count and bytes. Null in a backup without them.</summary>
        public MediaSummary? Media { get; init; }
    }

    public sealed class MediaSummary
    {
        public long Files { get; init; }
        public long Bytes { get; init; }
    }

    /// <summary>Where a backup's media files are: beside it, FILE.media/.</summary>
    public static string MediaPath(string file) => file + ".media";

    /// <summary>Copies every stored file under <paramref name="from"/> into <paramref name="to"/> that is not there yet (names are content hashes: a file there is the same file).</summary>
    private static MediaSummary CopyMedia(string from, string to)
    {
        long files = 0, bytes = 0;
        if (!Directory.Exists(from))
            return new MediaSummary();
        foreach (var source in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(from, source);
            if (rel.StartsWith(".incoming", StringComparison.Ordinal) || rel.EndsWith(".new", StringComparison.Ordinal))
                continue;
            var target = Path.Combine(to, rel);
            if (!File.Exists(target))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(source, target + ".partial", overwrite: true);
                File.Move(target + ".partial", target);
            }
            files++;
            bytes += new FileInfo(target).Length;
        }
        return new MediaSummary { Files = files, Bytes = bytes };
    }

    public sealed class TableSummary
    {
        public long Rows { get; init; }
        public string Sha256 { get; init; } = "";
    }

    private static readonly JsonSerializerOptions ManifestJson = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string ManifestPath(string file) => file + ".manifest.json";

    /// <param name="mediaRoot">The media library's folder (Cms:Media:Root); its files are copied to FILE.media/.</param>
    public static async Task<Manifest> BackupAsync(Db db, string file, CancellationToken ct = default, string? mediaRoot = null)
    {
        file = Path.GetFullPath(file);
        if (File.Exists(file))
            throw new IOException($"{file} exists already; choose a new name.");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var partial = file + ".partial";
        File.Delete(partial);
        if (db.IsPostgres)
        {
            var (sha, bytes, migrations, tables) = await PgBackups.DumpAsync(db, partial, Tables, ct);
            var pg = new Manifest
            {
                Store = "postgres", CreatedAt = UtcTime.Now(), Source = db.Describe, Bytes = bytes, Sha256 = sha, Migrations = migrations, Tables = tables,
                Media = mediaRoot is null ? null : CopyMedia(mediaRoot, MediaPath(file)),
            };
            File.Move(partial, file);
            await File.WriteAllTextAsync(ManifestPath(file), JsonSerializer.Serialize(pg, ManifestJson), ct);
            return pg;
        }
        await using (var conn = await db.OpenAsync(ct))
            await conn.ExecuteAsync(new CommandDefinition("VACUUM INTO @partial", new { partial }, cancellationToken: ct));
        var manifest = await DescribeAsync(partial, db.FilePath, ct);
        // the media after the database: every file the copied rows name was written before its row
        if (mediaRoot is not null)
            manifest = new Manifest
            {
                CreatedAt = manifest.CreatedAt, Source = manifest.Source, Bytes = manifest.Bytes, Sha256 = manifest.Sha256,
                Migrations = manifest.Migrations, Tables = manifest.Tables, Media = CopyMedia(mediaRoot, MediaPath(file)),
            };
        File.Move(partial, file);
        await File.WriteAllTextAsync(ManifestPath(file), JsonSerializer.Serialize(manifest, ManifestJson), ct);
        return manifest;
    }

    /// <summary>Checks a backup against its manifest; the reason it cannot be trusted, or null.</summary>
    public static async Task<string?> VerifyAsync(string file, CancellationToken ct = default)
    {
        if (!File.Exists(file))
            return $"{file} does not exist.";
        if (!File.Exists(ManifestPath(file)))
            return $"{ManifestPath(file)} is missing: only a backup made by the backup command can be restored.";
        Manifest? expected;
        try
        {
            expected = JsonSerializer.Deserialize<Manifest>(await File.ReadAllTextAsync(ManifestPath(file), ct), ManifestJson);
        }
        catch (JsonException)
        {
            return "The manifest is not readable.";
        }
        if (expected is null)
            return "The manifest is empty.";
        // the bytes first: a damaged file may not even open as a database
        await using (var stream = File.OpenRead(file))
        {
            if (Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct)) != expected.Sha256)
                return "The file's SHA-256 differs from the manifest's: it was changed or damaged after the backup.";
        }
        if (expected.Store == "postgres")
            return await PgBackups.CheckAsync(file, ct) ?? MediaProblem(file, expected);
        Manifest actual;
        try
        {
            actual = await DescribeAsync(file, expected.Source, ct);
        }
        catch (Exception e) when (e is SqliteException or InvalidDataException)
        {
            return $"The file is not a sound database: {e.Message}";
        }
        foreach (var (table, summary) in expected.Tables)
        {
            if (!actual.Tables.TryGetValue(table, out var found) || found.Rows != summary.Rows || found.Sha256 != summary.Sha256)
                return $"Table {table} differs from the manifest.";
        }
        return MediaProblem(file, expected);
    }

    private static string? MediaProblem(string file, Manifest expected)
    {
        if (expected.Media is { Files: > 0 } media)
        {
            var folder = MediaPath(file);
            var present = Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => new FileInfo(f)).ToList() : [];
            if (present.Count != media.Files || present.Sum(f => f.Length) != media.Bytes)
                return $"{folder} holds {present.Count} files ({present.Sum(f => f.Length)} bytes); the manifest says {media.Files} ({media.Bytes} bytes).";
        }
        return null;
    }

    private static async Task<Manifest> DescribeAsync(string file, string source, CancellationToken ct)
    {
        var tables = new Dictionary<string, TableSummary>();
        List<string> migrations;
        await using (var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString))
        {
            await conn.OpenAsync(ct);
            var integrity = await conn.ExecuteScalarAsync<string>(new CommandDefinition("PRAGMA integrity_check", cancellationToken: ct));
            if (integrity != "ok")
                throw new InvalidDataException($"integrity_check of {file}: {integrity}");
            migrations = (await conn.QueryAsync<string>(new CommandDefinition("SELECT name FROM schema_migrations ORDER BY name", cancellationToken: ct))).ToList();
            foreach (var table in Tables)
            {
                // a constant name; every column, in primary-key order (some tables have no rowid)
                var columns = (await conn.QueryAsync<(long Cid, string Name, string Type, long NotNull, string? Default, long Pk)>(
                    new CommandDefinition($"PRAGMA table_info({table})", cancellationToken: ct))).ToList();
                var key = columns.Where(c => c.Pk > 0).OrderBy(c => c.Pk).Select(c => c.Name).ToList();
                var orderBy = string.Join(", ", key.Count > 0 ? key : columns.Select(c => c.Name));
                tables[table] = await SummarizeAsync(conn, null, $"SELECT * FROM {table} ORDER BY {orderBy}", ct);
            }
        }
        await using var stream = File.OpenRead(file);
        return new Manifest
        {
            CreatedAt = UtcTime.Now(),
            Source = source,
            Bytes = stream.Length,
            Sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct)),
            Migrations = migrations,
            Tables = tables,
        };
    }

    /// <summary>Row count and SHA-256 of every value of <paramref name="select"/>'s rows, in order: a table's line in the manifest (both stores).</summary>
    internal static async Task<TableSummary> SummarizeAsync(System.Data.Common.DbConnection conn, System.Data.Common.DbTransaction? tx, string select, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long rows = 0;
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = select;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows++;
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var value = reader.IsDBNull(i) ? "\u0000null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
                hash.AppendData(Encoding.UTF8.GetBytes(value + "\u0001"));
            }
            hash.AppendData("\n"u8);
        }
        return new TableSummary { Rows = rows, Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset()) };
    }

    /// <summary>Replaces the live content with a verified backup, online. Returns the backup's manifest.</summary>
    /// <param name="mediaRoot">The media library's folder: the backup's media files go back into it (files are added, never removed).</param>
    public static async Task<Manifest> RestoreAsync(Db db, string file, CancellationToken ct = default, string? mediaRoot = null)
    {
        file = Path.GetFullPath(file);
        if (await VerifyAsync(file, ct) is { } problem)
            throw new InvalidDataException(problem);
        var manifest = JsonSerializer.Deserialize<Manifest>(await File.ReadAllTextAsync(ManifestPath(file), ct), ManifestJson)!;
        if ((manifest.Store == "postgres") != db.IsPostgres)
            throw new InvalidDataException($"This is a backup of a {manifest.Store} store; this site runs on {(db.IsPostgres ? "postgres" : "sqlite")}.");
        // the files before the rows that name them
        if (mediaRoot is not null && manifest.Media is { Files: > 0 })
            CopyMedia(MediaPath(file), mediaRoot);

        if (db.IsPostgres)
        {
            await PgBackups.RestoreAsync(db, file, ct);
            return manifest;
        }
        await using var live = await db.OpenAsync(ct);
        // what the live database gave out so far, and the sync keys partners' cursors were signed with
        var sequences = (await live.QueryAsync<(string Name, long Seq)>(new CommandDefinition("SELECT name, seq FROM sqlite_sequence", cancellationToken: ct))).ToList();
        var keys = (await live.QueryAsync<byte[]>(new CommandDefinition(
            "SELECT value FROM secrets WHERE name = 'sync-cursor' OR name LIKE 'sync-cursor-retired-%'", cancellationToken: ct))).ToList();

        await using (var backup = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString))
        {
            await backup.OpenAsync(ct);
            backup.BackupDatabase((SqliteConnection)live);
        }
        Migrator.Apply(db);   // a backup from an older version moves forward

        await using var tx = live.BeginWrite();
        foreach (var (name, seq) in sequences)
        {
            await live.ExecuteAsync(new CommandDefinition(
                "UPDATE sqlite_sequence SET seq = max(seq, @seq) WHERE name = @name", new { name, seq }, tx, cancellationToken: ct));
            await live.ExecuteAsync(new CommandDefinition(
                "INSERT INTO sqlite_sequence (name, seq) SELECT @name, @seq WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = @name)",
                new { name, seq }, tx, cancellationToken: ct));
        }
        // a new sync epoch: cursors signed before now are recognised as such (410), none is accepted
        var retired = await live.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM secrets WHERE name LIKE 'sync-cursor-retired-%'", transaction: tx, cancellationToken: ct));
        foreach (var key in keys.Append(await live.QuerySingleAsync<byte[]>(new CommandDefinition(
                     "SELECT value FROM secrets WHERE name = 'sync-cursor'", transaction: tx, cancellationToken: ct))).DistinctBy(Convert.ToHexString))
        {
            await live.ExecuteAsync(new CommandDefinition(
                "INSERT OR IGNORE INTO secrets (name, value) SELECT 'sync-cursor-retired-' || @n, @key WHERE NOT EXISTS (SELECT 1 FROM secrets WHERE value = @key AND name LIKE 'sync-cursor-retired-%')",
                new { n = ++retired, key }, tx, cancellationToken: ct));
        }
        await live.ExecuteAsync(new CommandDefinition("UPDATE secrets SET value = randomblob(32) WHERE name = 'sync-cursor'", transaction: tx, cancellationToken: ct));
        await live.ExecuteAsync(new CommandDefinition(
            "INSERT OR REPLACE INTO secrets (name, value) VALUES ('sync-restored-at', CAST(@at AS BLOB))", new { at = UtcTime.Now() }, tx, cancellationToken: ct));
        // every running instance drops its cached answers: a change to the settings touches everything
        Changes.Append(live, tx, Changes.Settings, 1);
        await tx.CommitAsync(ct);
        return manifest;
    }
}
