using System.Security.Cryptography;
using System.Text;
using Cms.Api.Data;
using Dapper;

namespace Cms.Api.Features.Preview;

/// <summary>
/// A preview address's token: the article, the version it shows and when it expires, signed with the site's secret
/// (HMAC-SHA256). Any save or the publish changes the version, so an address stops working the moment the article it
/// showed is no longer what would be published.
/// </summary>
public static class PreviewToken
{
    public static async Task<byte[]> SecretAsync(Db db, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.ExecuteScalarAsync<byte[]>(new CommandDefinition(
            "SELECT value FROM secrets WHERE name = 'preview'", cancellationToken: ct)) ?? throw new InvalidOperationException("The preview key is missing (migration 014).");
    }

    public static string Make(byte[] secret, long id, long version, DateTimeOffset expires)
    {
        var payload = $"{id}.{version}.{expires.ToUnixTimeSeconds()}";
        return payload + "." + Sign(secret, payload);
    }

    /// <summary>The article id and version a well-signed token names, and its expiry; null for anything else.</summary>
    public static (long Id, long Version, DateTimeOffset Expires)? Read(byte[] secret, string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 4 || !long.TryParse(parts[0], out var id) || !long.TryParse(parts[1], out var version) || !long.TryParse(parts[2], out var exp))
            return null;
        var expected = Encoding.ASCII.GetBytes(Sign(secret, $"{parts[0]}.{parts[1]}.{parts[2]}"));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[3])))
            return null;
        return (id, version, DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(exp, 0, 253402300799)));
    }

    private static string Sign(byte[] secret, string payload) =>
        Convert.ToBase64String(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(payload))).TrimEnd('=').Replace('+', '-').Replace('/', '_')[..32];
}
