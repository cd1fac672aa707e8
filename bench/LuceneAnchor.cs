using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Cms.Api.Data;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Cn.Smart;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using FSDirectory = Lucene.Net.Store.FSDirectory;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Cms.Bench;

/// <summary>
/// The anchor the API's search is measured against: the same published articles in a Lucene.NET index (SmartCn, the
/// Chinese word segmenter Lucene ships), served on loopback at the same path with the same query log. Every word of the
/// query must match (as a phrase of its SmartCn tokens) in the title or the text; titles count three times as much.
/// </summary>
public static class LuceneAnchor
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;

    public static int Run(string dbPath, string indexDir, int port)
    {
        var analyzer = new SmartChineseAnalyzer(Version);
        // an index built from the same published articles is used again, with the figures of its build (1M articles
        // take the better part of an hour to index)
        var source = Source(dbPath);
        var marker = Path.Combine(indexDir, "cms-source.txt");
        int count;
        double seconds;
        if (File.Exists(marker) && File.ReadAllLines(marker) is [var known, var c, var s] && known == source)
        {
            (count, seconds) = (int.Parse(c, System.Globalization.CultureInfo.InvariantCulture), double.Parse(s, System.Globalization.CultureInfo.InvariantCulture));
            Console.Error.WriteLine($"lucene: using the index in {indexDir}, built from the same articles");
        }
        else
        {
            (count, seconds) = Index(dbPath, indexDir, analyzer);
            File.WriteAllLines(marker, [source, count.ToString(System.Globalization.CultureInfo.InvariantCulture), seconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture)]);
        }
        var bytes = new DirectoryInfo(indexDir).EnumerateFiles().Where(f => f.Name != "cms-source.txt").Sum(f => f.Length);
        Console.WriteLine($"lucene indexed {count} articles in {seconds:F1} s: {count / seconds:F0} articles/s; index {bytes} bytes, {bytes / Math.Max(count, 1)} bytes per article");
        Serve(FSDirectory.Open(indexDir), analyzer, port);
        return 0;
    }

    /// <summary>Which published articles the database holds: their count, ids and last change.</summary>
    private static string Source(string dbPath)
    {
        using var conn = new SqliteConnection($"Data Source={dbPath};Mode=ReadOnly");
        conn.Open();
        using var cmd = new SqliteCommand(
            "SELECT count(*) || ' ' || coalesce(sum(id), 0) || ' ' || coalesce(max(updated_at), '') FROM articles WHERE status = 'published' AND publish_at IS NOT NULL", conn);
        return (string)cmd.ExecuteScalar()!;
    }

    /// <summary>Title, plain body text (with the summary and source the API searches too), publish time and id.</summary>
    private static (int Count, double Seconds) Index(string dbPath, string indexDir, Analyzer analyzer)
    {
        if (System.IO.Directory.Exists(indexDir))
            System.IO.Directory.Delete(indexDir, recursive: true);
        var clock = Stopwatch.StartNew();
        using var dir = FSDirectory.Open(indexDir);
        using var writer = new IndexWriter(dir, new IndexWriterConfig(Version, analyzer) { OpenMode = OpenMode.CREATE, RAMBufferSizeMB = 64 });
        var rows = new BlockingCollection<(long Id, string Title, string Text, long At)>(boundedCapacity: 512);
        // segmenting is the work: one thread reads SQLite, every core analyzes (IndexWriter takes documents from many threads)
        var workers = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Task.Run(() =>
        {
            foreach (var r in rows.GetConsumingEnumerable())
                writer.AddDocument(new Document
                {
                    new StringField("id", r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Field.Store.YES),
                    new TextField("title", r.Title, Field.Store.YES),
                    new TextField("text", r.Text, Field.Store.NO),
                    new Int64Field("publish_at", r.At, Field.Store.NO),
                });
        })).ToArray();
        var count = 0;
        using (var conn = new SqliteConnection($"Data Source={dbPath};Mode=ReadOnly"))
        {
            conn.Open();
            using var cmd = new SqliteCommand(
                """
                SELECT id, title, coalesce(subtitle, ''), coalesce(summary, ''), body_html, coalesce(source, ''), publish_at
                FROM articles WHERE status = 'published' AND publish_at IS NOT NULL
                """, conn);
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                var text = string.Join('\n', reader.GetString(2), reader.GetString(3), HtmlText.Of(reader.GetString(4)), reader.GetString(5));
                rows.Add((reader.GetInt64(0), reader.GetString(1), text, UtcTime.FromDb(reader.GetString(6)).ToUnixTimeSeconds()));
                count++;
            }
        }
        rows.CompleteAdding();
        Task.WaitAll(workers);
        writer.Commit();
        return (count, clock.Elapsed.TotalSeconds);
    }

    private static void Serve(LuceneDirectory dir, Analyzer analyzer, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        using var searchers = new SearcherManager(dir, null);
        var json = new JsonSerializerOptions { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };
        app.MapGet("/api/v1/search", (string? q) =>
        {
            if (string.IsNullOrWhiteSpace(q) || q.Length > 100)
                return Results.BadRequest();
            var searcher = searchers.Acquire();
            try
            {
                var query = Query(q, analyzer);
                if (query is null)
                    return Results.Json(new { total = 0, items = Array.Empty<object>() }, json);
                var top = searcher.Search(query, 20);
                var items = top.ScoreDocs.Select(d => searcher.Doc(d.Doc)).Select(d => new { id = long.Parse(d.Get("id"), System.Globalization.CultureInfo.InvariantCulture), title = d.Get("title") })
                    .ToArray();   // read before the searcher goes back
                return Results.Json(new { total = top.TotalHits, items }, json);
            }
            finally
            {
                searchers.Release(searcher);
            }
        });
        app.MapGet("/healthz", () => "ok");
        app.Start();
        Console.WriteLine($"lucene listening on http://127.0.0.1:{port}");
        app.WaitForShutdown();
    }

    /// <summary>Each space-separated word a phrase of its SmartCn tokens, in the title (boosted) or the text; all words required.</summary>
    private static BooleanQuery? Query(string q, Analyzer analyzer)
    {
        var all = new BooleanQuery();
        foreach (var word in q.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var title = Phrase("title", word, analyzer);
            var text = Phrase("text", word, analyzer);
            if (title is null || text is null)
                continue;   // punctuation only: nothing to look for
            title.Boost = 3;
            all.Add(new BooleanQuery { { title, Occur.SHOULD }, { text, Occur.SHOULD } }, Occur.MUST);
        }
        return all.Clauses.Count == 0 ? null : all;
    }

    private static Query? Phrase(string field, string word, Analyzer analyzer)
    {
        var terms = new List<(string Term, int Position)>();
        using (var ts = analyzer.GetTokenStream(field, word))
        {
            var term = ts.AddAttribute<ICharTermAttribute>();
            var increment = ts.AddAttribute<IPositionIncrementAttribute>();
            ts.Reset();
            var position = -1;
            while (ts.IncrementToken())
            {
                position += increment.PositionIncrement;
                terms.Add((term.ToString(), position));
            }
            ts.End();
        }
        if (terms.Count == 0)
            return null;
        if (terms.Count == 1)
            return new TermQuery(new Term(field, terms[0].Term));
        var phrase = new PhraseQuery();
        foreach (var (t, p) in terms)
            phrase.Add(new Term(field, t), p);
        return phrase;
    }
}
