namespace Cms.Api.Features.Keys;

public enum KeyRole { Author, Editor, Admin }

public sealed class ApiKeyRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Role { get; init; } = "";
    public string KeyPrefix { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
}

public sealed class ApiKeyInfo
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public KeyRole Role { get; init; }
    /// <summary>The first characters of the key, to tell keys apart; the key itself is never stored.</summary>
    public string KeyPrefix { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }

    public static ApiKeyInfo From(ApiKeyRow r) => new()
    {
        Id = r.Id, Name = r.Name, Role = Http.Json.ParseEnum<KeyRole>(r.Role), KeyPrefix = r.KeyPrefix,
        CreatedAt = r.CreatedAt, RevokedAt = r.RevokedAt,
    };
}

public static class KeySql
{
    public const string Columns = "id, name, role, key_prefix, created_at, revoked_at";
}
