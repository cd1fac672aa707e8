using Cms.Api.Data;
using Microsoft.Extensions.Configuration;

namespace Cms.Api.Cli;

/// <summary>
/// <c>dotnet run --project api -- backup FILE</c>: an online, consistent, verified copy with FILE.manifest.json beside it.
/// <c>… restore FILE</c>: checks FILE against its manifest, then replaces the live content with it (running instances go
/// on serving and drop their cached answers; partners' sync cursors from before answer 410: they take a fresh snapshot).
/// </summary>
public static class BackupCommand
{
    private const string Usage = """
        usage: backup FILE     write a verified copy of the database to FILE (and FILE.manifest.json)
               restore FILE    replace the database's content with FILE, after checking it against its manifest
        The database is ConnectionStrings:Cms, else CMS_DB, else data/cms.db.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 2)
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }
        var config = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var db = Startup.OpenDb(config);
        try
        {
            if (args[0] == "backup")
            {
                Migrator.Apply(db);
                var m = await Backups.BackupAsync(db, args[1], mediaRoot: Features.Media.MediaOptions.From(config, db.FilePath).Root);
                Console.WriteLine($"Backed up {db.FilePath} to {Path.GetFullPath(args[1])} ({m.Bytes:N0} bytes, {m.Tables["articles"].Rows:N0} articles, integrity ok).");
                if (m.Media is { Files: > 0 } media)
                    Console.WriteLine($"Media: {media.Files:N0} files ({media.Bytes:N0} bytes) in {Backups.MediaPath(Path.GetFullPath(args[1]))}");
                Console.WriteLine($"Manifest: {Backups.ManifestPath(Path.GetFullPath(args[1]))}");
                return 0;
            }
            if (!db.IsPostgres && !File.Exists(db.FilePath))
            {
                await Console.Error.WriteLineAsync($"No database at {db.FilePath} to restore into.");
                return 1;
            }
            var manifest = await Backups.RestoreAsync(db, args[1], mediaRoot: Features.Media.MediaOptions.From(config, db.FilePath).Root);
            Console.WriteLine($"Restored {db.FilePath} from {Path.GetFullPath(args[1])} (backup of {manifest.CreatedAt}, {manifest.Tables["articles"].Rows:N0} articles).");
            Console.WriteLine("A new sync epoch has started: partners' cursors from before answer 410 and they take a fresh snapshot.");
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            await Console.Error.WriteLineAsync($"{args[0]} failed: {e.Message}");
            return 1;
        }
    }
}
