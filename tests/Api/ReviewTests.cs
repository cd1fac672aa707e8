using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cms.Api.Features.Articles;
using Cms.Api.Features.Keys;
using Cms.Api.Features.Reviews;
using Cms.Api.Http;

namespace Cms.Tests.Api;

/// <summary>审核: a column's review steps, each approved by someone other than the author, before a draft is published.</summary>
[TestFixture]
public sealed class ReviewTests
{
    private static async Task<long> ColumnAsync(int steps)
    {
        var res = await App.Admin.PostAsync("/api/v1/admin/categories", Given.JsonContent(new
        {
            code = "rv" + Guid.NewGuid().ToString("N")[..8], name = $"{steps}审栏目", kind = "list", reviewSteps = steps, isHidden = true, showInNav = false,
        }));
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.Created), await res.Content.ReadAsStringAsync());
        return JsonNode.Parse(await res.Content.ReadAsStringAsync())!["id"]!.GetValue<long>();
    }

    private static async Task<AdminArticle> ArticleAsync(HttpResponseMessage res)
    {
        var text = await res.Content.ReadAsStringAsync();
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonSerializer.Deserialize<AdminArticle>(text, ApiJson.Options)!;
    }

    private static Task<HttpResponseMessage> Act(HttpClient client, long id, string action, string? comment = "意见") =>
        client.PostAsync($"/api/v1/admin/articles/{id}/{action}", Given.JsonContent(new { comment }));

    [Test]
    public async Task Three_steps_by_three_people_none_of_them_the_author_then_publish()
    {
        var column = await ColumnAsync(3);
        var draft = await Given.DraftAsync(App.Author, Given.ArticleBody(title: "三审：投资促进工作简报", categoryId: column));
        var published = await App.Editor.PostAsync($"/api/v1/admin/articles/{draft.Id}/publish", null);
        Assert.That((await Problem.AssertAsync(published, HttpStatusCode.Conflict, "status")).Detail, Does.Contain("not been submitted"));

        var submitted = await ArticleAsync(await Act(App.Author, draft.Id, "submit", "请审核"));
        Assert.That(submitted.Status, Is.EqualTo(ArticleStatus.InReview));
        Assert.That((submitted.Review!.Step, submitted.Review.Steps, submitted.Review.WaitingFor), Is.EqualTo((1, 3, "初审")));
        await Problem.AssertAsync(await Act(App.Author, draft.Id, "submit"), HttpStatusCode.Conflict, "status");
        Assert.That((await Act(App.Author, draft.Id, "approve")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "an author does not review");

        var first = await ArticleAsync(await Act(App.Editor, draft.Id, "approve", "初审同意"));
        Assert.That(first.Review!.WaitingFor, Is.EqualTo("复审"));
        var twice = await Act(App.Editor, draft.Id, "approve");
        Assert.That((await Problem.AssertAsync(twice, HttpStatusCode.Forbidden)).Detail, Does.Contain("earlier step"));
        await Problem.AssertAsync(await App.Editor.PostAsync($"/api/v1/admin/articles/{draft.Id}/publish", null), HttpStatusCode.Conflict, "status");

        using var second = App.WithKey(await App.NewKeyAsync("复审人", KeyRole.Editor));
        var waiting = JsonNode.Parse(await second.GetStringAsync("/api/v1/admin/reviews/waiting?pageSize=100"))!["items"]!.AsArray();
        Assert.That(waiting.Select(w => w!["id"]!.GetValue<long>()), Has.Member(draft.Id));
        var notForEditor = JsonNode.Parse(await App.Editor.GetStringAsync("/api/v1/admin/reviews/waiting?pageSize=100"))!["items"]!.AsArray();
        Assert.That(notForEditor.Select(w => w!["id"]!.GetValue<long>()), Has.No.Member(draft.Id), "the first reviewer has done their step");
        Assert.That((await ArticleAsync(await Act(second, draft.Id, "approve", "复审同意"))).Review!.WaitingFor, Is.EqualTo("终审"));
        var approved = await ArticleAsync(await Act(App.Admin, draft.Id, "approve", "终审同意"));
        Assert.That((approved.Review!.Approved, approved.Review.WaitingFor), Is.EqualTo((true, (string?)null)));
        await Problem.AssertAsync(await Act(App.Admin, draft.Id, "approve"), HttpStatusCode.Conflict, "status");

        var live = await ArticleAsync(await App.Editor.PostAsync($"/api/v1/admin/articles/{draft.Id}/publish", null));
        Assert.That((live.Status, live.Review), Is.EqualTo((ArticleStatus.Published, (ReviewState?)null)));
        Assert.That((await App.Client.GetAsync($"/api/v1/articles/{draft.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var events = (await App.Author.GetFromJsonAsync<List<ReviewEvent>>($"/api/v1/admin/articles/{draft.Id}/reviews", ApiJson.Options))!;
        Assert.That(events.Select(e => (e.Action, e.StepName, e.KeyName, e.Comment)), Is.EqualTo(new (string, string?, string?, string)[]
        {
            ("submit", null, "作者乙", "请审核"), ("approve", "初审", "编辑甲", "初审同意"), ("approve", "复审", "复审人", "复审同意"),
            ("approve", "终审", null, "终审同意"), ("publish", null, "编辑甲", ""),
        }).Using<(string, string?, string?, string)>((a, b) => a.Item1 == b.Item1 && a.Item2 == b.Item2 && a.Item4 == b.Item4 && (b.Item3 is null || a.Item3 == b.Item3)));
        Assert.That(events.Select(e => e.At), Is.Ordered);
    }

    [Test]
    public async Task Reject_returns_to_draft_with_a_comment_and_an_edit_under_review_resets_it()
    {
        var column = await ColumnAsync(1);
        var draft = await Given.DraftAsync(App.Author, Given.ArticleBody(title: "退回：待修改的通知", categoryId: column));
        await ArticleAsync(await Act(App.Author, draft.Id, "submit"));
        await Problem.AssertAsync(await Act(App.Editor, draft.Id, "reject", null), HttpStatusCode.BadRequest, "comment");
        var rejected = await ArticleAsync(await Act(App.Editor, draft.Id, "reject", "请核实第二段中的数据来源"));
        Assert.That((rejected.Status, rejected.Review), Is.EqualTo((ArticleStatus.Draft, (ReviewState?)null)));
        var list = JsonNode.Parse(await App.Author.GetStringAsync($"/api/v1/admin/articles?status=inReview&pageSize=100"))!["items"]!.AsArray();
        Assert.That(list.Select(i => i!["id"]!.GetValue<long>()), Has.No.Member(draft.Id));

        await ArticleAsync(await Act(App.Author, draft.Id, "submit"));
        list = JsonNode.Parse(await App.Author.GetStringAsync($"/api/v1/admin/articles?status=inReview&pageSize=100"))!["items"]!.AsArray();
        Assert.That(list.Single(i => i!["id"]!.GetValue<long>() == draft.Id)!["status"]!.GetValue<string>(), Is.EqualTo("inReview"));
        // the author changes the text while it waits: what was submitted is not what is there now
        var edit = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/admin/articles/{draft.Id}")
        {
            Content = Given.JsonContent(Given.ArticleBody(title: "退回：已修改的通知", categoryId: column)),
        };
        edit.Headers.TryAddWithoutValidation("If-Match", IfMatch.ETag(draft.Version));
        var edited = await ArticleAsync(await App.Author.SendAsync(edit));
        Assert.That((edited.Status, edited.Review), Is.EqualTo((ArticleStatus.Draft, (ReviewState?)null)));
        await Problem.AssertAsync(await Act(App.Editor, draft.Id, "approve"), HttpStatusCode.Conflict, "status");
        var events = (await App.Editor.GetFromJsonAsync<List<ReviewEvent>>($"/api/v1/admin/articles/{draft.Id}/reviews", ApiJson.Options))!;
        Assert.That(events.Select(e => e.Action), Is.EqualTo(new[] { "submit", "reject", "submit", "reset" }));
        Assert.That(events[1].Comment, Is.EqualTo("请核实第二段中的数据来源"));
    }

    [Test]
    public async Task An_editors_own_article_needs_another_reviewer_and_a_column_without_review_publishes_directly()
    {
        var column = await ColumnAsync(1);
        var own = await Given.DraftAsync(App.Editor, Given.ArticleBody(title: "编辑自己的稿件", categoryId: column));
        await ArticleAsync(await Act(App.Editor, own.Id, "submit"));
        await Problem.AssertAsync(await Act(App.Editor, own.Id, "approve"), HttpStatusCode.Forbidden);
        await Problem.AssertAsync(await Act(App.Editor, own.Id, "reject"), HttpStatusCode.Forbidden);
        await ArticleAsync(await Act(App.Admin, own.Id, "approve"));
        await ArticleAsync(await App.Editor.PostAsync($"/api/v1/admin/articles/{own.Id}/publish", null));

        var plain = await Given.DraftAsync(App.Author);
        await Problem.AssertAsync(await Act(App.Author, plain.Id, "submit"), HttpStatusCode.Conflict, "categoryId");
        Assert.That((await App.Editor.PostAsync($"/api/v1/admin/articles/{plain.Id}/publish", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await App.OtherAuthor.GetAsync($"/api/v1/admin/articles/{own.Id}/reviews")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
