using System.Data;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Data;

/// <summary>One connection per unit of work; pragmas on every open. Public reads rent prepared connections (Read).</summary>
public sealed class Db : IDisposable
{
    private readonly string _connectionString;
    private readonly ReadPool _reads;

    public Db(string connectionString)
    {
        var csb = new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = 15 };
        _connectionString = csb.ConnectionString;
        FilePath = csb.DataSource;
        _reads = new ReadPool(Open);
    }

    public string FilePath { get; }

    /// <summary>An open connection for reads, with the statements it ran before still prepared; dispose to give it back.</summary>
    public ReadConnection Read() => _reads.Rent();

    public void Dispose() => _reads.Dispose();

    static Db()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        // Dapper maps DateTimeOffset itself unless the built-in map is removed first.
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
        SqlMapper.AddTypeHandler(new UtcTimeHandler());
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken ct = default)
    {
        var conn = new SqliteConnection(_connectionString);
        await conn.OpenAsync(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = Pragmas;
        await cmd.ExecuteNonQueryAsync(ct);
        AddFunctions(conn);
        return conn;
    }

    public SqliteConnection Open()
    {
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

public static class DynamicParametersExtensions
{
    /// <summary>Adds the properties of <paramref name="more"/> to the parameters.</summary>
    public static DynamicParameters With(this DynamicParameters p, object more)
    {
        p.AddDynamicParams(more);
        return p;
    }
}
