using System.Net;
using System.Net.Http.Json;
using Cms.Api.Features.Search;
using Cms.Api.Http;

namespace Cms.Tests.Api;

[TestFixture]
public sealed class SearchTests
{
    private static async Task<Paged<SearchHit>> SearchAsync(string query)
    {
        var res = await App.Client.GetAsync("/api/v1/search?" + query);
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK), await res.Content.ReadAsStringAsync());
        return (await res.Content.ReadFromJsonAsync<Paged<SearchHit>>(ApiJson.Options))!;
    }

    private static string Q(string q) => "q=" + Uri.EscapeDataString(q);

    [Test]
    public async Task Four_character_chinese_query_finds_the_seed_and_marks_it()
    {
        var r = await SearchAsync(Q("市长论坛"));
        var hit = r.Items.Single(i => i.Slug == "2021-cczg-mayors-forum");
        Assert.That(hit.TitleHtml, Is.EqualTo("“产城融合•场景营城”——2021中博会•产城中国<mark>市长论坛</mark>成功举办"));
        Assert.That(hit.SnippetHtml, Does.Contain("<mark>市长论坛</mark>"));
        Assert.That(hit.Category.Code, Is.EqualTo("c"));
    }

    [Test]
    public async Task Two_and_one_character_queries_use_the_index_too()
    {
        var r = await SearchAsync(Q("太原"));
        Assert.That(r.Items.Select(i => i.Slug), Has.Member("2021-cczg-mayors-forum"));
        Assert.That(r.Items.First(i => i.Slug == "2021-cczg-mayors-forum").SnippetHtml, Does.Contain("<mark>太原</mark>"));
        var one = await SearchAsync(Q("晋"));
        Assert.That(one.Items, Is.Empty);
    }

    [Test]
    public async Task Mixed_latin_and_chinese_and_several_words_must_all_match()
    {
        var unique = "Zq" + Guid.NewGuid().ToString("N")[..6];
        var a = await Given.PublishedAsync(Given.ArticleBody(title: $"{unique}投资促进合作", bodyHtml: "<p>数字经济 GDP 增长</p>"));
        Assert.That((await SearchAsync(Q($"{unique}投资"))).Items.Select(i => i.Id), Is.EqualTo(new[] { a.Id }));
        Assert.That((await SearchAsync(Q($"{unique} 数字经济"))).Items.Select(i => i.Id), Is.EqualTo(new[] { a.Id }));
        Assert.That((await SearchAsync(Q($"{unique} 不存在"))).Items, Is.Empty);
        Assert.That((await SearchAsync(Q($"{unique.ToLowerInvariant()} gdp"))).Items.Select(i => i.Id), Is.EqualTo(new[] { a.Id }), "case-insensitive Latin");
    }

    [Test]
    public async Task Title_matches_rank_above_body_matches()
    {
        var word = "排序" + Guid.NewGuid().ToString("N")[..4];
        var inBody = await Given.PublishedAsync(Given.ArticleBody(title: "正文提到", bodyHtml: $"<p>这里提到{word}一次。</p>", publishAt: "2025-01-02T00:00:00Z"));
        var inTitle = await Given.PublishedAsync(Given.ArticleBody(title: $"标题含{word}", bodyHtml: "<p>无关。</p>", publishAt: "2020-01-01T00:00:00Z"));
        Assert.That((await SearchAsync(Q(word))).Items.Select(i => i.Id), Is.EqualTo(new[] { inTitle.Id, inBody.Id }));
    }

    [Test]
    public async Task Filters_narrow_the_hits()
    {
        var word = "筛选" + Guid.NewGuid().ToString("N")[..4];
        var col = await Columns.NewListColumnAsync();
        var inCol = await Given.PublishedAsync(Given.ArticleBody(categoryId: col.Id, title: word, articleType: "reprint", source: "新华社", publishAt: "2021-03-01T12:00:00+08:00"));
        var other = await Given.PublishedAsync(Given.ArticleBody(title: word, publishAt: "2022-03-01T12:00:00+08:00"));
        Assert.That((await SearchAsync($"{Q(word)}&category={col.Code}")).Items.Select(i => i.Id), Is.EqualTo(new[] { inCol.Id }));
        Assert.That((await SearchAsync($"{Q(word)}&type=reprint")).Items.Select(i => i.Id), Is.EqualTo(new[] { inCol.Id }));
        Assert.That((await SearchAsync($"{Q(word)}&from=2022-01-01")).Items.Select(i => i.Id), Is.EqualTo(new[] { other.Id }));
        Assert.That((await SearchAsync($"{Q(word)}&to=2021-12-31")).Items.Select(i => i.Id), Is.EqualTo(new[] { inCol.Id }));
        Assert.That((await SearchAsync(Q("新华社" + word[..2]))).Items, Is.Empty, "source words are searched but must match as a whole");
    }

    [Test]
    public async Task Highlighting_escapes_everything_but_the_marks()
    {
        var word = "转义" + Guid.NewGuid().ToString("N")[..4];
        await Given.PublishedAsync(Given.ArticleBody(title: $"<b>粗</b> & {word} \"引号\"", bodyHtml: $"<p>&lt;script&gt;alert(1)&lt;/script&gt; {word}</p>"));
        var hit = (await SearchAsync(Q(word))).Items.Single();
        Assert.That(hit.TitleHtml, Is.EqualTo($"&lt;b&gt;粗&lt;/b&gt; &amp; <mark>{word}</mark> &quot;引号&quot;"));
        Assert.That(hit.SnippetHtml, Does.Contain("&lt;script&gt;").And.Not.Contain("<script"));
    }

    [Test]
    public async Task Drafts_and_future_articles_are_never_found()
    {
        var word = "未发" + Guid.NewGuid().ToString("N")[..4];
        await Given.DraftAsync(App.Editor, Given.ArticleBody(title: word));
        await Given.PublishedAsync(Given.ArticleBody(title: word, publishAt: "2999-01-01T00:00:00Z"));
        Assert.That((await SearchAsync(Q(word))).Items, Is.Empty);
        Assert.That((await SearchAsync(Q(word[..2]))).Items.Select(i => i.Title), Has.None.Contains(word));
    }

    [TestCase("\"")]
    [TestCase("\"\"")]
    [TestCase("*")]
    [TestCase("AND")]
    [TestCase("OR NOT")]
    [TestCase("NEAR(a b)")]
    [TestCase("title:x")]
    [TestCase("(")]
    [TestCase("-")]
    [TestCase("^产城")]
    [TestCase("产城*")]
    [TestCase("'; DROP TABLE articles;--")]
    [TestCase("%")]
    [TestCase("_")]
    [TestCase("\\")]
    [TestCase("市长\" OR \"1")]
    public async Task Hostile_queries_give_results_not_errors(string q)
    {
        var schema = Rows.SchemaHash();
        var res = await App.Client.GetAsync("/api/v1/search?" + Q(q));
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK), await res.Content.ReadAsStringAsync());
        Assert.That(await res.Content.ReadAsStringAsync(), Does.Not.Contain("fts5").And.Not.Contain("syntax error"));
        Assert.That(Rows.SchemaHash(), Is.EqualTo(schema));
    }

    [TestCase("NEAR(产城 投资)")]
    [TestCase("title:产城")]
    [TestCase("\"引号\"")]
    [TestCase("产城*")]
    [TestCase("投资 AND 合作")]
    [TestCase("^产城")]
    [TestCase("a OR b")]
    [TestCase("-合作")]
    public async Task Hostile_query_words_are_searched_literally(string hostile)
    {
        // one article holds the text itself, its twin everything but the operators: only the first may match
        var marker = "字" + Guid.NewGuid().ToString("N")[..8];
        var literal = await Given.PublishedAsync(Given.ArticleBody(title: $"{marker} {hostile} 标题", bodyHtml: "<p>正文</p>"));
        var plain = System.Text.RegularExpressions.Regex.Replace(hostile, "[()\":*^+-]|NEAR|AND|OR|title", " ");
        await Given.PublishedAsync(Given.ArticleBody(title: $"{marker} {plain} 产城 投资 合作 标题", bodyHtml: "<p>正文</p>"));
        var hits = await SearchAsync(Q($"{marker} {hostile}"));
        Assert.That(hits.Items.Select(i => i.Id), Is.EqualTo(new[] { literal.Id }), $"'{hostile}' is text, not FTS syntax");
    }

    [Test]
    public async Task Like_wildcards_are_literal()
    {
        var all = await SearchAsync(Q("40%"));
        Assert.That(all.Items.Select(i => i.Slug), Has.Member("2021-cczg-mayors-forum"), "its body has 40%以上");
        Assert.That(all.Items.Where(i => !(i.TitleHtml + i.SnippetHtml).Contains("<mark>40%</mark>")), Is.Empty);
        Assert.That((await SearchAsync(Q("4_%"))).Items, Is.Empty, "_ is a character, not a wildcard");
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("\u3000")]
    public async Task Empty_query_is_400_naming_q(string q) =>
        await Problem.AssertAsync(await App.Client.GetAsync("/api/v1/search?" + Q(q)), HttpStatusCode.BadRequest, "q");

    [Test]
    public async Task Missing_and_oversized_queries_are_400_naming_q()
    {
        await Problem.AssertAsync(await App.Client.GetAsync("/api/v1/search"), HttpStatusCode.BadRequest, "q");
        await Problem.AssertAsync(await App.Client.GetAsync("/api/v1/search?" + Q(new string('搜', 101))), HttpStatusCode.BadRequest, "q");
        await Problem.AssertAsync(await App.Client.GetAsync("/api/v1/search?" + Q(new string('x', 10_000))), HttpStatusCode.BadRequest, "q");
        await Problem.AssertAsync(await App.Client.GetAsync("/api/v1/search?" + Q(string.Join(' ', Enumerable.Range(0, 11).Select(i => $"词{i}")))), HttpStatusCode.BadRequest, "q");
        await Problem.AssertAsync(await App.Client.GetAsync("/api/v1/search?" + Q("a\u0001b")), HttpStatusCode.BadRequest, "q");
    }

    [Test]
    public async Task Edits_reach_the_index_in_the_same_write()
    {
        var before = "改前" + Guid.NewGuid().ToString("N")[..4];
        var after = "改后" + Guid.NewGuid().ToString("N")[..4];
        var a = await Given.PublishedAsync(Given.ArticleBody(title: before));
        Assert.That((await SearchAsync(Q(before))).Items, Has.Count.EqualTo(1));
        var res = await Given.SendAsync(App.Editor, HttpMethod.Put, $"/api/v1/admin/articles/{a.Id}",
            System.Text.Json.JsonSerializer.Serialize(new { categoryId = 2, title = after, bodyHtml = "<p>x</p>", a.PublishAt }), IfMatch.ETag(a.Version));
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await SearchAsync(Q(before))).Items, Is.Empty);
        Assert.That((await SearchAsync(Q(after))).Items, Has.Count.EqualTo(1));
    }
}
