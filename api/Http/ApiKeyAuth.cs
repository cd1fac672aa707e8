using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Cms.Api.Data;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Cms.Api.Http;

/// <summary>API keys sent as X-Api-Key or Authorization: Bearer; only their SHA-256 is stored.</summary>
public sealed class ApiKeyAuth(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, Db db,
    RateLimits.AuthFailures failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = Request.Headers[HeaderName].ToString();
        if (key.Length == 0)
        {
            var auth = Request.Headers.Authorization.ToString();
            if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                key = auth["Bearer ".Length..].Trim();
        }
        if (key.Length == 0)
            return AuthenticateResult.NoResult();
        if (key.Length > 200)
            return Failed("Invalid API key.");

        await using var conn = await db.OpenAsync(Context.RequestAborted);
        var row = await conn.QuerySingleOrDefaultAsync<(long Id, string Name, string Role)>(new CommandDefinition(
            "SELECT id, name, role FROM api_keys WHERE key_hash = @hash AND revoked_at IS NULL",
            new { hash = ApiKeys.Hash(key) }, cancellationToken: Context.RequestAborted));
        if (row.Id == 0)
            return Failed("Invalid or revoked API key.");

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, row.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, row.Name),
                new Claim(ClaimTypes.Role, row.Role),
            ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>A wrong key counts against the client's address (RateLimits) and is logged, without the key.</summary>
    private AuthenticateResult Failed(string reason)
    {
        var address = RateLimits.Client(Context);
        failures.Record(address);
        Logger.LogWarning("Failed authentication from {Address} for {Method} {Path}", address, Request.Method, Request.Path.Value);
        return AuthenticateResult.Fail(reason);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer, ApiKey header=\"X-Api-Key\"";
        return Problems.WriteAsync(Context, 401, "Unauthorized", "A valid API key is required (X-Api-Key header or Authorization: Bearer).");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.WriteAsync(Context, 403, "Forbidden", "Your key's role may not do this.");
}

public static class ApiKeys
{
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string NewKey() => "cms_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Creates a key and returns its id and the plaintext, which is never stored.</summary>
    public static async Task<(long Id, string Key)> CreateAsync(Db db, string name, string role, string? plaintext = null, CancellationToken ct = default)
    {
        var key = plaintext ?? NewKey();
        await using var conn = await db.OpenAsync(ct);
        var id = await conn.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO api_keys (name, role, key_hash, key_prefix, created_at)
            VALUES (@name, @role, @hash, @prefix, @at) RETURNING id
            """,
            new { name, role, hash = Hash(key), prefix = key[..Math.Min(8, key.Length)], at = UtcTime.Now() }, cancellationToken: ct));
        return (id, key);
    }
}
