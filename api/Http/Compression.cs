using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Net.Http.Headers;

namespace Cms.Api.Http;

/// <summary>
/// brotli and gzip. Cached public answers are compressed once and kept compressed (PublicCache); everything else that is
/// text (portal files, staff reads, problems) goes through ASP.NET Core's response compression.
/// </summary>
public static class Compression
{
    /// <summary>Below this a compressed body is hardly smaller and costs a round of CPU for nothing.</summary>
    public const int MinBytes = 512;

    public static readonly string[] MimeTypes =
    [
        "application/json", "application/problem+json", "application/feed+json", "application/xml", "text/xml",
        "application/rss+xml", "application/atom+xml", "text/html", "text/css", "text/javascript", "application/javascript",
        "text/plain", "image/svg+xml", "application/yaml", "text/yaml",
    ];

    /// <summary>HttpContext.Items key: the answer's encoding was chosen already (the public cache's own bodies).</summary>
    public static readonly object AlreadyDecided = new();

    public static IServiceCollection AddCmsCompression(this IServiceCollection services) => services
        .AddSingleton<IResponseCompressionProvider, Provider>()
        .Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest)
        .Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest)
        .AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = MimeTypes;
        });

    private sealed class Provider(IServiceProvider services, Microsoft.Extensions.Options.IOptions<ResponseCompressionOptions> options)
        : ResponseCompressionProvider(services, options)
    {
        public override bool ShouldCompressResponse(HttpContext context) =>
            !context.Items.ContainsKey(AlreadyDecided) && base.ShouldCompressResponse(context);
    }

    /// <summary>br, gzip or null (identity), from Accept-Encoding and q-values; br wins a tie.</summary>
    public static string? Choose(HttpRequest req, string contentType, int length)
    {
        if (length < MinBytes || !IsText(contentType))
            return null;
        var accept = req.Headers.AcceptEncoding;
        if (accept.Count == 0 || !StringWithQualityHeaderValue.TryParseList(accept, out var values))
            return null;
        double Q(string name) => values.Where(v => v.Value.Equals(name, StringComparison.OrdinalIgnoreCase) || v.Value == "*")
            .Select(v => v.Quality ?? 1).DefaultIfEmpty(0).Max();
        var br = Q("br");
        var gzip = Q("gzip");
        if (br <= 0 && gzip <= 0)
            return null;
        return br >= gzip ? "br" : "gzip";
    }

    private static bool IsText(string contentType)
    {
        var semicolon = contentType.IndexOf(';');
        var media = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        return MimeTypes.Contains(media, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>"abc-br" → "abc": If-None-Match with the tag of any encoding of the same content matches.</summary>
    public static string BaseTag(string tag) =>
        tag.EndsWith("-br\"", StringComparison.Ordinal) ? tag[..^4] + "\""
        : tag.EndsWith("-gzip\"", StringComparison.Ordinal) ? tag[..^6] + "\""
        : tag;

    public static byte[] Brotli(byte[] body)
    {
        using var ms = new MemoryStream(body.Length / 3 + 64);
        using (var z = new BrotliStream(ms, CompressionLevel.Optimal))
            z.Write(body);
        return ms.ToArray();
    }

    public static byte[] Gzip(byte[] body)
    {
        using var ms = new MemoryStream(body.Length / 3 + 64);
        using (var z = new GZipStream(ms, CompressionLevel.Optimal))
            z.Write(body);
        return ms.ToArray();
    }
}
