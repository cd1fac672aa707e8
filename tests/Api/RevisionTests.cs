using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cms.Api.Features.Articles;
using Cms.Api.Features.Revisions;
using Cms.Api.Http;

namespace Cms.Tests.Api;

/// <summary>Revisions: every save kept, compared field by field and paragraph by paragraph, restored byte for byte.</summary>
[TestFixture]
public sealed class RevisionTests
{
    private static async Task<HttpResponseMessage> PutAsync(HttpClient client, string url, JsonObject body, string? etag)
    {
        var req = new HttpRequestMessage(HttpMethod.Put, url) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        if (etag is not null)
            req.Headers.TryAddWithoutValidation("If-Match", etag);
        return await client.SendAsync(req);
    }

    private static async Task<T> Read<T>(HttpResponseMessage res, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await res.Content.ReadAsStringAsync();
        Assert.That(res.StatusCode, Is.EqualTo(status), text);
        return JsonSerializer.Deserialize<T>(text, ApiJson.Options)!;
    }

    [Test]
    public async Task Every_save_is_kept_compared_and_restored_byte_for_byte()
    {
        const string firstBody = "<p>5月21日下午，“产城融合•场景营城”论坛在太原举办——近20位市长出席。😀</p><p>论坛由副局长主持。</p>";
        var body = JsonSerializer.SerializeToNode(Given.ArticleBody(title: "修订：第一稿（初稿）"), ApiJson.Options)!.AsObject();
        body["bodyHtml"] = firstBody;
        var created = await App.Author.PostAsync("/api/v1/admin/articles", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var article = await Read<AdminArticle>(created, HttpStatusCode.Created);

        body["title"] = "修订：第二稿";
        body["bodyHtml"] = "<p>5月21日下午，“产城融合•场景营城”论坛在太原举办——近20位市长出席。😀</p><p>论坛由副局长李勇主持。</p><p>新增一段：260位嘉宾参加。</p>";
        var second = await Read<AdminArticle>(await PutAsync(App.Author, $"/api/v1/admin/articles/{article.Id}", body, IfMatch.ETag(article.Version)));
        body["summary"] = "第三稿摘要";
        var third = await Read<AdminArticle>(await PutAsync(App.Author, $"/api/v1/admin/articles/{article.Id}", body, IfMatch.ETag(second.Version)));

        var list = JsonNode.Parse(await App.Author.GetStringAsync($"/api/v1/admin/articles/{article.Id}/revisions"))!;
        var items = list["items"]!.AsArray().Select(i => i.Deserialize<RevisionInfo>(ApiJson.Options)!).ToList();
        Assert.That(items.Select(r => r.Version), Is.EqualTo(new[] { third.Version, second.Version, article.Version }), "newest first, one per save");
        Assert.That(items.Select(r => r.KeyName), Is.All.EqualTo("作者乙"));
        Assert.That(list["page"]!["totalItems"]!.GetValue<long>(), Is.EqualTo(3));

        var first = await Read<RevisionDetail>(await App.Author.GetAsync($"/api/v1/admin/articles/{article.Id}/revisions/{items[2].Id}"));
        Assert.That(first.Content["title"]!.GetValue<string>(), Is.EqualTo("修订：第一稿（初稿）"));
        Assert.That(first.Content["bodyHtml"]!.GetValue<string>(), Is.EqualTo(firstBody));

        var diff = await Read<RevisionDiff>(await App.Author.GetAsync($"/api/v1/admin/articles/{article.Id}/revisions/diff?from={items[2].Id}"));
        Assert.That(diff.To.Id, Is.EqualTo(items[0].Id), "to defaults to the newest");
        Assert.That(diff.Fields.Select(f => f.Name), Is.EquivalentTo(new[] { "title", "bodyHtml", "summary" }));
        Assert.That(diff.Fields.Single(f => f.Name == "title").Before!.GetValue<string>(), Is.EqualTo("修订：第一稿（初稿）"));
        Assert.That(diff.BodyText.Where(l => l.Change == "deleted").Select(l => l.Text), Is.EqualTo(new[] { "论坛由副局长主持。" }));
        Assert.That(diff.BodyText.Where(l => l.Change == "inserted").Select(l => l.Text), Is.EqualTo(new[] { "论坛由副局长李勇主持。", "新增一段：260位嘉宾参加。" }));
        Assert.That(diff.BodyText.First().Change, Is.EqualTo("unchanged"));

        // restore follows PUT's rules: If-Match is required and must be current
        var url = $"/api/v1/admin/articles/{article.Id}/revisions/{items[2].Id}/restore";
        await Problem.AssertAsync(await App.Author.PostAsync(url, null), HttpStatusCode.PreconditionRequired);
        var stale = new HttpRequestMessage(HttpMethod.Post, url);
        stale.Headers.TryAddWithoutValidation("If-Match", IfMatch.ETag(second.Version));
        await Problem.AssertAsync(await App.Author.SendAsync(stale), HttpStatusCode.PreconditionFailed);
        var restore = new HttpRequestMessage(HttpMethod.Post, url);
        restore.Headers.TryAddWithoutValidation("If-Match", IfMatch.ETag(third.Version));
        var restoredRes = await App.Author.SendAsync(restore);
        var restored = await Read<RevisionDetail>(restoredRes);
        Assert.That(restoredRes.Headers.ETag!.Tag, Is.EqualTo(IfMatch.ETag(third.Version + 1)));
        Assert.That(restored.Version, Is.EqualTo(third.Version + 1));
        Assert.That(restored.Id, Is.GreaterThan(items[0].Id), "a restore is a new revision");

        var now = await Read<AdminArticle>(await App.Author.GetAsync($"/api/v1/admin/articles/{article.Id}"));
        Assert.That(now.Title, Is.EqualTo("修订：第一稿（初稿）"));
        Assert.That(Encoding.UTF8.GetBytes(now.BodyHtml), Is.EqualTo(Encoding.UTF8.GetBytes(firstBody)), "byte-exact Chinese, full-width punctuation and emoji");
        Assert.That(now.Summary, Is.EqualTo(article.Summary));
    }

    [Test]
    public async Task Who_may_see_revisions_follows_who_may_edit()
    {
        var mine = await Given.DraftAsync(App.Author);
        Assert.That((await App.OtherAuthor.GetAsync($"/api/v1/admin/articles/{mine.Id}/revisions")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await App.Editor.GetAsync($"/api/v1/admin/articles/{mine.Id}/revisions")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await App.Author.GetAsync("/api/v1/admin/categories/2/revisions")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await App.Editor.GetAsync("/api/v1/admin/categories/2/revisions")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await App.Editor.GetAsync("/api/v1/admin/settings/revisions")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await App.Client.GetAsync("/api/v1/admin/settings/revisions")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var settings = JsonNode.Parse(await App.Admin.GetStringAsync("/api/v1/admin/settings/revisions"))!["items"]!.AsArray();
        Assert.That(settings, Is.Not.Empty, "the demo's settings were saved once");
        Assert.That((await App.Editor.GetAsync("/api/v1/admin/articles/987654321/revisions")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await App.Editor.GetAsync($"/api/v1/admin/articles/{mine.Id}/revisions/987654321")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        await Problem.AssertAsync(await App.Editor.GetAsync($"/api/v1/admin/articles/{mine.Id}/revisions/diff"), HttpStatusCode.BadRequest, "from");
    }

    [Test]
    public async Task A_publish_adds_no_revision_of_its_own_and_a_settings_restore_round_trips()
    {
        var a = await Given.DraftAsync();
        var before = JsonNode.Parse(await App.Editor.GetStringAsync($"/api/v1/admin/articles/{a.Id}/revisions"))!["page"]!["totalItems"]!.GetValue<long>();
        (await App.Editor.PostAsync($"/api/v1/admin/articles/{a.Id}/offline", null)).Dispose();
        var after = JsonNode.Parse(await App.Editor.GetStringAsync($"/api/v1/admin/articles/{a.Id}/revisions"))!["page"]!["totalItems"]!.GetValue<long>();
        Assert.That(after, Is.EqualTo(before));

        var get = await App.Admin.GetAsync("/api/v1/admin/settings");
        var settings = JsonNode.Parse(await get.Content.ReadAsStringAsync())!.AsObject();
        var phone = settings["phone"]?.GetValue<string>();
        var patch = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/admin/settings") { Content = new StringContent("{\"phone\":\"010-00000000\"}", Encoding.UTF8, "application/merge-patch+json") };
        patch.Headers.TryAddWithoutValidation("If-Match", get.Headers.ETag!.Tag);
        var patched = await App.Admin.SendAsync(patch);
        Assert.That(patched.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var revisions = JsonNode.Parse(await App.Admin.GetStringAsync("/api/v1/admin/settings/revisions"))!["items"]!.AsArray();
        var diff = await Read<RevisionDiff>(await App.Admin.GetAsync($"/api/v1/admin/settings/revisions/diff?from={revisions[1]!["id"]}&to={revisions[0]!["id"]}"));
        Assert.That(diff.Fields.Select(f => f.Name), Is.EqualTo(new[] { "phone" }));
        var restore = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/admin/settings/revisions/{revisions[1]!["id"]}/restore");
        restore.Headers.TryAddWithoutValidation("If-Match", patched.Headers.ETag!.Tag);
        Assert.That((await App.Admin.SendAsync(restore)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(JsonNode.Parse(await App.Admin.GetStringAsync("/api/v1/admin/settings"))!["phone"]?.GetValue<string>(), Is.EqualTo(phone));
    }

    [Test]
    public async Task Only_the_configured_number_of_revisions_is_kept()
    {
        var db = Path.Combine(Path.GetTempPath(), $"cms-rev-{Guid.NewGuid():N}.db");
        using (var factory = new CmsFactory(db, new Dictionary<string, string> { ["Cms:Revisions:Keep"] = "3" }))
        {
            using var admin = factory.CreateClient();
            admin.DefaultRequestHeaders.Add("X-Api-Key", App.AdminKey);
            var created = await admin.PostAsync("/api/v1/admin/articles", Given.JsonContent(Given.ArticleBody(title: "保留：0")));
            var a = await Read<AdminArticle>(created, HttpStatusCode.Created);
            var body = JsonSerializer.SerializeToNode(Given.ArticleBody(title: "x"), ApiJson.Options)!.AsObject();
            var version = a.Version;
            for (var i = 1; i <= 5; i++)
            {
                body["title"] = $"保留：{i}";
                version = (await Read<AdminArticle>(await PutAsync(admin, $"/api/v1/admin/articles/{a.Id}", body, IfMatch.ETag(version)))).Version;
            }
            var items = JsonNode.Parse(await admin.GetStringAsync($"/api/v1/admin/articles/{a.Id}/revisions"))!["items"]!.AsArray();
            Assert.That(items.Select(i => i!["version"]!.GetValue<long>()), Is.EqualTo(new[] { version, version - 1, version - 2 }));
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var f in new[] { db, db + "-wal", db + "-shm" })
            File.Delete(f);
        var media = Cms.Api.Features.Media.MediaOptions.DefaultRoot(db);
        if (Directory.Exists(media))
            Directory.Delete(media, recursive: true);
    }
}
