using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cms.Tests.Api;
using Cms.Tests.Web;
using Microsoft.Playwright;

namespace Cms.Tests.Reliability;

/// <summary>
/// A generated corpus of script-injection payloads in article bodies, rendered by the portal in Chromium twice: as the
/// server sanitized them, and as a regressed server would send them raw (DOMPurify, Trusted Types and the CSP alone).
/// Every payload that ran would record its number.
/// </summary>
[TestFixture]
[Category("Reliability")]
[NonParallelizable]
public sealed class XssTests
{
    /// <summary>Places where script can hide, each with {0} for the JavaScript to run.</summary>
    private static readonly string[] Vectors =
    [
        "<img src=x onerror=\"{0}\">", "<img src=x onerror={0}>", "<svg onload=\"{0}\"></svg>", "<svg><animate onbegin=\"{0}\" attributeName=x dur=1s>",
        "<body onload=\"{0}\">", "<details open ontoggle=\"{0}\">", "<video src=x onerror=\"{0}\"></video>", "<audio src=x onerror=\"{0}\"></audio>",
        "<input autofocus onfocus=\"{0}\">", "<select autofocus onfocus=\"{0}\"></select>", "<textarea autofocus onfocus=\"{0}\"></textarea>",
        "<iframe src=\"javascript:{0}\"></iframe>", "<iframe srcdoc=\"<script>parent.{0}</script>\"></iframe>", "<object data=\"javascript:{0}\"></object>",
        "<embed src=\"javascript:{0}\">", "<a href=\"javascript:{0}\" id=xa>x</a><img src=x onerror=\"document.getElementById('xa').click()\">",
        "<a href=\"jav&#x09;ascript:{0}\">x</a>", "<a href=\"&#106;avascript:{0}\">x</a>", "<script>{0}</script>", "<script src=\"data:text/javascript,{0}\"></script>",
        "<math><mtext><table><mglyph><style><img src=x onerror=\"{0}\">", "<noscript><p title=\"</noscript><img src=x onerror={0}>\">",
        "<template><img src=x onerror=\"{0}\"></template>", "<xmp><img src=x onerror=\"{0}\"></xmp>", "<style>@import 'javascript:{0}';</style>",
        "<div style=\"background:url(javascript:{0})\">x</div>", "<meta http-equiv=\"refresh\" content=\"0;url=javascript:{0}\">",
        "<base href=\"javascript:{0}//\"><a href=\"/x\">x</a>", "<form><button formaction=\"javascript:{0}\">x</button></form>",
        "<marquee onstart=\"{0}\">x</marquee>", "<img src=\"x\" onerror=\"&#x77;indow.__xss=1;{0}\">", "<svg><script>{0}</script></svg>",
        "<img src=x:x onerror=\"eval(atob('{1}'))\">", "<img src=x onerror=\"setTimeout('{0}')\">", "<p onmouseover=\"{0}\" style=\"position:fixed;inset:0\">x</p>",
        "<object><param name=src value=\"javascript:{0}\"></object>", "<isindex action=\"javascript:{0}\" type=image>",
        "<img srcset=\",,,,,x\" onerror=\"{0}\">", "<table background=\"javascript:{0}\"></table>", "<svg><a xlink:href=\"javascript:{0}\"><text>x</text></a></svg>",
    ];

    /// <summary>How the JavaScript is written: plain, encoded, split.</summary>
    private static readonly Func<int, string>[] Scripts =
    [
        n => $"window.__xss={n}", n => $"self['__x'+'ss']={n}", n => $"top.__xss={n}", n => $"window['__xss']={n}",
        n => $"Function('window.__xss={n}')()", n => $"(()=>window.__xss={n})()", n => $"eval('window.__xss={n}')", n => $"this.__xss={n}",
    ];

    public static List<(int N, string Html)> Corpus()
    {
        var list = new List<(int, string)>();
        var n = 1;
        foreach (var vector in Vectors)
        {
            foreach (var script in Scripts)
            {
                var js = script(n);
                list.Add((n, string.Format(System.Globalization.CultureInfo.InvariantCulture, vector, js,
                    Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(js)))));
                n++;
            }
        }
        return list;
    }

    [Test]
    public async Task No_payload_of_the_corpus_runs_in_the_portal()
    {
        var corpus = Corpus();
        Assert.That(corpus, Has.Count.GreaterThanOrEqualTo(300));
        var take = Report.Scale(48, corpus.Count);
        var chosen = corpus.Where((_, i) => i % Math.Max(1, corpus.Count / take) == 0).Take(take).ToList();
        await using var host = await BrowserHost.StartAsync(published: false);
        using var staff = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        staff.DefaultRequestHeaders.Add("X-Api-Key", App.AdminKey);
        var hits = new HashSet<int>();
        var loads = 0;
        // the detector itself: a script that does run is recorded
        var probe = await host.Browser.NewPageAsync();
        await probe.AddInitScriptAsync("Object.defineProperty(window, '__xss', { set(v) { (window.__hits = window.__hits || []).push(v); }, get() { return undefined; } });");
        await probe.GotoAsync($"{host.BaseUrl}/index.html");
        await probe.EvaluateAsync("() => { window.__xss = 7; }");
        Assert.That(await probe.EvaluateAsync<int[]>("() => window.__hits || []"), Is.EqualTo(new[] { 7 }));
        await probe.CloseAsync();
        foreach (var chunk in chosen.Chunk(24))
        {
            var html = "<p>正文开始</p>" + string.Concat(chunk.Select(c => c.Html)) + "<p>正文结束</p>";
            var created = await staff.PostAsJsonAsync("/api/v1/admin/articles", new { categoryId = 2, title = "注入测试", bodyHtml = html });
            var article = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
            var id = article["id"]!.GetValue<long>();
            var slug = article["slug"]!.GetValue<string>();
            (await staff.PostAsync($"/api/v1/admin/articles/{id}/publish", null)).EnsureSuccessStatusCode();
            var raw = JsonNode.Parse(await staff.GetStringAsync($"/api/v1/articles/{slug}"))!;
            raw["bodyHtml"] = html;
            foreach (var regressedServer in new[] { false, true })
            {
                var context = await host.Browser.NewContextAsync();
                var page = await context.NewPageAsync();
                // every payload that runs leaves its number here
                await page.AddInitScriptAsync("Object.defineProperty(window, '__xss', { set(v) { (window.__hits = window.__hits || []).push(v); }, get() { return undefined; } });");
                if (regressedServer)
                {
                    await page.RouteAsync($"**/api/v1/articles/{slug}", r => r.FulfillAsync(new RouteFulfillOptions
                    {
                        Status = 200, ContentType = "application/json", Body = raw.ToJsonString(),
                    }));
                }
                await page.GotoAsync($"{host.BaseUrl}/article.html?a={slug}");
                await page.Locator("body[data-state=ready]").WaitForAsync(new() { Timeout = 15000 });
                await page.Mouse.MoveAsync(200, 300);
                await page.WaitForTimeoutAsync(400);
                foreach (var h in await page.EvaluateAsync<int[]>("() => window.__hits || []"))
                    hits.Add(h);
                loads++;
                await context.CloseAsync();
            }
        }
        Report.Row("XSS corpus in Chromium", $"{chosen.Count} payloads (of {corpus.Count}) in {loads} page loads, sanitized and raw: {hits.Count} executed", "0 executed", hits.Count == 0);
        Assert.That(hits, Is.Empty, "payloads that ran: " + string.Join(", ", hits.Select(h => corpus[h - 1].Html)));
    }
}
