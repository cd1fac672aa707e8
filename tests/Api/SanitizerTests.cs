using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Parser;
using Cms.Api.Features.Articles;
using Cms.Api.Http;

namespace Cms.Tests.Api;

/// <summary>X1/X4/X5: what survives in stored bodies, checked by re-parsing with an HTML5 parser, not by regex.</summary>
[TestFixture]
public sealed class SanitizerTests
{
    private static readonly HashSet<string> AllowedTags =
    [
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "sub", "sup", "blockquote", "q", "cite",
        "code", "pre", "ul", "ol", "li", "a", "img", "figure", "figcaption", "table", "thead", "tbody", "tfoot", "tr", "th", "td",
        "caption", "abbr", "span", "div", "html", "head", "body",
    ];

    private static readonly HashSet<string> AllowedAttributes =
        ["href", "title", "src", "alt", "width", "height", "colspan", "rowspan", "scope", "lang", "dir", "rel"];

    public static readonly string[] Payloads =
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)><circle r=1></circle></svg>",
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
        "<a href=\"&#106;avascript:alert(1)\">x</a>",
        "<a href=\"java\tscript:alert(1)\">x</a>",
        "<a href=\"java\nscript:alert(1)\">x</a>",
        "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
        "<a href=\"vbscript:msgbox(1)\">x</a>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<style>@import 'http://evil.example/x.css';</style><p>x</p>",
        "<p style=\"background:url(javascript:alert(1))\">x</p>",
        "<p style=\"width: expression(alert(1))\">x</p>",
        "<form action=\"http://evil.example\"><input name=a><button formaction=\"javascript:alert(1)\">b</button></form>",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<base href=\"http://evil.example/\">",
        "<object data=\"javascript:alert(1)\"></object>",
        "<embed src=\"javascript:alert(1)\">",
        "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
        "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
        "<!--<img src=x onerror=alert(1)>--><p>x</p>",
        "<img src=\"x\" alt=\"a\" onmouseover=\"alert(1)\">",
        "<p onclick=\"alert(1)\" class=\"c\" id=\"i\" data-x=\"1\">x</p>",
        "<template><script>alert(1)</script></template>",
        "<video><source onerror=\"alert(1)\"></video>",
        "<details open ontoggle=alert(1)>",
        "<a href=\"http://example.com\" target=\"_blank\">外链</a>",
        "<img src=\"javascript:alert(1)\" alt=\"x\">",
        "<p>未闭合<b>粗体<script>alert(1)",
        "<scr<script>ipt>alert(1)</script>",
        "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
    ];

    [Test]
    public async Task Script_payloads_are_stripped_from_stored_bodies()
    {
        var failures = new List<string>();
        foreach (var payload in Payloads)
        {
            var a = await Given.DraftAsync(App.Editor, Given.ArticleBody(bodyHtml: payload + "<p>正文</p>"));
            var stored = (await App.Editor.GetFromJsonAsync<AdminArticle>($"/api/v1/admin/articles/{a.Id}", ApiJson.Options))!.BodyHtml;
            Assert.That(stored, Is.EqualTo(a.BodyHtml), "the create response shows what was stored");
            var doc = new HtmlParser().ParseDocument(stored);
            foreach (var el in doc.All)
            {
                if (!AllowedTags.Contains(el.LocalName))
                    failures.Add($"{payload} → tag <{el.LocalName}>");
                foreach (var attr in el.Attributes)
                {
                    if (!AllowedAttributes.Contains(attr.Name))
                        failures.Add($"{payload} → attribute {attr.Name}");
                    if (attr.Name is "href" or "src" && !IsSafeUrl(attr.Value))
                        failures.Add($"{payload} → url {attr.Value}");
                }
            }
        }
        Assert.That(failures, Is.Empty);
        TestContext.Out.WriteLine($"{Payloads.Length} payloads, 0 survivors");
    }

    private static bool IsSafeUrl(string url)
    {
        var u = url.Trim();
        if (u.StartsWith('/') && !u.StartsWith("//", StringComparison.Ordinal))
            return true;
        return Uri.TryCreate(u, UriKind.Absolute, out var abs) ? abs.Scheme is "http" or "https" or "mailto" : !u.Contains(':');
    }

    [Test]
    public async Task Legitimate_markup_is_kept()
    {
        const string html = "<h2>一、总体要求</h2><p>正文<strong>加粗</strong><em>强调</em>,见<a href=\"https://www.mofcom.gov.cn/\">商务部</a>。</p>" +
            "<ul><li>一</li><li>二</li></ul><blockquote>引用</blockquote>" +
            "<table><thead><tr><th scope=\"col\">项目</th></tr></thead><tbody><tr><td colspan=\"2\">值</td></tr></tbody></table>" +
            "<img src=\"/uploads/a.jpg\" alt=\"图片\" width=\"100\" height=\"50\"><p lang=\"en\" dir=\"ltr\">English 😀</p>";
        var a = await Given.DraftAsync(App.Editor, Given.ArticleBody(bodyHtml: html));
        var doc = new HtmlParser().ParseDocument(a.BodyHtml);
        Assert.That(doc.QuerySelector("h2")!.TextContent, Is.EqualTo("一、总体要求"));
        Assert.That(doc.QuerySelectorAll("li"), Has.Length.EqualTo(2));
        Assert.That(doc.QuerySelector("td")!.GetAttribute("colspan"), Is.EqualTo("2"));
        Assert.That(doc.QuerySelector("img")!.GetAttribute("src"), Is.EqualTo("/uploads/a.jpg"));
        Assert.That(doc.QuerySelector("img")!.GetAttribute("alt"), Is.EqualTo("图片"));
        Assert.That(doc.QuerySelector("p[lang=en]")!.TextContent, Is.EqualTo("English 😀"));
        var link = doc.QuerySelector("a")!;
        Assert.That(link.GetAttribute("href"), Is.EqualTo("https://www.mofcom.gov.cn/"));
        Assert.That(link.GetAttribute("rel"), Is.EqualTo("noopener noreferrer"));
    }

    [Test]
    public void Sanitizing_twice_changes_nothing()
    {
        foreach (var payload in Payloads)
        {
            var once = HtmlPolicy.Clean(payload);
            Assert.That(HtmlPolicy.Clean(once), Is.EqualTo(once), payload);
        }
    }

    [Test]
    public async Task Other_html_fields_are_sanitized_too()
    {
        var res = await App.Editor.PostAsJsonAsync("/api/v1/admin/leadership-messages", new
        {
            title = "局长致辞", leaderName = "某某", leaderTitle = "局长", excerpt = "摘要", bodyHtml = "<p>致辞</p><script>alert(1)</script>",
        });
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await res.Content.ReadAsStringAsync(), Does.Not.Contain("<script"));
        var col = await App.Editor.PostAsJsonAsync("/api/v1/admin/categories", new
        {
            code = "p" + Guid.NewGuid().ToString("N")[..8], name = "单页", kind = "page", pageBodyHtml = "<p onclick=\"x()\">页</p><iframe></iframe>",
        });
        Assert.That(await col.Content.ReadAsStringAsync(), Does.Contain("<p>页</p>").And.Not.Contain("iframe").And.Not.Contain("onclick"));
    }
}
