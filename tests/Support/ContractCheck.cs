using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using NUnit.Framework.Interfaces;

[assembly: Cms.Tests.ContractCheck]

namespace Cms.Tests;

/// <summary>
/// Every response the API tests receive through App's clients is checked against openapi.yaml: the status must be
/// declared for the operation, declared required headers present, the media type declared and a JSON body valid
/// against the declared schema (JSON Schema 2020-12, which OpenAPI 3.1 uses). A violation fails the test that saw it.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class ContractCheckAttribute : Attribute, ITestAction
{
    public ActionTargets Targets => ActionTargets.Test;

    public void BeforeTest(ITest test) => Contract.Violations.TryRemove(test.FullName, out _);

    public void AfterTest(ITest test)
    {
        if (Contract.Violations.TryRemove(test.FullName, out var found) && !found.IsEmpty)
            Assert.Fail("Responses that break openapi.yaml:\n" + string.Join("\n", found.Take(20)));
    }
}

/// <summary>Sits between a test client and the in-process server and checks each answer.</summary>
public sealed class ContractRecorder : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var response = await base.SendAsync(request, ct);
        await response.Content.LoadIntoBufferAsync(ct);
        Contract.Check(request, response, await response.Content.ReadAsByteArrayAsync(ct));
        return response;
    }
}

public static partial class Contract
{
    public static readonly ConcurrentDictionary<string, ConcurrentBag<string>> Violations = new();
    private static long _validated;
    private static long _violations;

    public static long Validated => Interlocked.Read(ref _validated);
    public static long ViolationCount => Interlocked.Read(ref _violations);

    private sealed record Operation(string Method, string Template, Regex Path, int Params, JsonObject Node);

    private static readonly Lazy<(List<Operation> Ops, JsonObject Schemas)> Doc = new(Load);
    private static readonly ConcurrentDictionary<string, JsonSchema> Compiled = new();

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Param();

    private static (List<Operation>, JsonObject) Load()
    {
        var yaml = File.ReadAllText(Path.Combine(Api.Repo.Root, "openapi.yaml"));
        // the served JSON equals openapi.yaml (OpenApiTests); JSON is what System.Text.Json reads
        var json = App.Factory.CreateClient().GetStringAsync("/swagger/v1/swagger.json").GetAwaiter().GetResult();
        Assert.That(yaml, Is.Not.Empty);
        var doc = JsonNode.Parse(json)!.AsObject();
        var ops = new List<Operation>();
        foreach (var (template, item) in doc["paths"]!.AsObject())
        {
            var regex = new Regex("^" + Param().Replace(Regex.Escape(template).Replace(@"\{", "{"), "[^/]+") + "$");
            foreach (var (method, op) in item!.AsObject())
                ops.Add(new Operation(method.ToUpperInvariant(), template, regex, Param().Matches(template).Count, op!.AsObject()));
        }
        return (ops, doc["components"]!["schemas"]!.AsObject());
    }

    public static void Check(HttpRequestMessage request, HttpResponseMessage response, byte[] body)
    {
        var method = request.Method.Method;
        var path = request.RequestUri!.AbsolutePath;
        if (method == "HEAD" || method == "OPTIONS")
            return;
        var op = Doc.Value.Ops.Where(o => o.Method == method && o.Path.IsMatch(path)).OrderBy(o => o.Params).FirstOrDefault();
        if (op is null)
            return;   // not an operation of the API: portal files, Swagger UI, unknown routes, methods a route lacks
        Interlocked.Increment(ref _validated);
        var where = $"{method} {request.RequestUri.PathAndQuery} → {(int)response.StatusCode}";
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (op.Node["responses"]?[status] is not JsonObject declared)
        {
            Report(where, $"status {status} is not declared for {op.Method} {op.Template}");
            return;
        }
        foreach (var (name, header) in declared["headers"]?.AsObject() ?? [])
        {
            if (header?["required"]?.GetValue<bool>() == true && !Has(response, name))
                Report(where, $"required header {name} is missing");
        }
        var content = declared["content"]?.AsObject();
        if (content is null || content.Count == 0)
        {
            if (body.Length > 0)
                Report(where, "a body where none is declared");
            return;
        }
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is null || content[mediaType] is not JsonObject media)
        {
            Report(where, $"media type {mediaType ?? "(none)"} is not declared (declared: {string.Join(", ", content.Select(c => c.Key))})");
            return;
        }
        if (!mediaType.EndsWith("json", StringComparison.Ordinal) || media["schema"] is not JsonObject schemaNode)
            return;
        JsonElement instance;
        try
        {
            instance = JsonDocument.Parse(Decoded(body, response.Content.Headers.ContentEncoding.LastOrDefault())).RootElement;
        }
        catch (JsonException e)
        {
            Report(where, "the body is not JSON: " + e.Message);
            return;
        }
        var key = $"{op.Method} {op.Template} {status} {mediaType}";
        var schema = Compiled.GetOrAdd(key, _ => Build(schemaNode));
        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).Distinct().Take(5);
            Report(where, "body breaks the schema: " + string.Join("; ", errors));
        }
    }

    private static bool Has(HttpResponseMessage r, string name) =>
        r.Headers.NonValidated.Contains(name) || r.Content.Headers.NonValidated.Contains(name);

    private static byte[] Decoded(byte[] body, string? encoding)
    {
        Stream? decoder = encoding switch
        {
            "br" => new System.IO.Compression.BrotliStream(new MemoryStream(body), System.IO.Compression.CompressionMode.Decompress),
            "gzip" => new System.IO.Compression.GZipStream(new MemoryStream(body), System.IO.Compression.CompressionMode.Decompress),
            _ => null,
        };
        if (decoder is null)
            return body;
        using var output = new MemoryStream();
        using (decoder)
            decoder.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>The operation's schema with the components as $defs, so $refs resolve inside one document.</summary>
    private static JsonSchema Build(JsonObject schema)
    {
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = Doc.Value.Schemas.DeepClone(),
            ["allOf"] = new JsonArray(schema.DeepClone()),
        };
        var text = root.ToJsonString().Replace("\"#/components/schemas/", "\"#/$defs/", StringComparison.Ordinal);
        return JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri($"https://contract.cms.test/{Guid.NewGuid():N}"));
    }

    private static void Report(string where, string what)
    {
        Interlocked.Increment(ref _violations);
        var test = TestContext.CurrentContext.Test.FullName;
        Violations.GetOrAdd(test, _ => []).Add($"{where}: {what}");
    }
}
