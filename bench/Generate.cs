using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Cms.Api.Data;
using Microsoft.Data.Sqlite;

namespace Cms.Bench;

/// <summary>
/// Fills a database with N realistic Chinese articles across the demo columns: the demo content first, then articles
/// whose titles and paragraphs are recombined from the demo content's own sentences and phrases.
/// </summary>
public static class Generate
{
    public static int Run(string dbPath, int count, int seed = 20210521)
    {
        var db = new Db($"Data Source={dbPath}");
        Migrator.Apply(db);
        DemoContent.LoadIfEmpty(db);

        var demo = JsonNode.Parse(typeof(Db).Assembly.GetManifestResourceStream("Cms.DemoContent.json")!)!;
        var text = string.Concat(demo["articles"]!.AsArray().Select(a => HtmlText.Of((string?)a!["bodyHtml"]) + "。"))
            + (string?)demo["leadershipMessage"]!["bodyHtml"];
        var sentences = HtmlText.Of(text)!.Split(['。', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(s => s.Length > 8).Distinct().ToArray();
        var phrases = sentences.SelectMany(s => s.Split([',', '、', ':', '“', '”', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(p => p.Length is >= 4 and <= 16).Distinct().ToArray();
        string[] sources = ["商务部投资促进事务局", "新华社", "人民日报", "中国日报", "经济日报", "商务部网站"];
        string[] types = ["original", "original", "original", "reprint", "translation", "excerpt"];
        string[] tags = ["中博会", "产城中国", "市长论坛", "投资促进", "数字经济", "文旅", "对外投资", "营商环境"];

        using var conn = db.Open();
        var columns = new SqliteCommand("SELECT id FROM categories WHERE kind IN ('list', 'topic') ORDER BY id", conn).ExecuteReader();
        var columnIds = new List<long>();
        while (columns.Read())
            columnIds.Add(columns.GetInt64(0));
        columns.Close();
        var start = Convert.ToInt64(new SqliteCommand("SELECT coalesce(max(id), 0) FROM articles", conn).ExecuteScalar());

        var rng = new Random(seed);
        var clock = Stopwatch.StartNew();
        var now = DateTimeOffset.UtcNow;
        const int batch = 2000;
        for (var done = 0; done < count;)
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
                var id = start + done + i + 1;
                var at = now.AddMinutes(-rng.Next(0, 5 * 365 * 24 * 60));
                var body = new StringBuilder();
                for (var k = rng.Next(3, 8); k > 0; k--)
                    body.Append("<p>").Append(sentences[rng.Next(sentences.Length)]).Append('。').Append(sentences[rng.Next(sentences.Length)]).Append("。</p>");
                p["$id"].Value = id;
                p["$slug"].Value = $"b{id}";
                p["$legacy"].Value = at.ToString("yyyyMM") + (id % 100_000_000).ToString("D8");
                p["$cat"].Value = columnIds[rng.Next(columnIds.Count)];
                // every generated sentence comes from the same small demo text, so its words are in most articles; one
                // article in a thousand also carries a rare word, for searches as specific as real ones
                p["$title"].Value = $"{phrases[rng.Next(phrases.Length)]}——{phrases[rng.Next(phrases.Length)]}" + (id % 1000 == 0 ? "(招商引资)" : "");
                p["$summary"].Value = sentences[rng.Next(sentences.Length)] + "。";
                p["$body"].Value = body.ToString();
                p["$source"].Value = sources[rng.Next(sources.Length)];
                p["$type"].Value = types[rng.Next(types.Length)];
                p["$at"].Value = UtcTime.ToDb(at);
                insert.ExecuteNonQuery();
                tagId.Value = id;
                tagText.Value = tags[rng.Next(tags.Length)];
                tag.ExecuteNonQuery();
            }
            tx.Commit();
            done += n;
            Progress(done, count, clock.Elapsed);
        }
        Console.Error.WriteLine();
        new SqliteCommand("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;", conn).ExecuteNonQuery();
        return 0;
    }

    private static void Progress(int done, int total, TimeSpan elapsed)
    {
        const int width = 30;
        var filled = (int)((long)done * width / total);
        var rate = done / Math.Max(elapsed.TotalSeconds, 0.001);
        Console.Error.Write($"\r  [{new string('#', filled)}{new string('.', width - filled)}] {done * 100L / total,3}% {done}/{total} articles, {rate:F0}/s   ");
    }
}
