using System.Diagnostics;
using Cms.Tests.Api;

namespace Cms.Tests.Bench;

/// <summary>make bench end to end on a tiny database, so the script never rots.</summary>
[TestFixture]
public sealed class BenchScriptTests
{
    /// <summary>The SQLite default, and PostgreSQL with two instances behind nginx (make bench STORE=postgres INSTANCES=2).</summary>
    [TestCase("sqlite", 1, "n-200.md")]
    [TestCase("postgres", 2, "n-200-postgres-x2.md")]
    public void Bench_runs_end_to_end_on_200_articles(string store, int instances, string reportName)
    {
        var work = Path.Combine(Path.GetTempPath(), $"cms-bench-{Guid.NewGuid():N}");
        var psi = new ProcessStartInfo("bash", [Path.Combine(Repo.Root, "bench", "run.sh")])
        {
            WorkingDirectory = Repo.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["BENCH_N"] = "200";
        psi.Environment["BENCH_SECONDS"] = "1";
        psi.Environment["BENCH_WARM"] = "2";
        psi.Environment["BENCH_UNCACHED"] = "1";
        psi.Environment["BENCH_OUT"] = Path.Combine(work, "results");
        psi.Environment["BENCH_WORK"] = work;
        psi.Environment["BENCH_API_PORT"] = "5491";
        psi.Environment["BENCH_NGINX_PORT"] = "5492";
        psi.Environment["BENCH_LUCENE_PORT"] = "5493";
        psi.Environment["BENCH_PG_PORT"] = "5494";
        psi.Environment["STORE"] = store;
        psi.Environment["INSTANCES"] = instances.ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            var stdout = p.StandardOutput.ReadToEnd();
            Assert.That(p.WaitForExit(TimeSpan.FromMinutes(8)), Is.True, "bench did not finish in 8 minutes");
            Assert.That(p.ExitCode, Is.Zero, stdout + stderr.Result);

            var report = File.ReadAllText(Path.Combine(work, "results", reportName));
            TestContext.Out.WriteLine(report);
            Assert.That(File.ReadAllText(Path.Combine(work, "results", "latest.md")), Does.Contain(report.Trim()));
            Assert.That(report, Does.Contain("cold start").And.Contain("peak RSS"));
            Assert.That(report.Split('\n')[0], instances > 1 ? Does.Contain($"{instances} instances behind nginx") : Does.Not.Contain("instances"));
            Assert.That(report, Does.Contain("Published pages").And.Contain("|published article page (HTML) by nginx|").And.Contain("p95"));
            var pageRow = report.Split('\n').First(l => l.StartsWith("|published article page (HTML) by nginx|", StringComparison.Ordinal)).Split('|');
            Assert.That(long.Parse(pageRow[3], System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0), "nginx served the published page");
            foreach (var line in report.Split('\n').Where(l => l.StartsWith("|published article page", StringComparison.Ordinal)
                         || l.StartsWith("|the same page served by the API", StringComparison.Ordinal) || l.StartsWith("|the article's JSON", StringComparison.Ordinal)))
                Assert.That(line.Split('|')[6], Is.EqualTo("0"), "errors: " + line);
            var rows = report.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| endpoint", StringComparison.Ordinal)).ToList();
            string[] endpoints = ["article", "list page 1", "list page 50", "site bundle", "column RSS", "search 4 chars", "search 4 chars, rare", "search 2 chars"];
            Assert.That(rows, Has.Count.EqualTo(endpoints.Length * 2 + 5 + 3), "a cached and an uncached row per endpoint, five compressed rows, three under writes");
            var writesTable = report[report.IndexOf("Under writes", StringComparison.Ordinal)..].Split("\n\n")[1];
            foreach (var line in writesTable.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| endpoint", StringComparison.Ordinal)))
            {
                var cells = line.Split('|', StringSplitOptions.TrimEntries);
                Assert.That(long.Parse(cells[3], System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0), line);
                Assert.That(cells[7], Is.EqualTo("0"), line);
                Assert.That(int.Parse(cells[8], System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0), "the writer published: " + line);
            }
            var compressedTable = report[report.IndexOf("Compressed", StringComparison.Ordinal)..].Split("\n\n")[1];
            foreach (var line in compressedTable.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| endpoint", StringComparison.Ordinal)))
            {
                var cells = line.Split('|', StringSplitOptions.TrimEntries);
                var identity = long.Parse(cells[2], System.Globalization.CultureInfo.InvariantCulture);
                var br = long.Parse(cells[3], System.Globalization.CultureInfo.InvariantCulture);
                Assert.That(br, identity >= 512 ? Is.LessThan(identity) : Is.EqualTo(identity), line);   // small answers go uncompressed
                Assert.That(long.Parse(cells[5], System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0), line);
                Assert.That(cells[8], Is.EqualTo("0"), line);
            }
            foreach (var name in endpoints)
            {
                var cells = rows.First(r => r.StartsWith($"| {name} |", StringComparison.Ordinal)).Split('|', StringSplitOptions.TrimEntries);
                Assert.That(long.Parse(cells[3], System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0), $"{name}: API req/s");
                Assert.That(cells[6], Is.EqualTo("0"), $"{name}: API errors and timeouts");
                Assert.That(long.Parse(cells[7], System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0), $"{name}: nginx req/s");
            }
            // the search index's size (bench/pages.py on SQLite, pg_total_relation_size on PostgreSQL): bytes and articles counted
            var indexRow = report.Split('\n').First(l => l.StartsWith("|API: ", StringComparison.Ordinal)).Split('|', StringSplitOptions.TrimEntries);
            Assert.That(long.Parse(indexRow[2], System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0), "search index bytes");
            Assert.That(long.Parse(indexRow[3], System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0), "published articles");
            Assert.That(report, Does.Not.Contain("failed (see above)"));
        }
        finally
        {
            if (Directory.Exists(work))
                Directory.Delete(work, recursive: true);
        }
    }
}
