using System.Collections;
using System.Collections.Concurrent;
using System.Data.Common;
using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Data;

/// <summary>
/// Open connections for the public read paths, each keeping its statements prepared: SQLite spends more time preparing
/// a statement than running an indexed one, so a page that is not cached runs statements prepared once per connection.
/// Rows are mapped by Dapper, as everywhere else. Writes keep using <see cref="Db.OpenAsync"/>.
/// </summary>
public sealed class ReadPool(Func<DbConnection> open) : IDisposable
{
    private const int MaxIdle = 64;
    private readonly ConcurrentBag<ReadConnection> _idle = [];
    private int _idleCount;
    private volatile bool _disposed;

    public ReadConnection Rent()
    {
        if (_idle.TryTake(out var c))
        {
            Interlocked.Decrement(ref _idleCount);
            return c;
        }
        return new ReadConnection(this, open());
    }

    internal void Return(ReadConnection c)
    {
        // Npgsql pools connections itself: one held here would be one fewer for a writer (a pool emptied by readers
        // kept idle here, while a writer holding the write lock waits for one more, would stall every write)
        if (c.Pooled)
        {
            c.Close();
            return;
        }
        if (_disposed || c.Broken || Interlocked.Increment(ref _idleCount) > MaxIdle)
        {
            if (!c.Broken && !_disposed)
                Interlocked.Decrement(ref _idleCount);
            c.Close();
            return;
        }
        _idle.Add(c);
        if (_disposed)
            Dispose();
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var c))
            c.Close();
    }
}

/// <summary>A rented read connection; disposing it gives it back with its prepared statements.</summary>
public sealed class ReadConnection : IDisposable
{
    private const int MaxStatements = 256;
    private readonly ReadPool _pool;
    private readonly DbConnection _conn;
    private readonly Dictionary<string, DbCommand> _statements = new(StringComparer.Ordinal);

    internal ReadConnection(ReadPool pool, DbConnection conn)
    {
        _pool = pool;
        _conn = conn;
    }

    internal bool Broken { get; private set; }

    /// <summary>A connection of Npgsql's own pool, given back to it on return.</summary>
    internal bool Pooled => _conn is not SqliteConnection;

    /// <summary>Runs <paramref name="sql"/> (one or more statements) with the public properties of <paramref name="args"/> as @parameters.</summary>
    public ReadResults QueryMultiple(string sql, object? args = null)
    {
        DbCommand? cmd;
        if (_conn is not SqliteConnection)
        {
            // Npgsql: a new command each time (a reused one can keep the parameters it first bound); the server keeps
            // each statement prepared per connection once it has run twice (Max Auto Prepare, set by Db)
            cmd = _conn.CreateCommand();
            cmd.CommandText = sql;
        }
        else if (!_statements.TryGetValue(sql, out cmd))
        {
            if (_statements.Count >= MaxStatements)
                ClearStatements();
            cmd = _conn.CreateCommand();
            cmd.CommandText = sql;
            // without an explicit Prepare, Microsoft.Data.Sqlite prepares the statements again on every execution
            cmd.Prepare();
            _statements[sql] = cmd;
        }
        Bind(cmd, args);
        try
        {
            return new ReadResults(this, cmd.ExecuteReader());
        }
        catch
        {
            Broken = true;
            throw;
        }
    }

    public List<T> Query<T>(string sql, object? args = null)
    {
        using var r = QueryMultiple(sql, args);
        return r.Read<T>();
    }

    public T? QuerySingleOrDefault<T>(string sql, object? args = null)
    {
        using var r = QueryMultiple(sql, args);
        return r.ReadSingleOrDefault<T>();
    }

    public T QuerySingle<T>(string sql, object? args = null)
    {
        using var r = QueryMultiple(sql, args);
        return r.ReadSingle<T>();
    }

    internal void Fail() => Broken = true;

    public void Dispose() => _pool.Return(this);

    internal void Close()
    {
        ClearStatements();
        _conn.Dispose();
    }

    private void ClearStatements()
    {
        foreach (var c in _statements.Values)
            c.Dispose();
        _statements.Clear();
    }

    private static readonly ConcurrentDictionary<Type, (string Name, Type Type, Func<object, object?> Get)[]> Accessors = new();

    /// <summary>Binds as Dapper would: times as UTC text (UtcTime), flags as 0/1, lists as a JSON array for Sql.Ids(@list).</summary>
    private static void Bind(DbCommand cmd, object? args)
    {
        cmd.Parameters.Clear();
        if (args is null)
            return;
        var accessors = Accessors.GetOrAdd(args.GetType(), t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0)
            .Select(p => ("@" + p.Name, p.PropertyType, (Func<object, object?>)p.GetValue)).ToArray());
        foreach (var (name, type, get) in accessors)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = Value(get(args), native: cmd is not SqliteCommand);
            if (p.Value is DBNull)
                p.DbType = NullType(type);   // PostgreSQL cannot always infer the type of a null
            cmd.Parameters.Add(p);
        }
    }

    private static System.Data.DbType NullType(Type t) => (Nullable.GetUnderlyingType(t) ?? t) switch
    {
        var x when x == typeof(long) || x == typeof(int) || x == typeof(bool) => System.Data.DbType.Int64,
        var x when x == typeof(double) => System.Data.DbType.Double,
        var x when x == typeof(byte[]) => System.Data.DbType.Binary,
        _ => System.Data.DbType.String,
    };

    /// <param name="native">PostgreSQL: a string[] goes as a text[] (the planner sees its values), other lists as JSON.</param>
    private static object Value(object? v, bool native) => v switch
    {
        null => DBNull.Value,
        string[] texts when native => texts,
        DateTimeOffset t => UtcTime.ToDb(t),
        bool b => b ? 1L : 0L,
        string or byte[] => v,
        IEnumerable list => System.Text.Json.JsonSerializer.Serialize(list.Cast<object>()),
        Enum => throw new InvalidOperationException("Pass enums as their JSON text."),
        _ => v,
    };
}

/// <summary>The result sets of one command, read in order as with Dapper's QueryMultiple.</summary>
public sealed class ReadResults : IDisposable
{
    private readonly ReadConnection _owner;
    private readonly DbDataReader _reader;
    private bool _first = true;

    internal ReadResults(ReadConnection owner, DbDataReader reader)
    {
        _owner = owner;
        _reader = reader;
    }

    private void Next()
    {
        if (!_first && !_reader.NextResult())
            throw new InvalidOperationException("No more result sets.");
        _first = false;
    }

    public List<T> Read<T>()
    {
        try
        {
            Next();
            var list = new List<T>();
            if (_reader.FieldCount == 0)
                return list;
            var parse = _reader.GetRowParser<T>();
            while (_reader.Read())
                list.Add(parse(_reader));
            return list;
        }
        catch
        {
            _owner.Fail();
            throw;
        }
    }

    public T? ReadSingleOrDefault<T>()
    {
        var rows = Read<T>();
        return rows.Count switch
        {
            0 => default,
            1 => rows[0],
            _ => throw new InvalidOperationException("More than one row."),
        };
    }

    public T ReadSingle<T>() => Read<T>() is [var one] ? one : throw new InvalidOperationException("Expected exactly one row.");

    public void Dispose() => _reader.Dispose();
}
