using Cms.Api.Data;
using Cms.Api.Http;
using Microsoft.Extensions.Configuration;

namespace Cms.Api.Cli;

/// <summary><c>dotnet run --project api -- audit verify</c>: walks the audit log's hash chain; exit 1 at the first row that does not hold.</summary>
public static class AuditCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not ["verify"])
        {
            await Console.Error.WriteLineAsync("usage: audit verify\nThe database is ConnectionStrings:Cms, else CMS_DB, else data/cms.db.");
            return 2;
        }
        var config = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var db = Startup.OpenDb(config);
        if (!db.IsPostgres && !File.Exists(db.FilePath))
        {
            await Console.Error.WriteLineAsync($"audit verify: there is no database at {db.FilePath}");
            return 2;
        }
        Migrator.Apply(db);
        var (rows, broken) = await AuditTrail.VerifyAsync(db, CancellationToken.None);
        if (broken is { } id)
        {
            Console.WriteLine($"audit log BROKEN at row {id}: it or the row before it was changed, or a row was removed ({rows} rows before it hold)");
            return 1;
        }
        Console.WriteLine($"audit log intact: {rows} rows, every hash and link holds");
        return 0;
    }
}
