namespace Cms.Api.Data;

/// <summary>
/// The few places where SQLite's and PostgreSQL's SQL differ. Endpoints keep their SQL beside them and name the
/// difference here, by these members, at the point of the query; everything else is written once in the SQL both
/// stores speak (text times in one UTC format, 0/1 flags, RETURNING, ON CONFLICT).
/// </summary>
public static class Sql
{
    private static StoreKind? _store;

    /// <summary>The store of this process (one per process: the app, a CLI command or a test run).</summary>
    public static StoreKind Store => _store ?? StoreKind.Sqlite;

    public static bool Postgres => Store == StoreKind.Postgres;

    internal static void Use(StoreKind store)
    {
        if (_store is { } s && s != store)
            throw new InvalidOperationException($"This process already uses {s}; one process uses one store.");
        _store = store;
    }

    /// <summary>The ids of a list parameter (bound as a JSON array, see ReadConnection and Ids()), as a subquery: <c>id IN (…)</c>.</summary>
    public static string Ids(string parameter) => Postgres
        ? $"SELECT CAST(value AS bigint) FROM json_array_elements_text(CAST({parameter} AS json))"
        : $"SELECT value FROM json_each({parameter})";

    /// <summary>
    /// <c>IN</c> a list parameter bound by Dapper: on SQLite Dapper expands it to (@x1, @x2, …); Npgsql takes the list
    /// as one array parameter, compared with = ANY.
    /// </summary>
    public static string InList(string parameter) => Postgres ? $"= ANY({parameter})" : $"IN {parameter}";

    /// <summary>The values of <paramref name="expression"/> in a group, joined by <paramref name="separator"/> (an SQL string literal).</summary>
    public static string Joined(string expression, string separator = "','") => Postgres
        ? $"string_agg(CAST({expression} AS text), {separator})"
        : $"group_concat({expression}, {separator})";

    /// <summary>True when <paramref name="haystack"/> holds <paramref name="needle"/> as a substring (case and all).</summary>
    public static string Holds(string haystack, string needle) => Postgres
        ? $"strpos({haystack}, {needle}) > 0"
        : $"instr({haystack}, {needle}) > 0";

    /// <summary>yyyyMM of a stored UTC time in China Standard Time (UTC+8, no daylight saving).</summary>
    public static string MonthInChina(string time) => Postgres
        ? $"to_char(CAST({time} AS timestamp) + interval '8 hours', 'YYYYMM')"
        : $"strftime('%Y%m', {time}, '+8 hours')";

    /// <summary>A stored UTC time as whole seconds since 1970.</summary>
    public static string UnixSeconds(string time) => Postgres
        ? $"CAST(floor(extract(epoch FROM CAST({time} AS timestamptz))) AS bigint)"
        : $"unixepoch({time})";

    /// <summary>
    /// An inner join whose left side stays the outer loop: SQLite's planner keeps the order of a CROSS JOIN (with ON);
    /// PostgreSQL allows no ON there and plans the order itself.
    /// </summary>
    public static string JoinInOrder => Postgres ? "JOIN" : "CROSS JOIN";

    /// <summary>Bytes as a parameter's type for a BLOB (SQLite) or bytea (PostgreSQL) column.</summary>
    public static string Blob(string parameter) => Postgres ? $"CAST({parameter} AS bytea)" : $"CAST({parameter} AS BLOB)";
}
