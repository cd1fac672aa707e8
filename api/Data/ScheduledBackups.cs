namespace Cms.Api.Data;

/// <summary>
/// Cms:Backup:Folder with Cms:Backup:Every (a time span, e.g. 1.00:00:00 for daily) makes a verified backup on that
/// schedule, named by its UTC time, and keeps the newest Cms:Backup:Keep (default 7) with their manifests. Of several
/// instances on PostgreSQL, the one that leads (Leadership) makes them.
/// </summary>
public sealed class ScheduledBackups(Db db, IConfiguration config, Features.Media.MediaStore media, ILogger<ScheduledBackups> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var folder = config["Cms:Backup:Folder"];
        if (string.IsNullOrEmpty(folder) || !TimeSpan.TryParse(config["Cms:Backup:Every"], System.Globalization.CultureInfo.InvariantCulture, out var every)
            || every <= TimeSpan.Zero)
            return;
        var keep = Math.Max(1, config.GetValue("Cms:Backup:Keep", 7));
        // several instances on one PostgreSQL database: one of them makes the backups
        await using var lead = await Leadership.AcquireAsync(db, Leadership.BackupsKey, stop);
        using var timer = new PeriodicTimer(every);
        while (await timer.WaitForNextTickAsync(stop))
        {
            try
            {
                var file = Path.Combine(folder, $"cms-{DateTime.UtcNow:yyyyMMdd'T'HHmmssfff'Z'}.db");
                var m = await Backups.BackupAsync(db, file, stop, media.Options.Root);
                log.LogInformation("Backed up to {File} ({Bytes} bytes)", file, m.Bytes);
                foreach (var old in Directory.GetFiles(folder, "cms-*.db").Order(StringComparer.Ordinal).SkipLast(keep))
                {
                    File.Delete(old);
                    File.Delete(Backups.ManifestPath(old));
                    if (Directory.Exists(Backups.MediaPath(old)))
                        Directory.Delete(Backups.MediaPath(old), recursive: true);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Scheduled backup failed");
            }
        }
    }
}
