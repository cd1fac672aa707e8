namespace Cms.Api.Http;

/// <summary>
/// Cross-origin reads for a portal or partner site hosted elsewhere: only the origins in Cms:CorsOrigins
/// (comma-separated), only GET and HEAD, never credentials, and no X-Api-Key or Authorization header, so a browser
/// on another origin can read public content but never call the staff API.
/// </summary>
public static class Cors
{
    public const string PublicPolicy = "public-read";

    public static string[] Origins(IConfiguration config) =>
        (config["Cms:CorsOrigins"] ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    public static IServiceCollection AddPublicCors(this IServiceCollection services, IConfiguration config) =>
        services.AddCors(o => o.AddPolicy(PublicPolicy, p => p
            .WithOrigins(Origins(config))
            .WithMethods("GET", "HEAD")
            .WithHeaders("If-None-Match", "Accept")
            .WithExposedHeaders("ETag")
            .SetPreflightMaxAge(TimeSpan.FromHours(1))));
}
