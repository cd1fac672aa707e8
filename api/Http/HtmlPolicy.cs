using AngleSharp.Dom;
using Ganss.Xss;

namespace Cms.Api.Http;

/// <summary>
/// The one sanitizing policy for every stored HTML field: a strict allowlist with no style, svg, math, iframe or
/// script, and http/https/mailto (or relative) URLs only.
/// </summary>
public static class HtmlPolicy
{
    private static readonly HtmlSanitizer Sanitizer = Create();

    public static string Clean(string html) => Sanitizer.Sanitize(html);

    public static string? CleanOrNull(string? html) => string.IsNullOrWhiteSpace(html) ? html : Clean(html);

    private static HtmlSanitizer Create()
    {
        var options = new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            {
                "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "sub", "sup",
                "blockquote", "q", "cite", "code", "pre", "ul", "ol", "li", "a", "img", "figure", "figcaption",
                "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "abbr", "span", "div",
            },
            AllowedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            {
                "href", "title", "src", "srcset", "sizes", "alt", "width", "height", "colspan", "rowspan", "scope", "lang", "dir",
            },
            AllowedSchemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "http", "https", "mailto" },
            UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href", "src", "cite", "action", "background", "formaction", "longdesc", "poster", "xlink:href" },
            AllowedCssProperties = new HashSet<string>(),
            AllowedAtRules = new HashSet<AngleSharp.Css.Dom.CssRuleType>(),
        };
        var sanitizer = new HtmlSanitizer(options) { AllowDataAttributes = false, KeepChildNodes = false };
        // "//host/x" and "\\host\x" have no scheme to check but leave the site all the same: only absolute http(s)
        // and mailto addresses, or paths on this site, stay
        sanitizer.FilterUrl += (_, e) =>
        {
            var url = e.OriginalUrl.Trim();
            if (url.StartsWith("//", StringComparison.Ordinal) || url.Contains('\\') || url.StartsWith("/\\", StringComparison.Ordinal))
                e.SanitizedUrl = null;
        };
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is IElement { LocalName: "img" } img)
                Cms.Api.Features.Media.MediaHtml.Enrich(img);
            if (e.Node is IElement { LocalName: "a" } a && a.GetAttribute("href") is { } href
                && (href.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || href.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
                a.SetAttribute("rel", "noopener noreferrer");
        };
        return sanitizer;
    }
}
