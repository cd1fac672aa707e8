using System.Diagnostics;
using Cms.Api.Data;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cms.Api.Cli;

/// <summary>
/// Moves a site from SQLite to PostgreSQL: <c>dotnet run --project api -- store-copy data/cms.db</c> with
/// Cms__Store=postgres and ConnectionStrings__Cms naming an empty PostgreSQL database (UTF-8, C collation). Every row
/// keeps its id; the ids go on above them; the search index is built anew (search_pending, filled by the trigger
/// as the articles arrive). The SQLite file is only read.
/// </summary>
public static class StoreCopyCommand
{
    /// <summary>Parents before children (foreign keys); the search index and column counts are not copied but rebuilt.</summary>
    private static readonly string[] Tables =
    [
        "api_keys", "categories", "site_settings", "articles", "article_categories", "article_tags", "attachments",
        "leadership_messages", "partners", "related_links", "focus_items", "changes", "secrets", "audit_log", "media",
        "media_refs", "revisions", "article_reviews", "review_events",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 1 || !File.Exists(args[0]))
        {
            await Console.Error.WriteLineAsync("usage: store-copy SQLITE_FILE   (into Cms__Store=postgres, ConnectionStrings__Cms: an empty database)");
            return 2;
        }
        var config = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var db = Startup.OpenDb(config);
        if (!db.IsPostgres)
        {
            await Console.Error.WriteLineAsync("store-copy: set Cms__Store=postgres and ConnectionStrings__Cms to the database to copy into.");
            return 2;
        }
        Migrator.Apply(db);
        var clock = Stopwatch.StartNew();
        await using var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(args[0]), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
        await source.OpenAsync();
        var pg = (NpgsqlConnection)await db.OpenAsync();
        await using (pg)
        {
            if (await pg.ExecuteScalarAsync<long>("SELECT (SELECT count(*) FROM articles) + (SELECT count(*) FROM categories)") > 0)
            {
                await Console.Error.WriteLineAsync($"store-copy: {db.Describe} holds content already; copy into an empty database.");
                return 1;
            }
            await using var tx = await pg.BeginWriteAsync();
            // the target's own first rows (secrets made by its migration) give way to the copied ones
            await pg.ExecuteAsync("DELETE FROM secrets", transaction: tx);
            foreach (var table in Tables)
            {
                var target = (await pg.QueryAsync<(string Name, string Type)>(
                    "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table",
                    new { table }, tx)).ToDictionary(c => c.Name, c => c.Type);
                var columns = (await source.QueryAsync<string>($"SELECT name FROM pragma_table_info('{table}')")).Where(target.ContainsKey).ToList();
                if (columns.Count == 0)
                {
                    Console.WriteLine($"  {table}: not in the source (a file from an older version)");
                    continue;
                }
                var rows = 0L;
                await using (var import = await pg.BeginBinaryImportAsync($"COPY {table} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)"))
                {
                    await using var cmd = source.CreateCommand();
                    cmd.CommandText = $"SELECT {string.Join(", ", columns)} FROM {table}";
                    await using var reader = await cmd.ExecuteReaderAsync();
                    while (await reader.ReadAsync())
                    {
                        await import.StartRowAsync();
                        for (var i = 0; i < columns.Count; i++)
                        {
                            if (reader.IsDBNull(i))
                                await import.WriteNullAsync();
                            else if (target[columns[i]] == "bigint")
                                await import.WriteAsync(reader.GetInt64(i), NpgsqlTypes.NpgsqlDbType.Bigint);
                            else if (target[columns[i]] == "bytea")
                                await import.WriteAsync((byte[])reader.GetValue(i), NpgsqlTypes.NpgsqlDbType.Bytea);
                            else
                                await import.WriteAsync(reader.GetString(i), NpgsqlTypes.NpgsqlDbType.Text);
                        }
                        rows++;
                    }
                    await import.CompleteAsync();
                }
                Console.WriteLine($"  {table}: {rows:N0} rows");
            }
            await pg.ExecuteAsync("SELECT cms_identities_catch_up()", transaction: tx);
            // ids SQLite gave out and whose rows are gone since are never given again either
            foreach (var (name, seq) in await source.QueryAsync<(string, long)>("SELECT name, seq FROM sqlite_sequence"))
            {
                var key = name == "changes" ? "seq" : "id";
                if (Tables.Contains(name) && seq > 0)
                    await pg.ExecuteAsync(
                        $"SELECT setval(pg_get_serial_sequence(@name, @key), greatest(@seq, (SELECT coalesce(max({key}), 0) FROM {name})))",
                        new { name, key, seq }, tx);
            }
            await tx.CommitAsync();
        }
        Console.WriteLine($"Copied {args[0]} into {db.Describe} in {clock.Elapsed.TotalSeconds:F1} s; building the search index");
        var indexed = await Features.Search.PgSearchIndex.CatchUpAllAsync(db, n => Console.Write($"\r  {n:N0} articles indexed"));
        Console.WriteLine($"\rSearch index: {indexed:N0} articles in {clock.Elapsed.TotalSeconds:F1} s in all");
        return 0;
    }
}
