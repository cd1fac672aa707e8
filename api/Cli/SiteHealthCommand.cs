using System.Text.Json;
using Cms.Api.Data;
using Cms.Api.Features.Health;
using Cms.Api.Http;

namespace Cms.Api.Cli;

/// <summary><c>dotnet run --project api -- site-health [--json]</c>: the inspection report; exit 1 when something needs fixing.</summary>
public static class SiteHealthCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not ([] or ["--json"]))
        {
            await Console.Error.WriteLineAsync("usage: site-health [--json]\nThe database is ConnectionStrings:Cms, else CMS_DB, else data/cms.db; settings under Cms:SiteHealth.");
            return 2;
        }
        var config = new ConfigurationBuilder().AddJsonFile("appsettings.json", optional: true).AddEnvironmentVariables().Build();
        var db = Startup.OpenDb(config);
        if (!db.IsPostgres && !File.Exists(db.FilePath))
        {
            await Console.Error.WriteLineAsync($"site-health: there is no database at {db.FilePath}");
            return 2;
        }
        Migrator.Apply(db);
        var report = await SiteHealth.RunAsync(db, SiteHealthOptions.From(config), Startup.WebRoot(), CancellationToken.None);
        if (args is ["--json"])
            Console.WriteLine(JsonSerializer.Serialize(report, Json.Options));
        else
        {
            var s = report.Summary;
            Console.WriteLine($"空白栏目 blank columns:          {s.BlankColumns}  {string.Join("、", report.BlankColumns.Select(c => c.Name))}");
            Console.WriteLine($"更新不及时 stale columns:        {s.StaleColumns}  {string.Join("、", report.StaleColumns.Select(c => $"{c.Name}({c.DaysSince} 天)"))}");
            Console.WriteLine($"死链 dead links:                {s.DeadLinks}");
            foreach (var d in report.DeadLinks.Take(20))
                Console.WriteLine($"    {d.Entity} {d.Id} {d.Title}: {d.Url}");
            Console.WriteLine($"无替代文字 images without alt:   {s.ImagesWithoutAlt}");
            Console.WriteLine($"缺少设置 missing settings:       {s.MissingSettings}  {string.Join("、", report.MissingSettings.Select(m => m.Label))}");
            Console.WriteLine($"无文章来源 without 文章来源:      {s.ArticlesWithoutSource}");
            Console.WriteLine($"外部链接 external links:         {s.ExternalLinks} (listed with --json)");
            Console.WriteLine(s.Passed ? "passed" : "needs attention");
        }
        return report.Summary.Passed ? 0 : 1;
    }
}
