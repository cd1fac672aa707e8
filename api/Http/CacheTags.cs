using System.Text.Json;
using System.Text.RegularExpressions;
using Cms.Api.Data;

namespace Cms.Api.Http;

/// <summary>
/// The vocabulary shared by cached answers and changes. An answer carries the tags of what it shows; a change carries
/// the tags of what it touched; an answer is evicted when they share one (or, for a search, when the article may enter
/// or leave its results).
/// </summary>
public static partial class CacheTags
{
    /// <summary>On a change: touches everything (settings, columns, a change the log cannot describe).</summary>
    public const string All = "*all*";
    /// <summary>On an answer: depends on anything (kinds this vocabulary does not describe).</summary>
    public const string Any = "*any*";
    /// <summary>On an article change: the article was or is public (sitemap, searches, focus items that link it).</summary>
    public const string Public = "public";

    [GeneratedRegex(@"article/([0-9]+)")]
    private static partial Regex FeedItemId();

    /// <summary>What a logged change touched, from its entity and the tags its writer recorded.</summary>
    public static string[] OfChange(string entity, string? tags) => entity switch
    {
        Changes.Article when tags is null => [All],   // logged before changes had tags
        Changes.Article => Article(tags.Split(' ', StringSplitOptions.RemoveEmptyEntries)),
        Changes.LeadershipMessage => ["leadership", "site"],
        Changes.Partner => ["partner", "site"],
        Changes.Link => ["link", "site"],
        Changes.FocusItem => ["focus", "site"],
        Changes.Media => ["media"],   // no public answer shows a media item's row: the content that uses it is written again
        _ => [All],   // settings and columns are in every page's header, footer, breadcrumb or feed title
    };

    private static string[] Article(string[] tags) => tags.Contains(Public) ? [.. tags, "sitemap", "site", "focus"] : tags;

    /// <summary>What a public answer shows, from its address and, for articles, lists and feeds, the ids in its body.</summary>
    public static string[] OfAnswer(HttpRequest req, byte[] body)
    {
        var path = req.Path.Value ?? "";
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (path == "/api/v1/site")
            return ["site"];
        if (path == "/api/v1/partners")
            return ["partner"];
        if (path == "/api/v1/links")
            return ["link"];
        if (path == "/api/v1/focus-items")
            return ["focus"];
        if (path.StartsWith("/api/v1/leadership-messages", StringComparison.Ordinal))
            return ["leadership"];
        if (path.StartsWith("/api/v1/categories", StringComparison.Ordinal))
            return ["category"];
        if (path == "/api/v1/search")
            return ["search"];
        if (path is "/sitemap.xml" || path.StartsWith("/sitemaps/", StringComparison.Ordinal))
            return ["sitemap"];
        if (path == "/robots.txt")
            return ["settings"];
        if (path == "/api/v1/articles")
            return [.. ListIds(body).Select(id => $"article:{id}"), "order:" + (req.Query["category"].FirstOrDefault() ?? "*")];
        if (path.StartsWith("/api/v1/articles/", StringComparison.Ordinal))
            return ArticlePage(body);
        if (segments is ["feeds", _])
            return [.. FeedIds(body).Select(id => $"article:{id}"), "order:*"];
        if (segments is ["feeds", var code, _])
            return [.. FeedIds(body).Select(id => $"article:{id}"), "order:" + code];
        return [Any];
    }

    /// <summary>A search answer's words and hits, so a change to one article evicts only the searches it can change.</summary>
    public static PublicCache.SearchInfo? SearchOf(HttpRequest req, byte[] body)
    {
        if (req.Path.Value != "/api/v1/search")
            return null;
        var ids = ListIds(body).ToHashSet();
        using var doc = JsonDocument.Parse(body);
        var page = doc.RootElement.GetProperty("page");
        var total = page.GetProperty("totalItems").GetInt64();
        var terms = Features.Search.SearchArticles.Terms(req.Query["q"].FirstOrDefault()).ToArray();
        return new PublicCache.SearchInfo(terms, ids, Complete: total == ids.Count);
    }

    private static IEnumerable<long> ListIds(byte[] body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.TryGetProperty("items", out var items)
            ? items.EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList()
            : [];
    }

    /// <summary>An article page shows itself, the titles of its neighbours, and its place in its column.</summary>
    private static string[] ArticlePage(byte[] body)
    {
        using var doc = JsonDocument.Parse(body);
        var a = doc.RootElement;
        var tags = new List<string> { $"article:{a.GetProperty("id").GetInt64()}" };
        foreach (var neighbour in new[] { "previous", "next" })
        {
            if (a.TryGetProperty(neighbour, out var n) && n.ValueKind == JsonValueKind.Object)
                tags.Add($"article:{n.GetProperty("id").GetInt64()}");
        }
        if (a.TryGetProperty("category", out var c) && c.ValueKind == JsonValueKind.Object)
            tags.Add("order:" + c.GetProperty("code").GetString());
        return [.. tags];
    }

    private static IEnumerable<long> FeedIds(byte[] body) =>
        FeedItemId().Matches(System.Text.Encoding.UTF8.GetString(body)).Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Distinct();
}
