using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Cms.Tests.Api;

/// <summary>I1–I7 and I9 of the hostile-test catalogue: always a 4xx problem naming the field, never a 500, nothing written.</summary>
[TestFixture]
public sealed class BadInputTests
{
    private const string Articles = "/api/v1/admin/articles";

    private static async Task AssertRejectedAsync(HttpContent content, HttpStatusCode status, string? field = null, string url = Articles)
    {
        var before = Rows.Count();
        var res = await App.Editor.PostAsync(url, content);
        await Problem.AssertAsync(res, status, field);
        Assert.That(Rows.Count(), Is.EqualTo(before), "a rejected write changed rows");
        Assert.That((await App.Client.GetAsync("/healthz")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private static StringContent JsonText(string s) => new(s, Encoding.UTF8, "application/json");

    [TestCase("{\"title\":")]
    [TestCase("{\"categoryId\":2,\"title\":\"a\",\"bodyHtml\":\"<p>x</p>\",}")]
    [TestCase("{\"categoryId\":NaN}")]
    [TestCase("{'title':'a'}")]
    [TestCase("")]
    [TestCase("null")]
    [TestCase("[]")]
    [TestCase("\"text\"")]
    public async Task Malformed_json_is_400(string body) => await AssertRejectedAsync(JsonText(body), HttpStatusCode.BadRequest);

    [Test]
    public async Task Deeply_nested_json_is_400() =>
        await AssertRejectedAsync(JsonText(new string('[', 10_000) + new string(']', 10_000)), HttpStatusCode.BadRequest);

    [Test]
    public async Task Bom_prefixed_json_is_accepted_or_rejected_cleanly()
    {
        var body = "\uFEFF" + JsonSerializer.Serialize(Given.ArticleBody());
        var res = await App.Editor.PostAsync(Articles, JsonText(body));
        Assert.That((int)res.StatusCode, Is.AnyOf(201, 400));
    }

    [Test]
    public async Task Parser_internals_never_reach_the_client()
    {
        var res = await App.Editor.PostAsync(Articles, JsonText("{\"title\": \"a\" \"x\"}"));
        var text = await res.Content.ReadAsStringAsync();
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.Not.Contain("BytePositionInLine").And.Not.Contain("System.").And.Not.Contain("LineNumber"));
    }

    [Test]
    public async Task Body_over_2_mb_is_413_and_just_under_is_not()
    {
        var over = "{\"categoryId\":2,\"title\":\"a\",\"bodyHtml\":\"" + new string('x', 2 * 1024 * 1024) + "\"}";
        await AssertRejectedAsync(JsonText(over), HttpStatusCode.RequestEntityTooLarge);
        var under = "{\"categoryId\":2,\"title\":\"a\",\"bodyHtml\":\"<p>" + new string('字', 300_000) + "</p>\"}";
        var res = await App.Editor.PostAsync(Articles, JsonText(under));
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task Chunked_body_over_the_limit_is_413()
    {
        var over = "{\"categoryId\":2,\"title\":\"a\",\"bodyHtml\":\"" + new string('x', 3 * 1024 * 1024) + "\"}";
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(over)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var req = new HttpRequestMessage(HttpMethod.Post, Articles) { Content = content };
        req.Headers.TransferEncodingChunked = true;
        var before = Rows.Count();
        var res = await App.Editor.SendAsync(req);
        await Problem.AssertAsync(res, HttpStatusCode.RequestEntityTooLarge);
        Assert.That(Rows.Count(), Is.EqualTo(before));
    }

    [TestCase("{\"categoryId\":\"abc\",\"title\":\"a\",\"bodyHtml\":\"x\"}", "categoryId")]
    [TestCase("{\"categoryId\":1.5,\"title\":\"a\",\"bodyHtml\":\"x\"}", "categoryId")]
    [TestCase("{\"categoryId\":9223372036854775808,\"title\":\"a\",\"bodyHtml\":\"x\"}", "categoryId")]
    [TestCase("{\"categoryId\":2,\"title\":\"a\",\"bodyHtml\":\"x\",\"publishAt\":\"yesterday\"}", "publishAt")]
    [TestCase("{\"categoryId\":2,\"title\":\"a\",\"bodyHtml\":\"x\",\"isPinned\":\"true\"}", "isPinned")]
    [TestCase("{\"categoryId\":2,\"title\":{\"zh\":\"a\"},\"bodyHtml\":\"x\"}", "title")]
    [TestCase("{\"categoryId\":2,\"title\":\"a\",\"bodyHtml\":\"x\",\"articleType\":\"blog\"}", "articleType")]
    [TestCase("{\"categoryId\":2,\"title\":\"a\",\"bodyHtml\":\"x\",\"articleType\":1}", "articleType")]
    public async Task Wrong_types_are_400_naming_the_field(string body, string field) =>
        await AssertRejectedAsync(JsonText(body), HttpStatusCode.BadRequest, field);

    [TestCase("id")]
    [TestCase("status")]
    [TestCase("createdBy")]
    [TestCase("createdAt")]
    [TestCase("version")]
    [TestCase("isAdmin")]
    [TestCase("role")]
    [TestCase("passwordHash")]
    [TestCase("__proto__")]
    public async Task Unknown_fields_are_400_naming_them(string name)
    {
        var body = $"{{\"categoryId\":2,\"title\":\"a\",\"bodyHtml\":\"x\",\"{name}\":1}}";
        await AssertRejectedAsync(JsonText(body), HttpStatusCode.BadRequest, name);
    }

    [Test]
    public async Task Duplicate_keys_are_400() =>
        await AssertRejectedAsync(JsonText("{\"categoryId\":2,\"title\":\"a\",\"title\":\"b\",\"bodyHtml\":\"x\"}"), HttpStatusCode.BadRequest);

    [Test]
    public async Task Every_missing_required_field_is_named_at_once()
    {
        var res = await App.Editor.PostAsync(Articles, JsonText("{}"));
        await Problem.AssertAsync(res, HttpStatusCode.BadRequest, "title");
        var names = JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement.GetProperty("errors")
            .EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();
        Assert.That(names, Is.SupersetOf(new[] { "title", "bodyHtml", "categoryId" }));
    }

    [Test]
    public async Task Invalid_utf8_is_400()
    {
        foreach (var bad in new byte[][] { [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xFF] })
        {
            var bytes = Encoding.UTF8.GetBytes("{\"categoryId\":2,\"bodyHtml\":\"x\",\"title\":\"").Concat(bad).Concat(Encoding.UTF8.GetBytes("\"}")).ToArray();
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            await AssertRejectedAsync(content, HttpStatusCode.BadRequest);
        }
    }

    [TestCase("\\u0000")]
    [TestCase("\\u0007")]
    [TestCase("\\n")]
    [TestCase("\\ud800")]
    [TestCase("\\udc00x")]
    [TestCase("\\uffff")]
    public async Task Control_characters_and_lone_surrogates_in_titles_are_400(string escaped) =>
        await AssertRejectedAsync(JsonText($"{{\"categoryId\":2,\"bodyHtml\":\"x\",\"title\":\"标题{escaped}\"}}"), HttpStatusCode.BadRequest, "title");

    [Test]
    public async Task Odd_but_valid_unicode_round_trips()
    {
        const string title = "RTL\u202E 零宽\u200D连接 e\u0301 😀 中文";
        var a = await Given.DraftAsync(App.Editor, Given.ArticleBody(title: title));
        Assert.That(a.Title, Is.EqualTo(title));
    }

    [TestCase("0")]
    [TestCase("-1")]
    [TestCase("101")]
    [TestCase("2147483647")]
    [TestCase("1e9")]
    [TestCase("abc")]
    public async Task Page_size_out_of_range_is_400(string size)
    {
        var res = await App.Client.GetAsync($"/api/v1/articles?pageSize={size}");
        await Problem.AssertAsync(res, HttpStatusCode.BadRequest, "pageSize");
    }

    [TestCase("-1")]
    [TestCase("0")]
    [TestCase("abc")]
    [TestCase("2147483648")]
    public async Task Bad_page_is_400(string page)
    {
        var res = await App.Client.GetAsync($"/api/v1/articles?page={page}");
        await Problem.AssertAsync(res, HttpStatusCode.BadRequest, "page");
    }

    [Test]
    public async Task A_page_past_the_end_is_empty()
    {
        var res = await App.Client.GetStringAsync("/api/v1/articles?page=1000000");
        Assert.That(JsonDocument.Parse(res).RootElement.GetProperty("items").GetArrayLength(), Is.Zero);
    }

    [TestCase("sort=title;DROP")]
    [TestCase("sort=(select 1)")]
    [TestCase("dir=asc,1")]
    [TestCase("offset=-5")]
    [TestCase("filter=author.email:x")]
    [TestCase("password=x")]
    public async Task Unknown_query_parameters_are_400_naming_them(string query)
    {
        var res = await App.Client.GetAsync($"/api/v1/articles?{query}");
        await Problem.AssertAsync(res, HttpStatusCode.BadRequest, query.Split('=')[0]);
    }

    [TestCase("' OR 1=1--")]
    [TestCase("%")]
    [TestCase("_")]
    [TestCase("\\")]
    [TestCase("'; DROP TABLE articles;--")]
    public async Task Sql_metacharacters_in_filters_are_literal(string value)
    {
        var schema = Rows.SchemaHash();
        var res = await App.Client.GetAsync($"/api/v1/articles?tag={Uri.EscapeDataString(value)}");
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement.GetProperty("items").GetArrayLength(), Is.Zero);
        res = await App.Client.GetAsync($"/api/v1/articles?category={Uri.EscapeDataString(value)}");
        await Problem.AssertAsync(res, HttpStatusCode.BadRequest, "category");
        Assert.That(Rows.SchemaHash(), Is.EqualTo(schema));
    }

    [TestCase("../../etc/passwd")]
    [TestCase("..%2F..%2Fetc")]
    [TestCase("%2e%2e")]
    [TestCase("A-Capital")]
    [TestCase("con")]
    [TestCase("．．／")]
    public async Task Slugs_outside_the_pattern_are_rejected(string slug)
    {
        var res = await App.Editor.PostAsync(Articles, JsonText(JsonSerializer.Serialize(Given.ArticleBody(slug: slug))));
        if (slug == "con")
            Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.Created), "a plain lowercase word is a fine slug");
        else
            await Problem.AssertAsync(res, HttpStatusCode.BadRequest, "slug");
        var get = await App.Client.GetAsync($"/api/v1/articles/{slug}");
        Assert.That((int)get.StatusCode, Is.AnyOf(400, 404));
    }

    [TestCase("javascript:alert(1)")]
    [TestCase("ftp://example.com/x")]
    [TestCase("//evil.example/x")]
    [TestCase("data:text/html,x")]
    public async Task Only_http_urls_are_accepted(string url)
    {
        var body = JsonSerializer.Serialize(new { categoryId = 2, title = "a", bodyHtml = "x", originalUrl = url });
        await AssertRejectedAsync(JsonText(body), HttpStatusCode.BadRequest, "originalUrl");
        body = JsonSerializer.Serialize(new { categoryId = 2, title = "a", bodyHtml = "x", coverImage = new { url, alt = "图" } });
        await AssertRejectedAsync(JsonText(body), HttpStatusCode.BadRequest, "coverImage.url");
    }

    [Test]
    public async Task Unknown_column_is_400_naming_categoryId() =>
        await AssertRejectedAsync(JsonText("{\"categoryId\":999999,\"title\":\"a\",\"bodyHtml\":\"x\"}"), HttpStatusCode.BadRequest, "categoryId");

    [Test]
    public async Task Wrong_content_type_is_415()
    {
        var res = await App.Editor.PostAsync(Articles, new StringContent("title=a", Encoding.UTF8, "text/plain"));
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
    }

    [Test]
    public async Task Unknown_api_route_is_a_404_problem() =>
        await Problem.AssertAsync(await App.Client.GetAsync("/api/v1/nothing-here"), HttpStatusCode.NotFound);
}
