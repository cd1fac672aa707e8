using Microsoft.AspNetCore.StaticFiles;

namespace Cms.Api.Http;

/// <summary>
/// How the portal's files are served: .shtml pages as HTML, pages always revalidated (a publish shows at once), scripts,
/// styles and images kept an hour, every text type declared UTF-8.
/// </summary>
public static class StaticPages
{
    public static StaticFileOptions Options(Microsoft.Extensions.FileProviders.IFileProvider files)
    {
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".shtml"] = "text/html; charset=utf-8";
        types.Mappings[".html"] = "text/html; charset=utf-8";
        types.Mappings[".css"] = "text/css; charset=utf-8";
        types.Mappings[".js"] = "text/javascript; charset=utf-8";
        types.Mappings[".mjs"] = "text/javascript; charset=utf-8";
        types.Mappings[".svg"] = "image/svg+xml";
        types.Mappings[".webmanifest"] = "application/manifest+json";
        return new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = types,
            OnPrepareResponse = f =>
            {
                var type = f.Context.Response.ContentType ?? "";
                f.Context.Response.Headers.CacheControl = type.StartsWith("text/html", StringComparison.Ordinal)
                    ? "no-cache"
                    : "public, max-age=3600";
            },
        };
    }
}
