using System.Data;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;

namespace Cms.Api.Features.Sync;

/// <summary>
/// Where a partner is in the stream, signed so a forged or damaged cursor is a 400. Snapshot phase: the entity kind
/// and last id delivered, with the change-log position and time the snapshot started. Change phase: the last change
/// delivered and the time up to which scheduled articles (publishAt reached without a write) were delivered.
/// </summary>
public sealed class SyncCursor
{
    public int V { get; init; } = 1;
    /// <summary>true while paging through the snapshot.</summary>
    public bool Snap { get; init; }
    public int Kind { get; init; }
    public long After { get; init; }
    public long Seq { get; init; }
    public string At { get; init; } = "";
    public long AtId { get; init; }

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public string Encode(byte[] key)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(this, Options);
        return B64(payload) + "." + B64(HMACSHA256.HashData(key, payload)[..16]);
    }

    public static SyncCursor? Decode(string text, byte[] key)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || text.Length > 1000)
            return null;
        try
        {
            var payload = Unb64(text[..dot]);
            var mac = Unb64(text[(dot + 1)..]);
            if (!CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(key, payload)[..16]))
                return null;
            var c = JsonSerializer.Deserialize<SyncCursor>(payload, Options);
            return c is { V: 1 } && c.Kind >= 0 && c.After >= 0 && c.Seq >= 0 ? c : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    public static async Task<byte[]> KeyAsync(IDbConnection conn, CancellationToken ct) =>
        await conn.QuerySingleAsync<byte[]>(new CommandDefinition("SELECT value FROM secrets WHERE name = 'sync-cursor'", cancellationToken: ct));

    /// <summary>Keys of sync epochs before a restore: a cursor they signed is recognised, and refused as from before it.</summary>
    public static async Task<IReadOnlyList<byte[]>> RetiredKeysAsync(IDbConnection conn, CancellationToken ct) =>
        (await conn.QueryAsync<byte[]>(new CommandDefinition("SELECT value FROM secrets WHERE name LIKE 'sync-cursor-retired-%'", cancellationToken: ct))).ToList();

    private static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Unb64(string s)
    {
        var t = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(t.PadRight(t.Length + ((4 - (t.Length % 4)) % 4), '='));
    }
}
