using System.Net;
using System.Text.Json.Nodes;

namespace Cms.Tests.Api;

/// <summary>
/// Every JSON request body the contract describes, taken from its example, with each member set to null in turn (nested
/// members and array elements included): never a 5xx. The answers go through the contract check like any other.
/// </summary>
[TestFixture]
public sealed class NullSweepTests
{
    private static JsonObject Document() =>
        JsonNode.Parse(App.Client.GetStringAsync("/swagger/v1/swagger.json").GetAwaiter().GetResult())!.AsObject();

    /// <summary>The example body of the operation's JSON (or the PUT's, for a PATCH), with unique slugs and codes.</summary>
    private static JsonObject Example(JsonObject paths, string path, string method)
    {
        var op = paths[path]![method == "patch" ? "put" : method]!.AsObject();
        var content = op["requestBody"]!["content"]!.AsObject().First().Value!;
        var body = content["example"]!.DeepClone().AsObject();
        var unique = Guid.NewGuid().ToString("N")[..10];
        if (body.ContainsKey("slug"))
            body["slug"] = "null-sweep-" + unique;
        if (body.ContainsKey("code"))
            body["code"] = "n" + unique;
        if (body.ContainsKey("legacyId"))
            body["legacyId"] = null;
        if (body.ContainsKey("articleId"))
            body["articleId"] = null;
        return body;
    }

    /// <summary>Every location in a JSON value that can be set to null: members at any depth and array elements.</summary>
    private static IEnumerable<string> Locations(JsonNode? node, string at = "")
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o)
                {
                    yield return $"{at}/{name}";
                    foreach (var inner in Locations(value, $"{at}/{name}"))
                        yield return inner;
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    yield return $"{at}/{i}";
                    foreach (var inner in Locations(a[i], $"{at}/{i}"))
                        yield return inner;
                }
                break;
        }
    }

    private static JsonNode WithNullAt(JsonObject body, string location)
    {
        var copy = body.DeepClone();
        var parts = location.Trim('/').Split('/');
        JsonNode parent = copy;
        foreach (var part in parts[..^1])
            parent = parent is JsonArray pa ? pa[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)]! : parent[part]!;
        if (parent is JsonArray array)
            array[int.Parse(parts[^1], System.Globalization.CultureInfo.InvariantCulture)] = null;
        else
            parent[parts[^1]] = null;
        return copy;
    }

    [Test]
    public async Task Null_in_any_member_of_any_body_is_never_a_5xx()
    {
        var paths = Document()["paths"]!.AsObject();
        var sent = 0;
        var failures = new List<string>();
        var created = new Dictionary<string, long>();
        foreach (var (path, item) in paths.Where(p => p.Key.StartsWith("/api/v1/admin/", StringComparison.Ordinal)))
        {
            // a multipart upload has no JSON members (MediaTests sends it hostile forms)
            foreach (var method in new[] { "post", "put", "patch" }.Where(m => item![m]?["requestBody"] is not null
                && item[m]!["requestBody"]!["content"]?["multipart/form-data"] is null))
            {
                var url = path;
                if (path.Contains("{id}", StringComparison.Ordinal))
                {
                    // a resource of the collection to send the bodies to
                    var collection = path[..path.IndexOf("/{id}", StringComparison.Ordinal)];
                    if (!created.TryGetValue(collection, out var id))
                    {
                        using var res = collection == "/api/v1/admin/media"
                            ? await Given.UploadAsync(App.Admin, Given.Image(48, 32), "空值.jpg")
                            : await Given.SendAsync(App.Admin, HttpMethod.Post, collection, Example(paths, collection, "post").ToJsonString());
                        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.Created), $"{collection}: {await res.Content.ReadAsStringAsync()}");
                        id = JsonNode.Parse(await res.Content.ReadAsStringAsync())!["id"]!.GetValue<long>();
                        created[collection] = id;
                    }
                    url = path.Replace("{id}", id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
                }
                var example = Example(paths, path, method);
                foreach (var location in Locations(example))
                {
                    var body = WithNullAt(Example(paths, path, method), location).ToJsonString();
                    using var res = await Given.SendAsync(App.Admin, new HttpMethod(method.ToUpperInvariant()), url, body,
                        ifMatch: method == "post" ? null : "*", contentType: method == "patch" ? "application/merge-patch+json" : "application/json");
                    sent++;
                    if ((int)res.StatusCode >= 500)
                        failures.Add($"{method.ToUpperInvariant()} {path} with {location} = null: {(int)res.StatusCode} {await res.Content.ReadAsStringAsync()}");
                }
            }
        }
        TestContext.Progress.WriteLine($"contract: null sweep sent {sent} bodies, {failures.Count} answers of 5xx");
        Assert.That(sent, Is.GreaterThan(200), "the sweep covers every body");
        Assert.That(failures, Is.Empty);
    }
}
