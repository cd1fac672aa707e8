using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cms.Tests;

/// <summary>
/// The store the suite runs on: SQLite files (the default), or PostgreSQL when CMS_TEST_STORE=postgres, with
/// CMS_TEST_PG the connection string of a server where the suite may create databases (scripts/test.sh starts a
/// throwaway cluster, scripts/pg.sh). Every "database file" a test names is then a database of its own on that server,
/// named after the path, so a test that reopens the same path reopens the same content.
/// </summary>
public static class TestStore
{
    public static bool Postgres { get; } = Environment.GetEnvironmentVariable("CMS_TEST_STORE") is "postgres";

    private static string Server => Environment.GetEnvironmentVariable("CMS_TEST_PG") is { Length: > 0 } s ? s
        : throw new InvalidOperationException("CMS_TEST_STORE=postgres needs CMS_TEST_PG, e.g. Host=127.0.0.1;Port=55432;Username=cms;Database=postgres");

    /// <summary>The database name that stands for <paramref name="dbPath"/> on PostgreSQL.</summary>
    public static string DatabaseName(string dbPath) =>
        "cms_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(dbPath))))[..20];

    /// <summary>The app's settings for the store of <paramref name="dbPath"/>; on PostgreSQL the database is created when missing.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Settings(string dbPath)
    {
        if (!Postgres)
        {
            yield return new("ConnectionStrings:Cms", $"Data Source={dbPath}");
            yield break;
        }
        yield return new("Cms:Store", "postgres");
        yield return new("ConnectionStrings:Cms", ConnectionString(dbPath, create: true));
        yield return new("Cms:Media:Root", Cms.Api.Features.Media.MediaOptions.DefaultRoot(dbPath));
    }

    /// <summary>The connection string of the database standing for <paramref name="dbPath"/>.</summary>
    public static string ConnectionString(string dbPath, bool create = false)
    {
        if (!Postgres)
            return $"Data Source={dbPath}";
        var name = DatabaseName(dbPath);
        if (create)
        {
            using var admin = new NpgsqlConnection(Server);
            admin.Open();
            using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", admin);
            exists.Parameters.AddWithValue("name", name);
            if (exists.ExecuteScalar() is null)
            {
                using var createDb = new NpgsqlCommand($"CREATE DATABASE {name} ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0", admin);
                createDb.ExecuteNonQuery();
            }
        }
        return new NpgsqlConnectionStringBuilder(Server) { Database = name, Pooling = false }.ConnectionString;
    }

    /// <summary>A connection of its own to the content of <paramref name="dbPath"/>, outside the app (pooling off).</summary>
    public static DbConnection Open(string dbPath, bool readOnly = false)
    {
        DbConnection conn = Postgres
            ? new NpgsqlConnection(ConnectionString(dbPath))
            : new SqliteConnection($"Data Source={dbPath};Pooling=False" + (readOnly ? ";Mode=ReadOnly" : ""));
        conn.Open();
        return conn;
    }

    /// <summary>The app's data access over the content of <paramref name="dbPath"/>.</summary>
    public static Cms.Api.Data.Db Db(string dbPath) =>
        new(ConnectionString(dbPath), Postgres ? Cms.Api.Data.StoreKind.Postgres : Cms.Api.Data.StoreKind.Sqlite);

    /// <summary>Drops what stands for <paramref name="dbPath"/>: its files (SQLite) or its database (PostgreSQL).</summary>
    public static void Drop(string dbPath)
    {
        SqliteConnection.ClearAllPools();
        foreach (var f in new[] { dbPath, dbPath + "-wal", dbPath + "-shm" })
            File.Delete(f);
        if (!Postgres || Environment.GetEnvironmentVariable("CMS_TEST_KEEP") == "1")
            return;
        NpgsqlConnection.ClearAllPools();
        using var admin = new NpgsqlConnection(Server);
        admin.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {DatabaseName(dbPath)} WITH (FORCE)", admin);
        drop.ExecuteNonQuery();
    }
}

public static class TestStoreProcess
{
    /// <summary>Points a CLI run of the app at the content of <paramref name="dbPath"/> on the suite's store.</summary>
    public static void UseStore(this System.Diagnostics.ProcessStartInfo psi, string dbPath)
    {
        psi.Environment["CMS_DB"] = dbPath;
        if (!TestStore.Postgres)
            return;
        psi.Environment["Cms__Store"] = "postgres";
        psi.Environment["ConnectionStrings__Cms"] = TestStore.ConnectionString(dbPath);
        psi.Environment["Cms__Media__Root"] = Cms.Api.Features.Media.MediaOptions.DefaultRoot(dbPath);
    }
}
