using System.Data;
using System.Globalization;
using Dapper;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cms.Api.Data;

/// <summary>Which database holds the content: one SQLite file (the default) or a PostgreSQL database shared by several instances.</summary>
public enum StoreKind
{
    Sqlite,
    Postgres,
}

/// <summary>
/// One connection per unit of work; pragmas on every SQLite open. Public reads rent prepared connections (Read).
/// Writes begin with <see cref="DbWrites.BeginWrite"/>, which serializes them on both stores (see there).
/// </summary>
public sealed class Db : IDisposable
{
    private readonly string _connectionString;
    private readonly ReadPool _reads;
    private readonly NpgsqlDataSource? _postgres;

    public Db(string connectionString, StoreKind store = StoreKind.Sqlite)
    {
        Store = store;
        Sql.Use(store);
        if (store == StoreKind.Postgres)
        {
            var csb = new NpgsqlConnectionStringBuilder(connectionString);
            // statements used twice are prepared on the server, per pooled connection (what ReadPool does for SQLite)
            if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
                csb.MaxAutoPrepare = 256;
            if (string.IsNullOrEmpty(csb.ApplicationName))
                csb.ApplicationName = "cms";
            // no JIT: search's costed checks (migration postgres/002) pass its threshold, and compiling took half a
            // second for a query that runs in five milliseconds
            if (!(csb.Options ?? "").Contains("jit", StringComparison.OrdinalIgnoreCase))
                csb.Options = $"{csb.Options} -c jit=off".Trim();
            _connectionString = csb.ConnectionString;
            FilePath = "";
            Describe = $"PostgreSQL database {csb.Database} on {csb.Host}:{csb.Port}";
            _postgres = new NpgsqlDataSourceBuilder(_connectionString).Build();
        }
        else
        {
            var csb = new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = 15 };
            _connectionString = csb.ConnectionString;
            FilePath = csb.DataSource;
            Describe = FilePath;
        }
        _reads = new ReadPool(Open);
    }

    public StoreKind Store { get; }

    /// <summary>Threads the pool keeps ready on PostgreSQL (Program): at least as many as concurrent uncached reads expected.</summary>
    public const int PostgresReadThreads = 128;

    public bool IsPostgres => Store == StoreKind.Postgres;

    /// <summary>The SQLite file; empty on PostgreSQL.</summary>
    public string FilePath { get; }

    /// <summary>Where the content lives, for people: the file's path or the PostgreSQL database and server.</summary>
    public string Describe { get; }

    /// <summary>The connection string as opened (PostgreSQL: for pg_dump and psql; it may hold a password).</summary>
    public string ConnectionString => _connectionString;

    /// <summary>An open connection for reads, with the statements it ran before still prepared; dispose to give it back.</summary>
    public ReadConnection Read() => _reads.Rent();

    public void Dispose()
    {
        _reads.Dispose();
        _postgres?.Dispose();
    }

    static Db()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        // Dapper maps DateTimeOffset itself unless the built-in map is removed first.
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
        SqlMapper.AddTypeHandler(new UtcTimeHandler());
        // flags are INTEGER 0/1 on both stores (PostgreSQL would otherwise send a boolean, which it will not compare with one)
        SqlMapper.RemoveTypeMap(typeof(bool));
        SqlMapper.RemoveTypeMap(typeof(bool?));
        SqlMapper.AddTypeHandler(new FlagHandler());
    }

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (_postgres is not null)
            return await _postgres.OpenConnectionAsync(ct);
        var conn = new SqliteConnection(_connectionString);
        await conn.OpenAsync(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = Pragmas;
        await cmd.ExecuteNonQueryAsync(ct);
        AddFunctions(conn);
        return conn;
    }

    public DbConnection Open()
    {
        if (_postgres is not null)
            return _postgres.OpenConnection();
        var conn = new SqliteConnection(_connectionString);
        conn.Open();
        conn.Execute(Pragmas);
        AddFunctions(conn);
        return conn;
    }

    private const string Pragmas = "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000;";

    /// <summary>
    /// For the search index triggers: html_text(html), the plain text of a sanitized body; search_tokens(title) and
    /// search_tokens(subtitle, summary, body, source), the index's tokens (SearchTokens).
    /// </summary>
    public static void AddFunctions(SqliteConnection conn)
    {
        conn.CreateFunction<string?, string?>("html_text", HtmlText.Of, isDeterministic: true);
        conn.CreateFunction<string?, string>("search_tokens", t => SearchTokens.Of(t), isDeterministic: true);
        conn.CreateFunction<string?, string?, string?, string?, string>("search_tokens", (a, b, c, d) => SearchTokens.Of(a, b, c, d), isDeterministic: true);
    }
}

public static class DbWrites
{
    /// <summary>
    /// Every write's transaction. SQLite: BEGIN IMMEDIATE, one writer at a time for the file. PostgreSQL: the same
    /// one-writer rule across every instance, by a transaction-scoped advisory lock taken first; so the change log's
    /// numbers are handed out in commit order and a sync reader or cache never passes a change that is not yet visible
    /// (sequence values alone are not commit order), and read-then-write checks see what the last writer committed.
    /// Reads never wait for it.
    /// </summary>
    public static DbTransaction BeginWrite(this DbConnection conn)
    {
        var tx = conn.BeginTransaction();
        if (conn is NpgsqlConnection)
            conn.Execute("SELECT pg_advisory_xact_lock(@key)", new { key = WriteLockKey }, tx);
        return tx;
    }

    public static async Task<DbTransaction> BeginWriteAsync(this DbConnection conn, CancellationToken ct = default)
    {
        var tx = await conn.BeginTransactionAsync(ct);
        if (conn is NpgsqlConnection)
            await conn.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = WriteLockKey }, tx, cancellationToken: ct));
        return tx;
    }

    /// <summary>The advisory lock key of writes (any fixed number; other keys elect the publisher and the like).</summary>
    public const long WriteLockKey = 0x636d73_0001;
}

/// <summary>What a failed statement means, on either store.</summary>
public static class DbErrors
{
    /// <summary>
    /// A UNIQUE (or primary key) violation of <paramref name="table"/>.<paramref name="column"/>; on PostgreSQL the
    /// constraint is named {table}_{column}_key, as PostgreSQL names it when the schema does not.
    /// </summary>
    public static bool IsUnique(Exception e, string table, string column) => e switch
    {
        SqliteException s => s.SqliteErrorCode == 19 && s.Message.Contains($"{table}.{column}", StringComparison.Ordinal),
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation && p.ConstraintName == $"{table}_{column}_key",
        _ => false,
    };

    /// <summary>Any constraint violation: UNIQUE, FOREIGN KEY, CHECK, NOT NULL.</summary>
    public static bool IsConstraint(Exception e) => e switch
    {
        SqliteException s => s.SqliteErrorCode == 19,
        PostgresException p => p.SqlState.StartsWith("23", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>An error of the store itself (not of the statement's data).</summary>
    public static bool IsStore(Exception e) => e is DbException;
}

public static partial class HtmlText
{
    [System.Text.RegularExpressions.GeneratedRegex("<[^>]*>")]
    private static partial System.Text.RegularExpressions.Regex Tag();

    [System.Text.RegularExpressions.GeneratedRegex(@"\s+")]
    private static partial System.Text.RegularExpressions.Regex Space();

    /// <summary>Tags become spaces, entities characters, runs of white space one space.</summary>
    public static string? Of(string? html) =>
        html is null ? null : Space().Replace(System.Net.WebUtility.HtmlDecode(Tag().Replace(html, " ")), " ").Trim();
}

/// <summary>Times are stored as UTC text in one fixed format, so string order is time order.</summary>
public static class UtcTime
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string ToDb(DateTimeOffset value) => value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static DateTimeOffset FromDb(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static string Now() => ToDb(DateTimeOffset.UtcNow);
}

internal sealed class UtcTimeHandler : SqlMapper.TypeHandler<DateTimeOffset>
{
    public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
    {
        parameter.DbType = DbType.String;
        parameter.Value = UtcTime.ToDb(value);
    }

    public override DateTimeOffset Parse(object value) => UtcTime.FromDb((string)value);
}

/// <summary>Flags are stored as 0/1 on both stores.</summary>
internal sealed class FlagHandler : SqlMapper.TypeHandler<bool>
{
    public override void SetValue(IDbDataParameter parameter, bool value)
    {
        parameter.DbType = DbType.Int64;
        parameter.Value = value ? 1L : 0L;
    }

    public override bool Parse(object value) => value is bool b ? b : Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0;
}

public static class DynamicParametersExtensions
{
    /// <summary>Adds the properties of <paramref name="more"/> to the parameters.</summary>
    public static DynamicParameters With(this DynamicParameters p, object more)
    {
        p.AddDynamicParams(more);
        return p;
    }
}
