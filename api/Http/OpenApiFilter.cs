using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FastEndpoints;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Cms.Api.Http;

/// <summary>
/// Fills in what Swashbuckle cannot see of a FastEndpoints endpoint: route and query parameters, the If-Match header,
/// security per operation, the bilingual summary/description and the example request body.
/// </summary>
public sealed partial class OpenApiFilter : IOperationFilter
{
    [GeneratedRegex(@"\{\*?([^}:?=]+)")]
    private static partial Regex RouteParam();

    public void Apply(OpenApiOperation op, OperationFilterContext ctx)
    {
        var def = ctx.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<EndpointDefinition>().FirstOrDefault();
        if (def is null)
            return;
        var path = ctx.ApiDescription.RelativePath ?? "";
        var method = ctx.ApiDescription.HttpMethod ?? "GET";
        var props = def.ReqDtoType == typeof(EmptyRequest)
            ? new Dictionary<string, PropertyInfo>(StringComparer.OrdinalIgnoreCase)
            : def.ReqDtoType.GetProperties(BindingFlags.Public | BindingFlags.Instance).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        var routeNames = RouteParam().Matches(path).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        // a property bound from the route in another of the endpoint's routes is not a query parameter of this one
        var anyRouteNames = def.Routes.SelectMany(r => RouteParam().Matches(r).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.OrdinalIgnoreCase);

        op.Parameters ??= new List<IOpenApiParameter>();
        foreach (var name in routeNames)
        {
            if (op.Parameters.Any(p => p.In == ParameterLocation.Path && string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
                continue;
            var type = props.TryGetValue(name, out var pi) ? pi.PropertyType
                : name == "id" || def.Routes.Any(r => r.Contains($"{{{name}:long}}", StringComparison.OrdinalIgnoreCase)) ? typeof(long) : typeof(string);
            op.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Path,
                Required = true,
                Schema = ctx.SchemaGenerator.GenerateSchema(type, ctx.SchemaRepository),
                Example = PathExample(name),
            });
        }

        if (method is "GET" or "HEAD" or "DELETE")
        {
            op.RequestBody = null;
            foreach (var p in props.Values.Where(p => !routeNames.Contains(p.Name) && !anyRouteNames.Contains(p.Name)))
            {
                var (required, rules) = ValidatorSchemaFilter.QueryRules(def.ReqDtoType, p.Name);
                var schema = ctx.SchemaGenerator.GenerateSchema(p.PropertyType, ctx.SchemaRepository);
                if (schema is OpenApiSchema own)
                {
                    foreach (var rule in rules)
                        ValidatorSchemaFilter.Constrain(own, rule);
                    own.Default ??= ValidatorSchemaFilter.DefaultOf(def.ReqDtoType, p);
                }
                op.Parameters.Add(new OpenApiParameter
                {
                    Name = JsonNamingPolicy.CamelCase.ConvertName(p.Name),
                    In = ParameterLocation.Query,
                    Required = required,
                    Schema = schema,
                });
            }
        }

        if (ctx.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<MergePatchBody>().FirstOrDefault() is { } patch)
        {
            op.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, IOpenApiMediaType>
                {
                    [MergePatch.MediaType] = new OpenApiMediaType { Schema = ctx.SchemaGenerator.GenerateSchema(patch.Input, ctx.SchemaRepository) },
                },
            };
        }

        if (ctx.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<Cms.Api.Features.Media.MultipartBody>().FirstOrDefault() is { } form)
        {
            // a form with a file part: Swagger UI shows a file picker for a string of format binary
            var schema = new OpenApiSchema { Type = JsonSchemaType.Object, Properties = new Dictionary<string, IOpenApiSchema>(), Required = new HashSet<string>() };
            foreach (var p in form.Form.GetProperties())
            {
                var name = JsonNamingPolicy.CamelCase.ConvertName(p.Name);
                var isFile = p.PropertyType == typeof(IFormFile);
                schema.Properties[name] = isFile
                    ? new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "图片或附件 / The image or attachment" }
                    // an empty example: Swagger UI would otherwise prefill "string", and an image would be stored with that alt text
                    : new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 1000, Examples = [System.Text.Json.Nodes.JsonValue.Create("")],
                        Description = name == "alt" ? "替代文字:图片内容的简短描述 / What the image shows" : "说明 / Caption" };
                if (isFile)
                    schema.Required.Add(name);
            }
            op.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, IOpenApiMediaType>
                {
                    ["multipart/form-data"] = new OpenApiMediaType
                    {
                        Schema = schema,
                        Encoding = new Dictionary<string, OpenApiEncoding> { ["file"] = new OpenApiEncoding { ContentType = string.Join(", ", Cms.Api.Features.Media.MediaType.All.Select(t => t.Mime.Split(';')[0])) } },
                    },
                },
            };
        }

        var ifMatch = IfMatchUse(method, path);
        if (ifMatch is not null)
        {
            op.Parameters.Add(new OpenApiParameter
            {
                Name = "If-Match",
                In = ParameterLocation.Header,
                Required = ifMatch.Value,
                Description = "ETag from the last GET of this resource, e.g. \"v3\" / 上次读取时的 ETag" + (ifMatch.Value ? "" : " (optional / 可选)"),
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        var anonymous = def.AnonymousVerbs is { Length: > 0 };
        if (!anonymous)
        {
            op.Security ??= new List<OpenApiSecurityRequirement>();
            op.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyAuth.SchemeName, ctx.Document)] = [] });
            op.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", ctx.Document)] = [] });
        }
        else
            op.Security = new List<OpenApiSecurityRequirement>();   // public: no key needed (security: [])

        HttpContract.Describe(op, ctx, method, path, anonymous, routeNames.Count > 0, op.RequestBody is not null);

        var summary = def.EndpointSummary;
        if (summary is not null)
        {
            if (!string.IsNullOrEmpty(summary.Summary))
                op.Summary = summary.Summary;
            if (!string.IsNullOrEmpty(summary.Description))
                op.Description = summary.Description;
            var example = summary.RequestExamples.FirstOrDefault()?.Value;
            if (example is not null && op.RequestBody?.Content is { } content)
            {
                foreach (var media in content.Values.OfType<OpenApiMediaType>())
                    media.Example = JsonSerializer.SerializeToNode(example, example.GetType(), Json.Options);
            }
        }
    }

    private static JsonNode? PathExample(string name) => name switch
    {
        "id" => 1,
        "idOrSlug" => "2021-cczg-mayors-forum",
        "legacyId" => "20210503064097",
        "code" => "c",
        "page" => 1,
        "file" => "37f4ec980585b54a88786d5240ee2030.jpg",
        "revisionId" => 1,
        "token" => "4.2.1798761600.kq3XbT0f5Yb0h6tq1zv3oH2XyRr9m0Qw",   // article 4, version 2, its expiry, the signature   // the demo focus image (its name is its content's hash)
        _ => null,
    };

    /// <summary>null: no If-Match; true: required (PUT, DELETE); false: optional (state-changing POSTs on one resource).</summary>
    private static bool? IfMatchUse(string method, string path)
    {
        if (!path.StartsWith("api/v1/admin/", StringComparison.Ordinal) || path.StartsWith("api/v1/admin/keys", StringComparison.Ordinal))
            return null;
        return method switch
        {
            "PUT" or "PATCH" or "DELETE" => true,
            "POST" when path.EndsWith("/restore", StringComparison.Ordinal) => true,   // a restore is a save, with PUT's rules
            "POST" when path.EndsWith("/publish", StringComparison.Ordinal) || path.EndsWith("/offline", StringComparison.Ordinal)
                || path.EndsWith("/make-current", StringComparison.Ordinal) => false,
            _ => null,
        };
    }
}

public static class OpenApiExtensions
{
    /// <summary>Documents problem+json responses for the given status codes.</summary>
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder b, params int[] statuses)
    {
        foreach (var s in statuses)
            b.Produces<ApiProblem>(s, "application/problem+json");
        return b;
    }
}
