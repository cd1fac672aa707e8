using System.ServiceModel.Syndication;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml;
using Cms.Api.Features.Articles;
using Cms.Api.Http;

namespace Cms.Api.Features.Feeds;

/// <summary>
/// RSS 2.0 and Atom 1.0 through System.ServiceModel.Syndication, JSON Feed 1.1 through System.Text.Json. Every item
/// carries 文章来源 and 文章类型 (cms:source, cms:articleType in the namespace below; _cms in JSON Feed), which the
/// disclaimer obliges reprinters to keep.
/// </summary>
public static class FeedWriter
{
    public const string CmsNamespace = "urn:cms:provenance:1.0";
    private const string ContentNamespace = "http://purl.org/rss/1.0/modules/content/";
    private const string DcNamespace = "http://purl.org/dc/elements/1.1/";
    private const string AtomNamespace = "http://www.w3.org/2005/Atom";

    public static byte[] Rss(FeedContent f) => Write(new Rss20FeedFormatter(Build(f, "rss.xml", "application/rss+xml", atom: false), false));

    public static byte[] Atom(FeedContent f) => Write(new Atom10FeedFormatter(Build(f, "atom.xml", "application/atom+xml", atom: true)));

    private static SyndicationFeed Build(FeedContent f, string file, string mediaType, bool atom)
    {
        var s = f.Site;
        var feed = new SyndicationFeed(XmlText.Clean(f.Title), XmlText.Clean(s.SeoDescription ?? f.Title), new Uri(f.HomeUrl), f.FeedUrl(file),
            FeedContent.InBeijing(f.Updated))
        {
            Language = "zh-CN",
            Copyright = new TextSyndicationContent(XmlText.Clean($"版权所有 {s.CopyrightHolder}")),
            Generator = "Cms",
        };
        if (atom)
            feed.Links.Add(SyndicationLink.CreateSelfLink(new Uri(f.FeedUrl(file)), mediaType));
        feed.AttributeExtensions.Add(new XmlQualifiedName("cms", "http://www.w3.org/2000/xmlns/"), CmsNamespace);
        if (!atom)
        {
            feed.AttributeExtensions.Add(new XmlQualifiedName("content", "http://www.w3.org/2000/xmlns/"), ContentNamespace);
            feed.AttributeExtensions.Add(new XmlQualifiedName("dc", "http://www.w3.org/2000/xmlns/"), DcNamespace);
            feed.AttributeExtensions.Add(new XmlQualifiedName("atom", "http://www.w3.org/2000/xmlns/"), AtomNamespace);
            // RSS 2.0 has no self link of its own; readers and validators look for atom:link rel="self"
            var ns = System.Xml.Linq.XNamespace.Get(AtomNamespace);
            feed.ElementExtensions.Add(new System.Xml.Linq.XElement(ns + "link",
                new System.Xml.Linq.XAttribute("href", f.FeedUrl(file)), new System.Xml.Linq.XAttribute("rel", "self"),
                new System.Xml.Linq.XAttribute("type", mediaType)));
        }
        if (atom)
            feed.Authors.Add(new SyndicationPerson(null, XmlText.Clean(s.SiteName), f.BaseUrl + "/"));

        feed.Items = f.Items.Select(r =>
        {
            var type = Json.ParseEnum<ArticleType>(r.ArticleType);
            var body = XmlText.Clean(r.BodyHtml);
            var item = new SyndicationItem(XmlText.Clean(r.Title), (SyndicationContent?)null, new Uri(f.ArticleUrl(r)), f.ItemId(r), FeedContent.InBeijing(r.UpdatedAt))
            {
                PublishDate = FeedContent.InBeijing(r.PublishAt),
                // RSS readers take <description> as HTML: plain text goes in escaped, so markup in a summary stays text
                Summary = new TextSyndicationContent(atom ? XmlText.Clean(r.Summary ?? PlainStart(body))
                    : EscapeHtml(XmlText.Clean(r.Summary ?? PlainStart(body)))),
            };
            if (atom)
                item.Content = SyndicationContent.CreateHtmlContent(body);
            else
                item.ElementExtensions.Add("encoded", ContentNamespace, body);
            if (!string.IsNullOrWhiteSpace(r.Author))
            {
                // RSS's own <author> must be an e-mail address; a name goes in dc:creator
                if (atom)
                    item.Authors.Add(new SyndicationPerson(null, XmlText.Clean(r.Author), null));
                else
                    item.ElementExtensions.Add("creator", DcNamespace, XmlText.Clean(r.Author));
            }
            item.Categories.Add(new SyndicationCategory(XmlText.Clean(r.CategoryName)));
            // RSS readers take one enclosure per item (the RSS Advisory Board's advice): the first attachment; Atom all of them
            foreach (var file in atom ? r.Files : r.Files.Take(1))
                if (Uri.TryCreate(f.Absolute(file.Url), UriKind.Absolute, out var href))
                    item.Links.Add(new SyndicationLink(href, "enclosure", XmlText.Clean(file.Name), file.Mime ?? "application/octet-stream", file.Size ?? 0));
            if (!string.IsNullOrWhiteSpace(r.Source))
                item.ElementExtensions.Add("source", CmsNamespace, XmlText.Clean(r.Source));
            item.ElementExtensions.Add("articleType", CmsNamespace, Json.EnumText(type));
            item.ElementExtensions.Add("articleTypeLabel", CmsNamespace, ArticleTypeLabels.Label(type));
            return item;
        }).ToList();
        return feed;
    }

    private static byte[] Write(SyndicationFeedFormatter formatter)
    {
        using var ms = new MemoryStream();
        using (var w = XmlWriter.Create(ms, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, CheckCharacters = true }))
            formatter.WriteTo(w);
        return ms.ToArray();
    }

    /// <summary>Plain text as HTML text: only &amp;, &lt; and &gt; change, so Chinese and emoji stay as written.</summary>
    private static string EscapeHtml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>A short plain-text start of an HTML body, for items without a summary.</summary>
    private static string PlainStart(string html)
    {
        var text = System.Text.RegularExpressions.Regex.Replace(html, "<[^>]*>", "");
        text = System.Net.WebUtility.HtmlDecode(text).Trim();
        return text.Length <= 200 ? text : text[..200] + "……";
    }

    private static readonly JsonSerializerOptions JsonFeedOptions = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    public static byte[] JsonFeed(FeedContent f) => JsonSerializer.SerializeToUtf8Bytes(new JsonFeedDocument
    {
        Title = f.Title,
        HomePageUrl = f.HomeUrl,
        FeedUrl = f.FeedUrl("feed.json"),
        Description = f.Site.SeoDescription,
        Authors = [new JsonFeedAuthor { Name = f.Site.SiteName, Url = f.BaseUrl + "/" }],
        Items = f.Items.Select(r =>
        {
            var type = Json.ParseEnum<ArticleType>(r.ArticleType);
            return new JsonFeedItem
            {
                Id = f.ItemId(r),
                Url = f.ArticleUrl(r),
                Title = r.Title,
                Summary = r.Summary,
                ContentHtml = r.BodyHtml,
                DatePublished = FeedContent.InBeijing(r.PublishAt),
                DateModified = FeedContent.InBeijing(r.UpdatedAt),
                Authors = string.IsNullOrWhiteSpace(r.Author) ? null : [new JsonFeedAuthor { Name = r.Author }],
                Tags = [r.CategoryName],
                Attachments = r.Files.Count == 0 ? null : r.Files.Select(file => new JsonFeedAttachment
                {
                    Url = f.Absolute(file.Url), MimeType = file.Mime ?? "application/octet-stream", Title = file.Name, SizeInBytes = file.Size,
                }).ToList(),
                Cms = new JsonFeedProvenance
                {
                    Source = string.IsNullOrWhiteSpace(r.Source) ? null : r.Source,
                    ArticleType = Json.EnumText(type),
                    ArticleTypeLabel = ArticleTypeLabels.Label(type),
                    Column = new CategoryRef { Id = r.CategoryId, Code = r.CategoryCode, Name = r.CategoryName },
                },
            };
        }).ToList(),
    }, JsonFeedOptions);
}

/// <summary>JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/).</summary>
public sealed class JsonFeedDocument
{
    [JsonPropertyName("version")] public string Version { get; init; } = "https://jsonfeed.org/version/1.1";
    [JsonPropertyName("title")] public string Title { get; init; } = "";
    [JsonPropertyName("home_page_url")] public string HomePageUrl { get; init; } = "";
    [JsonPropertyName("feed_url")] public string FeedUrl { get; init; } = "";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("language")] public string Language { get; init; } = "zh-CN";
    [JsonPropertyName("authors")] public List<JsonFeedAuthor> Authors { get; init; } = [];
    [JsonPropertyName("items")] public List<JsonFeedItem> Items { get; init; } = [];
}

public sealed class JsonFeedAuthor
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] [JsonPropertyName("url")] public string? Url { get; init; }
}

public sealed class JsonFeedItem
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    [JsonPropertyName("url")] public string Url { get; init; } = "";
    [JsonPropertyName("title")] public string Title { get; init; } = "";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] [JsonPropertyName("summary")] public string? Summary { get; init; }
    [JsonPropertyName("content_html")] public string ContentHtml { get; init; } = "";
    [JsonPropertyName("date_published")] public DateTimeOffset DatePublished { get; init; }
    [JsonPropertyName("date_modified")] public DateTimeOffset DateModified { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] [JsonPropertyName("authors")] public List<JsonFeedAuthor>? Authors { get; init; }
    [JsonPropertyName("tags")] public List<string> Tags { get; init; } = [];
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] [JsonPropertyName("attachments")] public List<JsonFeedAttachment>? Attachments { get; init; }
    /// <summary>文章来源 and 文章类型, which reprinters must keep.</summary>
    [JsonPropertyName("_cms")] public JsonFeedProvenance Cms { get; init; } = new();
}

public sealed class JsonFeedAttachment
{
    [JsonPropertyName("url")] public string Url { get; init; } = "";
    [JsonPropertyName("mime_type")] public string MimeType { get; init; } = "";
    [JsonPropertyName("title")] public string Title { get; init; } = "";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] [JsonPropertyName("size_in_bytes")] public long? SizeInBytes { get; init; }
}

public sealed class JsonFeedProvenance
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] [JsonPropertyName("source")] public string? Source { get; init; }
    [JsonPropertyName("articleType")] public string ArticleType { get; init; } = "";
    [JsonPropertyName("articleTypeLabel")] public string ArticleTypeLabel { get; init; } = "";
    [JsonPropertyName("column")] public CategoryRef Column { get; init; } = new();
}
