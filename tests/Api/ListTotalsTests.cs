using System.Net;
using System.Net.Http.Json;
using Cms.Api.Features.Articles;
using Cms.Api.Http;

namespace Cms.Tests.Api;

/// <summary>List totals come from counts kept at write time (column_counts); they must follow every kind of write.</summary>
[TestFixture]
public sealed class ListTotalsTests
{
    private static async Task<long> TotalAsync(string? column)
    {
        var res = await App.Client.GetFromJsonAsync<Paged<ArticleListItem>>("/api/v1/articles?pageSize=1" + (column is null ? "" : $"&category={column}"), ApiJson.Options);
        return res!.Page.TotalItems;
    }

    private static long VisibleInDatabase(long? columnId)
    {
        using var conn = TestStore.Open(App.DbPath, readOnly: true);
        return Dapper.SqlMapper.ExecuteScalar<long>(conn,
            "SELECT count(*) FROM articles WHERE status = 'published' AND publish_at <= @now AND (@columnId IS NULL OR category_id = @columnId)",
            new { now = Cms.Api.Data.UtcTime.Now(), columnId });
    }

    private static async Task<AdminArticle> SendAsync(HttpMethod method, string url, string? json = null, long? version = null, string type = "application/json")
    {
        var res = await Given.SendAsync(App.Editor, method, url, json, version is { } v ? IfMatch.ETag(v) : null, type);
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK), await res.Content.ReadAsStringAsync());
        return (await res.Content.ReadFromJsonAsync<AdminArticle>(ApiJson.Options))!;
    }

    [Test]
    public async Task Totals_follow_publish_schedule_offline_move_and_delete()
    {
        var a = await Columns.NewListColumnAsync();
        var b = await Columns.NewListColumnAsync();
        var p1 = await Given.PublishedAsync(Given.ArticleBody(categoryId: a.Id, publishAt: "2024-01-01T00:00:00Z"));
        var p2 = await Given.PublishedAsync(Given.ArticleBody(categoryId: a.Id, publishAt: "2024-01-02T00:00:00Z"));
        var p3 = await Given.PublishedAsync(Given.ArticleBody(categoryId: a.Id, publishAt: "2024-01-03T00:00:00Z"));
        await Given.PublishedAsync(Given.ArticleBody(categoryId: a.Id, publishAt: "2999-01-01T00:00:00Z"));   // scheduled
        await Given.DraftAsync(App.Editor, Given.ArticleBody(categoryId: a.Id));
        Assert.That((await TotalAsync(a.Code), await TotalAsync(b.Code)), Is.EqualTo((3L, 0L)));

        var off = await SendAsync(HttpMethod.Post, $"/api/v1/admin/articles/{p3.Id}/offline");
        Assert.That(await TotalAsync(a.Code), Is.EqualTo(2));
        await SendAsync(HttpMethod.Patch, $"/api/v1/admin/articles/{p2.Id}", $$"""{"categoryId":{{b.Id}}}""", p2.Version, "application/merge-patch+json");
        Assert.That((await TotalAsync(a.Code), await TotalAsync(b.Code)), Is.EqualTo((1L, 1L)));
        await SendAsync(HttpMethod.Post, $"/api/v1/admin/articles/{off.Id}/publish");
        Assert.That(await TotalAsync(a.Code), Is.EqualTo(2));
        var p1Off = await SendAsync(HttpMethod.Post, $"/api/v1/admin/articles/{p1.Id}/offline");
        var del = await Given.SendAsync(App.Editor, HttpMethod.Delete, $"/api/v1/admin/articles/{p1.Id}", ifMatch: IfMatch.ETag(p1Off.Version));
        Assert.That(del.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await TotalAsync(a.Code), await TotalAsync(b.Code)), Is.EqualTo((1L, 1L)));

        Assert.That(await TotalAsync(a.Code), Is.EqualTo(VisibleInDatabase(a.Id)));
        Assert.That(await TotalAsync(null), Is.EqualTo(VisibleInDatabase(null)), "the whole site");
    }
}
