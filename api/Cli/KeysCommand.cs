using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using Microsoft.Extensions.Configuration;

namespace Cms.Api.Cli;

/// <summary>
/// API keys from the command line, for scripts and production:
/// <c>dotnet run --project api -- keys create --role editor --name 张三</c>, <c>keys list</c>, <c>keys revoke 3</c>.
/// </summary>
public static class KeysCommand
{
    private const string Usage = """
        usage: keys create --role author|editor|admin --name NAME
               keys list
               keys revoke ID
        The database is ConnectionStrings:Cms, else CMS_DB, else data/cms.db.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        // the database comes from ConnectionStrings__Cms or CMS_DB in the environment, as for the app
        var config = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var db = Startup.OpenDb(config);
        if (!db.IsPostgres && Path.GetDirectoryName(db.FilePath) is { Length: > 0 } dir)
            Directory.CreateDirectory(dir);
        Migrator.Apply(db);
        switch (args.FirstOrDefault())
        {
            case "create":
            {
                var role = Option(args, "--role");
                var name = Option(args, "--name");
                if (role is null || !Role.All.Contains(role) || string.IsNullOrWhiteSpace(name) || name.Length > 100)
                {
                    await Console.Error.WriteLineAsync(Usage);
                    return 2;
                }
                var (id, key) = await ApiKeys.CreateAsync(db, name, role);
                Console.WriteLine($"Created key {id} ({role}, {name}). It is shown once:");
                Console.WriteLine(key);
                return 0;
            }
            case "list":
            {
                await using var conn = await db.OpenAsync();
                var rows = await conn.QueryAsync<(long Id, string Name, string Role, string KeyPrefix, string CreatedAt, string? RevokedAt)>(
                    "SELECT id, name, role, key_prefix, created_at, revoked_at FROM api_keys ORDER BY id");
                foreach (var r in rows)
                    Console.WriteLine($"{r.Id}\t{r.Role}\t{r.KeyPrefix}…\t{r.CreatedAt}\t{(r.RevokedAt is null ? "active" : "revoked " + r.RevokedAt)}\t{r.Name}");
                return 0;
            }
            case "revoke" when args.Length > 1 && long.TryParse(args[1], out var revokeId):
            {
                await using var conn = await db.OpenAsync();
                var n = await conn.ExecuteAsync("UPDATE api_keys SET revoked_at = @at WHERE id = @revokeId AND revoked_at IS NULL", new { at = UtcTime.Now(), revokeId });
                Console.WriteLine(n == 1 ? $"Revoked key {revokeId}." : $"No active key {revokeId}.");
                return n == 1 ? 0 : 1;
            }
            default:
                await Console.Error.WriteLineAsync(Usage);
                return 2;
        }
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
