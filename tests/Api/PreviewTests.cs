using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cms.Api.Features.Articles;
using Cms.Api.Features.Preview;
using Cms.Api.Http;
using Microsoft.Data.Sqlite;

namespace Cms.Tests.Api;

/// <summary>Preview addresses: signed, expiring, never cached or indexed, ended by the next save or the publish.</summary>
[TestFixture]
public sealed class PreviewTests
{
    private static async Task<PreviewLink> LinkAsync(HttpClient client, long id, int minutes = 60)
    {
        var res = await client.PostAsJsonAsync($"/api/v1/admin/articles/{id}/preview", new { minutes });
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK), await res.Content.ReadAsStringAsync());
        return (await res.Content.ReadFromJsonAsync<PreviewLink>(ApiJson.Options))!;
    }

    [Test]
    public async Task A_draft_shows_through_its_address_until_it_is_saved_or_published()
    {
        var draft = await Given.DraftAsync(App.Author, Given.ArticleBody(title: "预览：尚未发布的招商推介会通知"));
        var link = await LinkAsync(App.Author, draft.Id);
        Assert.That(link.Url, Does.StartWith("/preview.html?t="));
        Assert.That(link.Version, Is.EqualTo(draft.Version));

        var shown = await App.Client.GetAsync(link.ApiUrl);
        Assert.That(shown.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(shown.Headers.CacheControl!.NoStore, Is.True);
        Assert.That(shown.Headers.GetValues("X-Robots-Tag").Single(), Does.Contain("noindex"));
        Assert.That(shown.Headers.Contains("X-Cache") ? shown.Headers.GetValues("X-Cache").Single() : "miss", Is.Not.EqualTo("hit"));
        var body = JsonNode.Parse(await shown.Content.ReadAsStringAsync())!;
        Assert.That(body["title"]!.GetValue<string>(), Is.EqualTo("预览：尚未发布的招商推介会通知"));
        Assert.That(body["preview"]!.GetValue<bool>(), Is.True);
        Assert.That(body["breadcrumb"]!.AsArray().Select(b => b!["code"]!.GetValue<string>()), Is.EqualTo(new[] { "c" }));

        var page = await App.Client.GetAsync(link.Url);
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(page.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
        Assert.That(page.Headers.CacheControl!.NoStore, Is.True);
        Assert.That(page.Headers.GetValues("X-Robots-Tag").Single(), Does.Contain("noindex"));

        // never public: not in the sitemap, feeds or sync
        foreach (var url in new[] { "/sitemap.xml", "/feeds/rss.xml", "/api/v1/sync?limit=500" })
            Assert.That(await App.Client.GetStringAsync(url), Does.Not.Contain("预览：尚未发布的招商推介会通知"), url);

        // a save ends it
        var edit = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/admin/articles/{draft.Id}") { Content = Given.JsonContent(Given.ArticleBody(title: "预览：改过的标题")) };
        edit.Headers.TryAddWithoutValidation("If-Match", IfMatch.ETag(draft.Version));
        Assert.That((await App.Author.SendAsync(edit)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await Problem.AssertAsync(await App.Client.GetAsync(link.ApiUrl), HttpStatusCode.Gone);

        // and so does the publish
        var again = await LinkAsync(App.Editor, draft.Id);
        Assert.That((await App.Client.GetAsync(again.ApiUrl)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await App.Editor.PostAsync($"/api/v1/admin/articles/{draft.Id}/publish", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await Problem.AssertAsync(await App.Client.GetAsync(again.ApiUrl), HttpStatusCode.Gone);
        await Problem.AssertAsync(await App.Editor.PostAsJsonAsync($"/api/v1/admin/articles/{draft.Id}/preview", new { minutes = 5 }), HttpStatusCode.Conflict, "status");
    }

    [Test]
    public async Task A_forged_or_expired_address_shows_nothing()
    {
        var draft = await Given.DraftAsync(App.Author);
        var link = await LinkAsync(App.Author, draft.Id);
        var token = link.ApiUrl["/api/v1/preview/".Length..];
        var parts = token.Split('.');
        // another article, a later expiry or a changed signature: each is someone else's guess
        foreach (var forged in new[] { $"{draft.Id + 1}.{parts[1]}.{parts[2]}.{parts[3]}", $"{parts[0]}.{parts[1]}.{long.Parse(parts[2]) + 86400}.{parts[3]}",
                     $"{parts[0]}.{parts[1]}.{parts[2]}.{new string('A', 32)}", "x", "1.1.1", new string('9', 150) })
            await Problem.AssertAsync(await App.Client.GetAsync("/api/v1/preview/" + Uri.EscapeDataString(forged)), HttpStatusCode.NotFound);

        byte[] secret;
        await using (var conn = TestStore.Open(App.DbPath))
            secret = Dapper.SqlMapper.ExecuteScalar<byte[]>(conn, "SELECT value FROM secrets WHERE name = 'preview'")!;
        Assert.That(secret, Has.Length.EqualTo(32));
        var expired = PreviewToken.Make(secret, draft.Id, draft.Version, DateTimeOffset.UtcNow.AddMinutes(-1));
        var res = await App.Client.GetAsync("/api/v1/preview/" + expired);
        Assert.That((await Problem.AssertAsync(res, HttpStatusCode.Gone)).Detail, Does.Contain("expired"));
        await Problem.AssertAsync(await App.OtherAuthor.PostAsJsonAsync($"/api/v1/admin/articles/{draft.Id}/preview", new { minutes = 5 }), HttpStatusCode.Forbidden);
        await Problem.AssertAsync(await App.Author.PostAsJsonAsync($"/api/v1/admin/articles/{draft.Id}/preview", new { minutes = 0 }), HttpStatusCode.BadRequest, "minutes");
    }
}
