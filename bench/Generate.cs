using System.Diagnostics;
using System.Globalization;
using Cms.Api.Data;
using Microsoft.Data.Sqlite;

namespace Cms.Bench;

/// <summary>
/// Fills a database with N generated Chinese articles across the demo columns: the demo content first, then articles
/// composed by Corpus (real word frequencies, 300–5,000 characters of body, publish dates over ten years). Articles are
/// composed one at a time and inserted in batches, so a million never sit in memory; the database's own triggers keep
/// the search index, so the time taken is the time the API's index needs.
/// </summary>
public static class Generate
{
    public static int Run(string dbPath, int count, int seed = Corpus.DefaultSeed)
    {
        var corpus = Corpus.Load(seed);
        var db = new Db($"Data Source={dbPath}");
        Migrator.Apply(db);
        DemoContent.LoadIfEmpty(db, null);

        using var conn = (SqliteConnection)db.Open();
        var columns = new SqliteCommand("SELECT id FROM categories WHERE kind IN ('list', 'topic') ORDER BY id", conn).ExecuteReader();
        var columnIds = new List<long>();
        while (columns.Read())
            columnIds.Add(columns.GetInt64(0));
        columns.Close();
        // a run that was stopped goes on where it stopped: generated articles have the slug b{id}, the rest is demo content,
        // and every article is a function of its ordinal, so the finished database is the same as one written in one go
        var start = Convert.ToInt64(new SqliteCommand("SELECT coalesce(max(id), 0) FROM articles WHERE slug NOT GLOB 'b[0-9]*'", conn).ExecuteScalar());
        var resumed = Convert.ToInt32(new SqliteCommand("SELECT count(*) FROM articles WHERE slug GLOB 'b[0-9]*'", conn).ExecuteScalar());
        if (resumed > 0)
            Console.Error.WriteLine($"  going on from {resumed} articles written by an earlier run");
        // a bulk import, as a migration from an old site would run it: FTS5 keeps a whole batch in memory before writing
        // it out (instead of a segment per megabyte), and the index is merged once at the end; the defaults come back after
        SetIndexHashSize(conn, 512L * 1024 * 1024);

        var clock = Stopwatch.StartNew();
        var composing = new Stopwatch();
        // ten years back from today (midnight UTC), so a run on the same day writes the same database
        var end = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        const long tenYearsMinutes = 10L * 365 * 24 * 60;
        const int batch = 2000;
        for (var done = resumed; done < count;)
        {
            using var tx = conn.BeginTransaction();
            using var insert = conn.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = """
                INSERT INTO articles (id, slug, legacy_id, category_id, title, summary, body_html, source, article_type, status,
                    publish_at, created_at, updated_at)
                VALUES ($id, $slug, $legacy, $cat, $title, $summary, $body, $source, $type, 'published', $at, $at, $at)
                """;
            var p = new Dictionary<string, SqliteParameter>();
            foreach (var name in new[] { "$id", "$slug", "$legacy", "$cat", "$title", "$summary", "$body", "$source", "$type", "$at" })
                p[name] = insert.Parameters.Add(new SqliteParameter(name, null));
            using var tag = conn.CreateCommand();
            tag.Transaction = tx;
            tag.CommandText = "INSERT INTO article_tags (article_id, tag, sort_order) VALUES ($id, $tag, 0)";
            var tagId = tag.Parameters.Add(new SqliteParameter("$id", null));
            var tagText = tag.Parameters.Add(new SqliteParameter("$tag", null));

            var n = Math.Min(batch, count - done);
            for (var i = 0; i < n; i++)
            {
                var ordinal = done + i;
                var id = start + ordinal + 1;
                composing.Start();
                var a = corpus.Compose(ordinal);
                var at = end.AddMinutes(-(long)(a.Age * tenYearsMinutes) - 1);
                p["$id"].Value = id;
                p["$slug"].Value = $"b{id}";
                p["$legacy"].Value = at.ToString("yyyyMM", CultureInfo.InvariantCulture) + (id % 100_000_000).ToString("D8", CultureInfo.InvariantCulture);
                p["$cat"].Value = columnIds[(int)(ordinal % columnIds.Count)];
                p["$title"].Value = a.Title;
                p["$summary"].Value = a.Summary;
                p["$body"].Value = a.BodyHtml;
                p["$source"].Value = a.Source;
                p["$type"].Value = a.ArticleType;
                p["$at"].Value = UtcTime.ToDb(at);
                composing.Stop();
                insert.ExecuteNonQuery();
                tagId.Value = id;
                tagText.Value = a.Tag;
                tag.ExecuteNonQuery();
            }
            tx.Commit();
            done += n;
            Progress(done, count, done - resumed, clock.Elapsed);
        }
        Console.Error.WriteLine();
        var seconds = clock.Elapsed.TotalSeconds;
        SetIndexHashSize(conn, 1024 * 1024);
        // the index as the product keeps it: merged by SearchIndexMaintenance once writes have gone quiet
        var merging = Stopwatch.StartNew();
        SearchIndexMaintenance.OptimizeAsync(conn, CancellationToken.None, pagesPerStep: 4096).GetAwaiter().GetResult();
        Console.WriteLine($"search index merged into one segment in {merging.Elapsed.TotalSeconds:F1} s");
        new SqliteCommand("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;", conn).ExecuteNonQuery();
        // one line for run.sh: the rate counts composing the text too (a small part, printed beside it)
        var written = Math.Max(count - resumed, 1);
        var from = resumed > 0 ? $" (the last of {count}: the first {resumed} by a run that was stopped)" : "";
        Console.WriteLine($"indexed {written} articles{from} in {seconds:F1} s: {written / seconds:F0} articles/s (composing the text {composing.Elapsed.TotalSeconds:F1} s of it)");
        return 0;
    }

    private static void SetIndexHashSize(SqliteConnection conn, long bytes)
    {
        foreach (var table in new[] { "article_search", "article_search_title" })
            new SqliteCommand($"INSERT INTO {table} ({table}, rank) VALUES ('hashsize', {bytes})", conn).ExecuteNonQuery();
    }

    private static void Progress(int done, int total, int thisRun, TimeSpan elapsed)
    {
        const int width = 30;
        var filled = (int)((long)done * width / total);
        var rate = thisRun / Math.Max(elapsed.TotalSeconds, 0.001);
        Console.Error.Write($"\r  [{new string('#', filled)}{new string('.', width - filled)}] {done * 100L / total,3}% {done}/{total} articles, {rate:F0}/s   ");
    }
}
