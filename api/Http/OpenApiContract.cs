using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cms.Api.Features.Articles;
using Cms.Api.Features.Categories;
using Cms.Api.Features.Focus;
using Cms.Api.Features.Leadership;
using Cms.Api.Features.Links;
using Cms.Api.Features.Partners;
using Cms.Api.Features.Site;
using FastEndpoints;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Cms.Api.Http;

/// <summary>
/// The document as a whole, made exact for generated clients: short operation ids, described tags, one problem schema,
/// typed sync items, every field of an answer required (nullable where null is sent), no unused schemas.
/// </summary>
public sealed partial class OpenApiContract : IDocumentFilter
{
    [GeneratedRegex(@"\{\*?([^}:?=]+)")]
    private static partial Regex RouteParam();

    private static IEnumerable<OpenApiOperation> Operations(OpenApiDocument doc) =>
        doc.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []);

    /// <summary>The endpoint class's name in camelCase (getArticle, publishArticle…); a second route of the same class adds By + its parameters.</summary>
    public static string? OperationId(ApiDescription api)
    {
        var def = api.ActionDescriptor.EndpointMetadata.OfType<EndpointDefinition>().FirstOrDefault();
        if (def is null)
            return null;
        var name = JsonNamingPolicy.CamelCase.ConvertName(def.EndpointType.Name);
        var route = (api.RelativePath ?? "").TrimStart('/');
        var first = def.Routes[0].TrimStart('/');
        if (route == first)
            return name;
        var firstParams = RouteParam().Matches(first).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var extra = RouteParam().Matches(route).Select(m => m.Groups[1].Value).Where(p => !firstParams.Contains(p)).ToList();
        if (extra.Count == 0)
        {
            // the same action on another kind of item (revisions of columns, of settings…): For + the first segment that differs
            var a = route.Split('/');
            var b = first.Split('/');
            var segment = a.Zip(b).FirstOrDefault(x => x.First != x.Second).First ?? a[^1];
            return name + "For" + string.Concat(segment.Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
        }
        return name + "By" + string.Concat(extra.Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }

    private static readonly Dictionary<string, string> TagDescriptions = new()
    {
        ["Site"] = "站点:设置、导航、合作伙伴、相关链接、焦点图 / The site bundle, partners, related links and focus items, as the portal shows them",
        ["Columns"] = "栏目 / Public columns (栏目) and their tree",
        ["Articles"] = "已发布文章 / Published articles: lists, one article, old MOFCOM addresses",
        ["Leadership"] = "局长致辞 / Leadership messages",
        ["Search"] = "站内搜索 / Full-text search over published articles",
        ["Feeds"] = "订阅与站点地图 / RSS, Atom, JSON Feed, sitemap and robots.txt",
        ["Sync"] = "同步 / Every change to public content since a cursor, for partner mirrors",
        ["Health"] = "运行状态 / Health check for load balancers and monitors",
        ["Admin: Articles"] = "文章管理 / Drafts, editing, publishing and taking offline (API key)",
        ["Admin: Columns"] = "栏目管理 / Columns (API key, editor)",
        ["Admin: Leadership"] = "局长致辞管理 / Leadership messages (API key, editor)",
        ["Admin: Settings"] = "站点设置 / Footer, disclaimer and site-wide settings (API key, admin)",
        ["Admin: Partners"] = "合作伙伴管理 / Partners (API key, editor)",
        ["Admin: Links"] = "相关链接管理 / Related links (API key, editor)",
        ["Admin: Focus items"] = "焦点图管理 / Focus items of the home carousel (API key, editor)",
        ["Admin: Keys"] = "接口密钥 / API keys (API key, admin)",
        ["Admin: Media"] = "媒体库 / Images and attachments: upload, alt text, delete (API key)",
        ["Admin: Site health"] = "网站检查 / The inspection report: blank and stale columns, dead links, images without alt, missing settings (API key, editor)",
        ["Admin: Review"] = "审核 / Review before publishing: submit, approve step by step (初审, 复审, 终审), reject, what waits for me (API key)",
        ["Admin: Revisions"] = "修订记录 / Revisions of articles, leadership messages, columns and settings: list, compare, restore (API key)",
        ["Media"] = "媒体文件 / Uploaded images and attachments, served under content-hash names",
    };

    /// <summary>The data each kind of sync item carries, by its entity name.</summary>
    private static readonly (string Entity, Type Data)[] SyncData =
    [
        ("settings", typeof(SettingsRow)), ("category", typeof(CategoryNode)), ("leadershipMessage", typeof(LeadershipMessage)),
        ("partner", typeof(Partner)), ("link", typeof(Link)), ("focusItem", typeof(FocusItem)), ("media", typeof(Cms.Api.Features.Media.PublicMedia)),
        ("article", typeof(ArticleResponse)),
    ];

    public void Apply(OpenApiDocument doc, DocumentFilterContext ctx)
    {
        var used = Operations(doc).SelectMany(o => o.Tags ?? new HashSet<OpenApiTagReference>())
            .Select(t => t.Name).Where(n => n is not null).Distinct().Order(StringComparer.Ordinal).ToList();
        doc.Tags = new HashSet<OpenApiTag>(used.Select(n => new OpenApiTag { Name = n, Description = (TagDescriptions.TryGetValue(n!, out var d) ? d : n) }));

        var schemas = doc.Components!.Schemas!;
        SyncItems(doc, ctx, schemas);
        foreach (var op in Operations(doc))
        {
            foreach (var response in op.Responses?.Values.OfType<OpenApiResponse>() ?? [])
            {
                foreach (var media in response.Content?.Values.OfType<OpenApiMediaType>() ?? [])
                {
                    if (media.Schema is OpenApiSchemaReference { Reference.Id: "ProblemDetails" })
                        media.Schema = new OpenApiSchemaReference(nameof(ApiProblem), doc);
                }
            }
        }
        PatchBodies(doc, schemas);
        RequireAnswerFields(doc, schemas, OmittedWhenNull(ctx));
        foreach (var schema in AllSchemas(doc, schemas))
            Simplify(schema);
        RemoveUnused(doc, schemas);
    }

    /// <summary>
    /// Swashbuckle wraps a reference in allOf to hang null or a description on it. In OpenAPI 3.1 a nullable reference
    /// is oneOf [the reference, null] and a plain one is the reference itself.
    /// </summary>
    private static void Simplify(OpenApiSchema s)
    {
        foreach (var (name, prop) in s.Properties?.ToList() ?? [])
        {
            if (prop is OpenApiSchema { AllOf.Count: 1, Properties: null or { Count: 0 } } wrapper && wrapper.AllOf[0] is OpenApiSchemaReference target)
            {
                var nullable = wrapper.Type?.HasFlag(JsonSchemaType.Null) == true;
                s.Properties![name] = nullable
                    ? new OpenApiSchema { OneOf = [target, new OpenApiSchema { Type = JsonSchemaType.Null }], Description = wrapper.Description }
                    : wrapper.Description is null ? target : new OpenApiSchemaReference(target.Reference.Id!, target.Reference.HostDocument) { Description = wrapper.Description };
            }
        }
    }

    /// <summary>Every schema object in the document that can hold properties: components and what operations declare inline.</summary>
    private static IEnumerable<OpenApiSchema> AllSchemas(OpenApiDocument doc, IDictionary<string, IOpenApiSchema> schemas)
    {
        var seen = new HashSet<OpenApiSchema>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<IOpenApiSchema>(schemas.Values);
        foreach (var op in Operations(doc))
        {
            foreach (var media in (op.Responses?.Values.AsEnumerable() ?? []).SelectMany(r => r.Content?.Values.AsEnumerable() ?? [])
                         .Concat(op.RequestBody?.Content?.Values.AsEnumerable() ?? []))
            {
                if (media.Schema is { } m)
                    pending.Push(m);
            }
        }
        while (pending.TryPop(out var s))
        {
            if (s is not OpenApiSchema o || !seen.Add(o))
                continue;
            yield return o;
            foreach (var child in Children(o))
                pending.Push(child);
        }
    }

    /// <summary>A merge patch names only what changes: its body is the PUT body's fields with none required.</summary>
    private static void PatchBodies(OpenApiDocument doc, IDictionary<string, IOpenApiSchema> schemas)
    {
        foreach (var path in doc.Paths.Values)
        {
            if (path.Operations?.TryGetValue(HttpMethod.Patch, out var op) != true || op!.RequestBody?.Content is not { } content)
                continue;
            foreach (var media in content.Values.OfType<OpenApiMediaType>())
            {
                if (media.Schema is not OpenApiSchemaReference { Reference.Id: { } id } || !schemas.TryGetValue(id, out var full) || full is not OpenApiSchema put)
                    continue;
                var name = id.Replace("Update", "", StringComparison.Ordinal).Replace("Request", "", StringComparison.Ordinal) + "Patch";
                if (!schemas.ContainsKey(name))
                {
                    var patch = (OpenApiSchema)put.CreateShallowCopy();
                    patch.Required = null;
                    // a member left out is left alone: no defaults here, or a client would send them and undo the fields
                    patch.Properties = put.Properties?.ToDictionary(p => p.Key, p =>
                    {
                        if (p.Value is not OpenApiSchema own || own.Default is null)
                            return p.Value;
                        var copy = (OpenApiSchema)own.CreateShallowCopy();
                        copy.Default = null;
                        return (IOpenApiSchema)copy;
                    });
                    patch.Description = "JSON Merge Patch (RFC 7396): the fields to change; null clears an optional field.";
                    schemas[name] = patch;
                }
                media.Schema = new OpenApiSchemaReference(name, doc);
            }
        }
    }

    /// <summary>
    /// A sync item names its entity and carries that entity's public representation: SyncItem is the base with a
    /// discriminator on entity, one subtype per entity narrows data (allOf inheritance, which NSwag, Kiota and
    /// openapi-ts all read as a typed union).
    /// </summary>
    private static void SyncItems(OpenApiDocument doc, DocumentFilterContext ctx, IDictionary<string, IOpenApiSchema> schemas)
    {
        if (!schemas.TryGetValue("SyncItem", out var baseSchema) || baseSchema is not OpenApiSchema item)
            return;
        item.Properties!["entity"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Enum = SyncData.Select(d => (JsonNode)JsonValue.Create(d.Entity)!).ToList(),
            Description = "The kind of content; data has that kind's public representation.",
        };
        item.Properties["op"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Enum = [JsonValue.Create("upsert")!, JsonValue.Create("delete")!],
            Description = "upsert: data is the current public representation; delete: remove it (unpublished, offline, hidden, disabled or deleted).",
        };
        item.Properties.Remove("data");
        item.AdditionalPropertiesAllowed = true;   // each subtype adds data
        item.AdditionalProperties = null;
        item.Discriminator = new OpenApiDiscriminator { PropertyName = "entity", Mapping = new Dictionary<string, OpenApiSchemaReference>() };
        foreach (var (entity, type) in SyncData)
        {
            var name = "Sync" + char.ToUpperInvariant(entity[0]) + entity[1..] + "Item";
            var data = ctx.SchemaGenerator.GenerateSchema(type, ctx.SchemaRepository);
            schemas[name] = new OpenApiSchema
            {
                Description = $"A change to one {entity}: data is its public representation, null in a delete.",
                AllOf =
                [
                    new OpenApiSchemaReference("SyncItem", doc),
                    new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { "data" },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["data"] = new OpenApiSchema { AllOf = [data], Type = JsonSchemaType.Null, Description = "null in a delete." },
                        },
                    },
                ],
            };
            item.Discriminator.Mapping[entity] = new OpenApiSchemaReference(name, doc);
        }
        // schemas the generator just added for the data types
        foreach (var (k, v) in ctx.SchemaRepository.Schemas)
            schemas.TryAdd(k, v);
    }

    /// <summary>Members a type leaves out when null ([JsonIgnore(WhenWritingNull)], as JSON Feed does), by schema id.</summary>
    private static Dictionary<string, HashSet<string>> OmittedWhenNull(DocumentFilterContext ctx)
    {
        var result = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var type in typeof(OpenApiContract).Assembly.GetTypes())
        {
            if (!ctx.SchemaRepository.TryLookupByType(type, out var reference) || reference.Reference.Id is not { } id)
                continue;
            var names = type.GetProperties()
                .Where(p => p.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonIgnoreAttribute), true)
                    .OfType<System.Text.Json.Serialization.JsonIgnoreAttribute>().Any(a => a.Condition == System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull))
                .Select(p => p.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonPropertyNameAttribute), true)
                    .OfType<System.Text.Json.Serialization.JsonPropertyNameAttribute>().FirstOrDefault()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name))
                .ToHashSet(StringComparer.Ordinal);
            if (names.Count > 0)
                result[id] = names;
        }
        return result;
    }

    /// <summary>Every property of a schema an answer can hold is always sent (null where nullable), so all are required.</summary>
    private static void RequireAnswerFields(OpenApiDocument doc, IDictionary<string, IOpenApiSchema> schemas, Dictionary<string, HashSet<string>> omitted)
    {
        var answers = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<IOpenApiSchema>(Operations(doc)
            .SelectMany(o => o.Responses?.Values.AsEnumerable() ?? []).SelectMany(r => r.Content?.Values.AsEnumerable() ?? []).Select(m => m.Schema).OfType<IOpenApiSchema>());
        var ids = new Dictionary<IOpenApiSchema, string>(ReferenceEqualityComparer.Instance);
        foreach (var (id, schema) in schemas)
            ids[schema] = id;
        while (pending.TryPop(out var s))
        {
            if (s is OpenApiSchemaReference r)
            {
                if (r.Reference.Id is { } id && answers.Add(id) && schemas.TryGetValue(id, out var target))
                    pending.Push(target);
                continue;
            }
            foreach (var child in Children(s))
                pending.Push(child);
            if (s is OpenApiSchema { Properties.Count: > 0 } o)
            {
                var skip = ids.TryGetValue(o, out var own) && omitted.TryGetValue(own, out var names) ? names : [];
                o.Required ??= new HashSet<string>();
                foreach (var name in o.Properties.Keys.Where(n => !skip.Contains(n)))
                    o.Required.Add(name);
            }
        }
    }

    private static IEnumerable<IOpenApiSchema> Children(IOpenApiSchema s) =>
        (s.Properties?.Values ?? []).Concat(s.AllOf ?? []).Concat(s.OneOf ?? []).Concat(s.AnyOf ?? [])
            .Concat(s.Items is { } i ? [i] : []).Concat(s.AdditionalProperties is { } a ? [a] : []);

    /// <summary>Drops schemas nothing refers to (the request DTOs of GET endpoints, whose members are parameters).</summary>
    private static void RemoveUnused(OpenApiDocument doc, IDictionary<string, IOpenApiSchema> schemas)
    {
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var roots = Operations(doc).SelectMany(o =>
            (o.Responses?.Values.AsEnumerable() ?? []).SelectMany(r => r.Content?.Values.AsEnumerable() ?? []).Select(m => m.Schema)
            .Concat((o.RequestBody?.Content?.Values.AsEnumerable() ?? []).Select(m => m.Schema))
            .Concat((o.Parameters ?? []).Select(p => p.Schema)));
        var pending = new Stack<IOpenApiSchema>(roots.OfType<IOpenApiSchema>());
        while (pending.TryPop(out var s))
        {
            if (s is OpenApiSchemaReference r)
            {
                if (r.Reference.Id is { } id && reached.Add(id) && schemas.TryGetValue(id, out var target))
                    pending.Push(target);
                continue;
            }
            foreach (var child in Children(s))
                pending.Push(child);
            foreach (var mapped in s.Discriminator?.Mapping?.Values ?? [])
                pending.Push(mapped);
        }
        foreach (var name in schemas.Keys.Where(k => !reached.Contains(k)).ToList())
            schemas.Remove(name);
    }
}
