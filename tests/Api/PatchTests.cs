using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Cms.Api.Http;

namespace Cms.Tests.Api;

/// <summary>PATCH (JSON Merge Patch) and the If-Match rules of every editable resource.</summary>
[TestFixture]
public sealed class PatchTests
{
    /// <summary>An editable resource: how to make one, a field to change and its new value, a required field.</summary>
    public sealed record Resource(string Name, string Collection, Func<object> NewBody, string Field, JsonNode Value, string Required)
    {
        public override string ToString() => Name;
    }

    private static readonly object Image = new { url = "/uploads/focus.jpg", alt = "焦点图" };

    public static readonly Resource[] Resources =
    [
        new("article", "/api/v1/admin/articles", () => Given.ArticleBody(), "title", "“产城融合•场景营城”——修改后的标题", "bodyHtml"),
        new("column", "/api/v1/admin/categories", () => new { code = "p" + Guid.NewGuid().ToString("N")[..8], name = "测试栏目", kind = "list" }, "name", "新栏目名", "code"),
        new("leadership message", "/api/v1/admin/leadership-messages",
            () => new { title = "局长致辞", leaderName = "局长", leaderTitle = "局长", excerpt = "摘要", bodyHtml = "<p>正文</p>" }, "excerpt", "新的摘要:投资促进。", "title"),
        new("partner", "/api/v1/admin/partners", () => new { name = "合作伙伴", url = "https://www.mofcom.gov.cn/" }, "name", "新伙伴", "name"),
        new("link", "/api/v1/admin/links", () => new { group = "政府网站", name = "链接", url = "https://www.gov.cn/" }, "name", "中国政府网", "url"),
        new("focus item", "/api/v1/admin/focus-items", () => new { title = "焦点", image = Image, linkUrl = "https://www.gov.cn/" }, "title", "新焦点", "title"),
    ];

    private static async Task<(string Url, JsonObject Body, string ETag)> CreateAsync(Resource r)
    {
        using var res = await App.Admin.PostAsJsonAsync(r.Collection, r.NewBody());
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.Created), await res.Content.ReadAsStringAsync());
        var body = (await res.Content.ReadFromJsonAsync<JsonObject>())!;
        return ($"{r.Collection}/{body["id"]}", body, res.Headers.ETag!.Tag);
    }

    private static Task<HttpResponseMessage> PatchAsync(string url, string json, string? ifMatch, string contentType = MergePatch.MediaType) =>
        Given.SendAsync(App.Admin, HttpMethod.Patch, url, json, ifMatch, contentType);

    [TestCaseSource(nameof(Resources))]
    public async Task Patch_changes_only_the_fields_it_names(Resource r)
    {
        var (url, before, etag) = await CreateAsync(r);
        var patch = new JsonObject { [r.Field] = r.Value.DeepClone() };
        using var res = await PatchAsync(url, patch.ToJsonString(), etag);
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK), await res.Content.ReadAsStringAsync());
        var after = (await res.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(after[r.Field]!.ToJsonString(), Is.EqualTo(r.Value.ToJsonString()), "byte-exact Chinese");
        Assert.That(res.Headers.ETag!.Tag, Is.Not.EqualTo(etag));
        foreach (var (name, value) in before)
        {
            if (name is "version" or "updatedAt" || name == r.Field)
                continue;
            Assert.That(after[name]?.ToJsonString(), Is.EqualTo(value?.ToJsonString()), $"{r.Name}: {name} unchanged");
        }
        var read = await App.Admin.GetAsync(url);
        Assert.That((await read.Content.ReadFromJsonAsync<JsonObject>())![r.Field]!.ToJsonString(), Is.EqualTo(r.Value.ToJsonString()));
    }

    [TestCaseSource(nameof(Resources))]
    public async Task Patch_put_and_delete_need_the_current_etag(Resource r)
    {
        var (url, before, etag) = await CreateAsync(r);
        var patch = new JsonObject { [r.Field] = r.Value.DeepClone() }.ToJsonString();
        using (var res = await PatchAsync(url, patch, null))
            await Problem.AssertAsync(res, HttpStatusCode.PreconditionRequired);
        using (var res = await PatchAsync(url, patch, "\"v999\""))
            await Problem.AssertAsync(res, HttpStatusCode.PreconditionFailed);
        var full = JsonContentOf(r.NewBody());
        using (var res = await Given.SendAsync(App.Admin, HttpMethod.Put, url, full, null))
            await Problem.AssertAsync(res, HttpStatusCode.PreconditionRequired);
        using (var res = await Given.SendAsync(App.Admin, HttpMethod.Put, url, full, "\"v999\""))
            await Problem.AssertAsync(res, HttpStatusCode.PreconditionFailed);
        using (var res = await Given.SendAsync(App.Admin, HttpMethod.Delete, url, null, null))
            await Problem.AssertAsync(res, HttpStatusCode.PreconditionRequired);
        using (var res = await Given.SendAsync(App.Admin, HttpMethod.Delete, url, null, "\"v999\""))
            await Problem.AssertAsync(res, HttpStatusCode.PreconditionFailed);
        // nothing changed by any of them
        var read = await App.Admin.GetAsync(url);
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(read.Headers.ETag!.Tag, Is.EqualTo(etag));
        Assert.That((await read.Content.ReadFromJsonAsync<JsonObject>())![r.Field]!.ToJsonString(), Is.EqualTo(before[r.Field]!.ToJsonString()));
    }

    [TestCaseSource(nameof(Resources))]
    public async Task Bad_patches_are_4xx_naming_the_problem_and_change_nothing(Resource r)
    {
        var (url, _, etag) = await CreateAsync(r);
        using (var res = await PatchAsync(url, "{\"noSuchField\":1}", etag))
            Assert.That((await Problem.AssertAsync(res, HttpStatusCode.BadRequest)).Errors.Select(e => e.Name), Does.Contain("noSuchField"));
        using (var res = await PatchAsync(url, "{\"version\":7}", etag))
            Assert.That((await Problem.AssertAsync(res, HttpStatusCode.BadRequest)).Errors.Select(e => e.Name), Does.Contain("version"));
        using (var res = await PatchAsync(url, new JsonObject { [r.Required] = null }.ToJsonString(), etag))
            Assert.That((await Problem.AssertAsync(res, HttpStatusCode.BadRequest)).Errors.Select(e => e.Name), Does.Contain(r.Required));
        using (var res = await PatchAsync(url, "[1,2]", etag))
            await Problem.AssertAsync(res, HttpStatusCode.BadRequest);
        using (var res = await PatchAsync(url, "{\"a\":", etag))
            await Problem.AssertAsync(res, HttpStatusCode.BadRequest);
        using (var res = await PatchAsync(url, "name=x", etag, "text/plain"))
            await Problem.AssertAsync(res, HttpStatusCode.UnsupportedMediaType);
        var read = await App.Admin.GetAsync(url);
        Assert.That(read.Headers.ETag!.Tag, Is.EqualTo(etag), "nothing was written");
    }

    [Test]
    public async Task Patch_with_a_wildcard_if_match_still_never_loses_an_update()
    {
        var (url, _, _) = await CreateAsync(Resources[3]);
        using var res = await PatchAsync(url, "{\"name\":\"通配\"}", "*");
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Patch_null_clears_an_optional_field_and_keeps_a_published_article_public()
    {
        var published = await Given.PublishedAsync();
        using var res = await PatchAsync($"/api/v1/admin/articles/{published.Id}", "{\"summary\":null,\"tags\":[\"投资\",\"合作\"]}", IfMatch.ETag(published.Version));
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK), await res.Content.ReadAsStringAsync());
        var after = (await res.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(after["summary"], Is.Null);
        Assert.That(after["tags"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(new[] { "投资", "合作" }));
        Assert.That(after["status"]!.GetValue<string>(), Is.EqualTo("published"));
        Assert.That((await App.Client.GetAsync($"/api/v1/articles/{published.Slug}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Settings_patch_changes_one_field()
    {
        var read = await App.Admin.GetAsync("/api/v1/admin/settings");
        var before = (await read.Content.ReadFromJsonAsync<JsonObject>())!;
        using var res = await PatchAsync("/api/v1/admin/settings", "{\"techSupport\":\"国家信息中心\"}", read.Headers.ETag!.Tag);
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK), await res.Content.ReadAsStringAsync());
        var after = (await res.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(after["techSupport"]!.GetValue<string>(), Is.EqualTo("国家信息中心"));
        Assert.That(after["icpNumber"]!.ToJsonString(), Is.EqualTo(before["icpNumber"]!.ToJsonString()));
        // put it back for other tests
        using var back = await PatchAsync("/api/v1/admin/settings", new JsonObject { ["techSupport"] = before["techSupport"]?.DeepClone() }.ToJsonString(), res.Headers.ETag!.Tag);
        Assert.That(back.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task An_author_may_patch_only_their_own_draft()
    {
        var mine = await Given.DraftAsync(App.Author);
        using var other = await Given.SendAsync(App.OtherAuthor, HttpMethod.Patch, $"/api/v1/admin/articles/{mine.Id}", "{\"title\":\"别人的\"}",
            IfMatch.ETag(mine.Version), MergePatch.MediaType);
        Assert.That(other.StatusCode, Is.AnyOf(HttpStatusCode.Forbidden, HttpStatusCode.NotFound));
        using var own = await Given.SendAsync(App.Author, HttpMethod.Patch, $"/api/v1/admin/articles/{mine.Id}", "{\"title\":\"自己的\"}",
            IfMatch.ETag(mine.Version), MergePatch.MediaType);
        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private static string JsonContentOf(object body) => System.Text.Json.JsonSerializer.Serialize(body, ApiJson.Options);
}
