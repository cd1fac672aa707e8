using System.Data.Common;
using Dapper;

namespace Cms.Api.Data;

/// <summary>
/// One instance of several does a job (the publisher, scheduled backups): on PostgreSQL the one holding a session
/// advisory lock, taken on a connection of its own and held while the job runs; when that instance stops or loses its
/// connection, the lock is freed and another takes the job within a few seconds. On SQLite there is one instance per
/// file and it always leads.
/// </summary>
public sealed class Leadership : IAsyncDisposable
{
    public const long PublisherKey = 0x636d73_0010;
    public const long BackupsKey = 0x636d73_0011;

    private readonly DbConnection? _conn;

    private Leadership(DbConnection? conn) => _conn = conn;

    /// <summary>Waits until this instance leads for <paramref name="key"/>.</summary>
    public static async Task<Leadership> AcquireAsync(Db db, long key, CancellationToken stop)
    {
        if (!db.IsPostgres)
            return new Leadership(null);
        while (true)
        {
            DbConnection? conn = null;
            try
            {
                conn = await db.OpenAsync(stop);
                if (await conn.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_try_advisory_lock(@key)", new { key }, cancellationToken: stop)))
                    return new Leadership(conn);
            }
            catch (Exception e) when (e is DbException or TimeoutException)
            {
                // the database is away: try again below
            }
            if (conn is not null)
                await conn.DisposeAsync();
            await Task.Delay(TimeSpan.FromSeconds(3), stop);
        }
    }

    /// <summary>Completes when this instance no longer leads (its connection failed); never on SQLite.</summary>
    public async Task LostAsync(CancellationToken stop)
    {
        if (_conn is null)
        {
            await Task.Delay(Timeout.Infinite, stop);
            return;
        }
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(2), stop);
            try
            {
                await _conn.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: stop));
            }
            catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_conn is not null)
            await _conn.DisposeAsync();   // closing the session frees the lock
    }
}
