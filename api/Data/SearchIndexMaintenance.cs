using Dapper;

namespace Cms.Api.Data;

/// <summary>
/// Keeps the search index in few segments. Every write adds a small FTS5 segment and FTS5's automerge combines them
/// level by level, but a query still visits every segment left (some 20–30 at a million articles, several times the
/// cost of one). Once per Cms:SearchIndex:OptimizeEvery (default a day; 0 turns it off), after articles changed and
/// then stayed quiet for a minute, this merges the index into one segment in steps of a few hundred pages, each step
/// its own short transaction so writes go on in between.
/// </summary>
public sealed class SearchIndexMaintenance(Db db, IConfiguration config, ILogger<SearchIndexMaintenance> log) : BackgroundService
{
    private const int PagesPerStep = 256;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var every = config.GetValue("Cms:SearchIndex:OptimizeEvery", TimeSpan.FromDays(1));
        if (every <= TimeSpan.Zero || db.IsPostgres)   // PostgreSQL's GIN indexes need no merging of ours (autovacuum)
            return;
        var quiet = TimeSpan.FromMinutes(1);
        long done = -1;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Min(every.TotalSeconds, 60)));
        var last = DateTimeOffset.UtcNow;
        while (await timer.WaitForNextTickAsync(stop))
        {
            try
            {
                await using var conn = await db.OpenAsync(stop);
                var (seq, at) = await conn.QuerySingleAsync<(long, string?)>(
                    "SELECT coalesce(max(seq), 0), max(at) FROM (SELECT seq, at FROM changes WHERE entity = 'article' ORDER BY seq DESC LIMIT 1) AS last_change");
                if (done < 0)
                    done = seq;   // a restart does not optimize an index nobody has written to since
                if (seq == done || DateTimeOffset.UtcNow - last < every || (at is not null && DateTimeOffset.UtcNow - UtcTime.FromDb(at) < quiet))
                    continue;
                var steps = await OptimizeAsync(conn, stop);
                log.LogInformation("Search index merged in {Steps} steps", steps);
                done = seq;
                last = DateTimeOffset.UtcNow;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Search index maintenance failed");
            }
        }
    }

    /// <summary>Merges each search index into one segment, a few hundred pages per transaction; returns the number of steps.</summary>
    public static async Task<int> OptimizeAsync(System.Data.Common.DbConnection conn, CancellationToken ct, int pagesPerStep = PagesPerStep)
    {
        var steps = 0;
        foreach (var table in new[] { "article_search", "article_search_title" })
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                steps++;
                // a negative page count merges across levels towards one segment; fewer than 2 changed rows means nothing was left
                var before = await conn.ExecuteScalarAsync<long>("SELECT total_changes()");
                await conn.ExecuteAsync($"INSERT INTO {table} ({table}, rank) VALUES ('merge', @pages)", new { pages = -pagesPerStep });
                if (await conn.ExecuteScalarAsync<long>("SELECT total_changes()") - before < 2)
                    break;
                await Task.Delay(10, ct);
            }
        }
        return steps;
    }
}
