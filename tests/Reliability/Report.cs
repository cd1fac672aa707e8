using System.Collections.Concurrent;

namespace Cms.Tests.Reliability;

/// <summary>
/// The hostile tests' figures. `make test` runs each at a small scale; `make reliability` (CMS_RELIABILITY=full) at
/// full scale and writes the table to bench/results/reliability.md.
/// </summary>
public static class Report
{
    public static bool Full => Environment.GetEnvironmentVariable("CMS_RELIABILITY") == "full";

    /// <summary>The small figure in make test, the large one in make reliability.</summary>
    public static int Scale(int small, int full) => Full ? full : small;

    private static readonly ConcurrentDictionary<string, (string Figures, string Goal, bool Met)> Rows = new();

    public static void Row(string harness, string figures, string goal, bool met)
    {
        Rows[harness] = (figures, goal, met);
        TestContext.Progress.WriteLine($"reliability: {harness}: {figures} (goal: {goal}) {(met ? "met" : "NOT MET")}");
    }

    public static string Table() =>
        "| harness | figures | goal | met |\n|---|---|---|---|\n" +
        string.Concat(Rows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"| {r.Key} | {r.Value.Figures} | {r.Value.Goal} | {(r.Value.Met ? "yes" : "**no**")} |\n"));

    public static void Write()
    {
        if (Rows.IsEmpty)
            return;
        var scale = Full ? "full" : "small (make test)";
        var text = $"## Reliability, {scale} scale\n\n{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores.\n\n{Table()}";
        var target = Full ? Path.Combine(Api.Repo.Root, "bench", "results", "reliability.md") : Path.Combine(Api.Repo.Root, "TestResults", "reliability.md");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllText(target, text);
    }
}

[SetUpFixture]
public sealed class ReportWriter
{
    [OneTimeTearDown]
    public void WriteTable() => Report.Write();
}
