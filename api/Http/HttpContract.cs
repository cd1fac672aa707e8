using Cms.Api.Features.Feeds;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Cms.Api.Http;

/// <summary>
/// What the HTTP layer adds to every operation, declared so that the document says what the server really sends:
/// the statuses any request can meet (400 for an unknown query parameter, 500, 503 while the database is busy; 413,
/// 415 and 409/507 on writes; 304 on public reads), the caching and concurrency headers, and feeds as what they are.
/// </summary>
public static class HttpContract
{
    private static OpenApiSchema Text => new() { Type = JsonSchemaType.String };

    private static OpenApiHeader Header(string description, bool required = true) => new() { Description = description, Required = required, Schema = Text };

    public static void Describe(OpenApiOperation op, OperationFilterContext ctx, string method, string path, bool anonymous, bool hasPathParams, bool hasBody)
    {
        op.Responses ??= new OpenApiResponses();
        var write = method is "POST" or "PUT" or "PATCH" or "DELETE";
        var isGet = method == "GET";

        Problem(op, ctx, 400, "Bad Request: a field, a query parameter or the body is not valid (errors names each one)");
        if (hasPathParams)
            Problem(op, ctx, 404, "Not Found");
        if (hasBody)
        {
            Problem(op, ctx, 413, path == BodyLimit.UploadPath
                ? "Content Too Large: the file is over its type's size limit (Cms:Media; by default 10 MB for images, 50 MB for attachments)"
                : "Content Too Large: the body is over 2 MB");
            Problem(op, ctx, 415, "Unsupported Media Type");
        }
        if (write)
        {
            Problem(op, ctx, 409, "Conflict: the write conflicts with existing content");
            Problem(op, ctx, 507, "Insufficient Storage: the database is full");
        }
        if (!anonymous || path is "api/v1/search" or "api/v1/sync")
        {
            var limited = Problem(op, ctx, 429, anonymous
                ? "Too Many Requests: too many searches or sync pages from this client; retry after Retry-After seconds"
                : "Too Many Requests: too many writes with this key, or too many failed keys from this client; retry after Retry-After seconds")!;
            limited.Headers ??= new Dictionary<string, IOpenApiHeader>();
            limited.Headers["Retry-After"] = Header("Seconds to wait before retrying");
        }
        Problem(op, ctx, 500, "Internal Server Error");
        if (Problem(op, ctx, 503, "Service Unavailable: the database is busy; retry after Retry-After seconds") is { } busy)
        {
            busy.Headers ??= new Dictionary<string, IOpenApiHeader>();
            busy.Headers["Retry-After"] = Header("Seconds to wait before retrying");
        }

        foreach (var (code, response) in op.Responses.Where(r => r.Value is OpenApiResponse).Select(r => (r.Key, (OpenApiResponse)r.Value)).ToList())
        {
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            if (code == "200" && isGet && anonymous)
            {
                response.Headers["ETag"] = Header("Strong validator of this answer (one per content encoding); send it back as If-None-Match");
                response.Headers["Cache-Control"] = Header("public, no-cache: caches keep the answer and revalidate it by ETag");
                response.Headers["Vary"] = Header("Origin, Accept-Encoding");
                if (path.StartsWith("feeds/", StringComparison.Ordinal))
                    response.Headers["Last-Modified"] = Header("Time of the newest change to the feed's content; send it back as If-Modified-Since");
            }
            else if (code.StartsWith('2') && (method is "PUT" or "PATCH" or "POST") || (code == "200" && isGet && !anonymous && IsOneResource(path)))
            {
                if (!path.StartsWith("api/v1/admin/keys", StringComparison.Ordinal))
                    response.Headers["ETag"] = Header("The resource's version, e.g. \"v3\"; send it as If-Match to change or delete it");
            }
            if (code == "201")
                response.Headers["Location"] = Header("Address of the new resource");
            if (!anonymous && code.StartsWith('2'))
                response.Headers["Cache-Control"] = Header("no-store");
            if (response.Headers.Count == 0)
                response.Headers = null;
        }

        if (isGet && anonymous)
        {
            op.Parameters ??= new List<IOpenApiParameter>();
            op.Parameters.Add(new OpenApiParameter
            {
                Name = "If-None-Match",
                In = ParameterLocation.Header,
                Description = "ETag of the copy you hold: 304 when it is still current",
                Schema = Text,
            });
            if (path.StartsWith("feeds/", StringComparison.Ordinal))
            {
                op.Parameters.Add(new OpenApiParameter
                {
                    Name = "If-Modified-Since",
                    In = ParameterLocation.Header,
                    Description = "Last-Modified of the copy you hold: 304 when nothing changed since (ignored when If-None-Match is sent)",
                    Schema = Text,
                });
            }
            op.Responses["304"] = new OpenApiResponse
            {
                Description = "Not Modified: the copy you hold is current",
                Headers = new Dictionary<string, IOpenApiHeader>
                {
                    ["ETag"] = Header("The current validator"),
                    ["Cache-Control"] = Header("public, no-cache"),
                },
            };
            FeedBodies(op, ctx);
        }
    }

    /// <summary>A GET under /api/v1/admin naming one resource ({id} or the settings singleton) carries its ETag.</summary>
    private static bool IsOneResource(string path) => path.EndsWith("{id}", StringComparison.Ordinal) || path.EndsWith("/settings", StringComparison.Ordinal);

    private static OpenApiResponse? Problem(OpenApiOperation op, OperationFilterContext ctx, int status, string description)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (op.Responses!.TryGetValue(key, out var existing))
        {
            if (existing is OpenApiResponse r)
                r.Description = description;
            return existing as OpenApiResponse;
        }
        var response = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, IOpenApiMediaType>
            {
                ["application/problem+json"] = new OpenApiMediaType { Schema = ctx.SchemaGenerator.GenerateSchema(typeof(ApiProblem), ctx.SchemaRepository) },
            },
        };
        op.Responses[key] = response;
        return response;
    }

    /// <summary>RSS, Atom and sitemaps are XML documents (bytes to a generated client); JSON Feed is an object.</summary>
    private static void FeedBodies(OpenApiOperation op, OperationFilterContext ctx)
    {
        if (!op.Responses!.TryGetValue("200", out var ok) || ok is not OpenApiResponse { Content: { } content })
            return;
        foreach (var (type, media) in content.Where(c => c.Value is OpenApiMediaType).Select(c => (c.Key, (OpenApiMediaType)c.Value)).ToList())
        {
            if (type.EndsWith("xml", StringComparison.Ordinal))
                media.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
            else if (type == "application/feed+json")
                media.Schema = ctx.SchemaGenerator.GenerateSchema(typeof(JsonFeedDocument), ctx.SchemaRepository);
        }
    }
}
