using System.Net;
using System.Net.Http.Json;
using Cms.Api.Data;
using Cms.Api.Features.Articles;
using Cms.Api.Features.Search;
using Cms.Api.Http;

namespace Cms.Tests.Api;

/// <summary>
/// The search index against the promise it keeps: on a small random corpus, every query finds exactly the articles a
/// brute-force substring scan finds, in the documented order, on every page size.
/// </summary>
[TestFixture]
public sealed class SearchIndexTests
{
    // a few characters, so random texts share many substrings: CJK, full-width and ASCII punctuation, mixed-case Latin
    private static readonly string[] Alphabet = ["投", "资", "合", "作", "中", "国", "A", "b", "%", "c", "#", ",", "。", "１", "\"", "-"];
    private const string MarkerDigits = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳";

    private sealed record Doc(long Id, string Title, string Subtitle, string Summary, string Body, string Source, DateTimeOffset PublishAt, bool Public)
    {
        public string[] Fields => [Title, Subtitle, Summary, Body, Source];
    }

    private string _marker = "";
    private readonly List<Doc> _docs = [];
    private readonly Random _rng = new(20261127);

    private string Text(int min, int max, bool spaces)
    {
        var n = _rng.Next(min, max + 1);
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < n; i++)
            sb.Append(spaces && _rng.Next(9) == 0 ? " " : Alphabet[_rng.Next(Alphabet.Length)]);
        return sb.ToString().Trim();
    }

    [OneTimeSetUp]
    public async Task Corpus()
    {
        _marker = string.Concat(Guid.NewGuid().ToString("N")[..6].Select(c => MarkerDigits[Convert.ToInt32(c.ToString(), 16)]));
        for (var i = 0; i < 70; i++)
        {
            // most public, some drafts, some scheduled for the future, some taken offline again
            var kind = i < 56 ? "public" : i < 61 ? "draft" : i < 66 ? "future" : "offline";
            var at = kind == "future" ? DateTimeOffset.UtcNow.AddYears(5) : DateTimeOffset.UtcNow.AddDays(-_rng.Next(1, 4000)).AddSeconds(-_rng.Next(86400));
            at = new DateTimeOffset(at.Ticks - (at.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
            var body = new
            {
                slug = Given.Slug("si"),
                categoryId = 2,
                title = _marker + Text(2, 12, false) + (i % 3 == 0 ? Text(1, 3, false) : ""),
                subtitle = Text(0, 8, true),
                summary = Text(0, 20, true),
                bodyHtml = $"<p>{System.Net.WebUtility.HtmlEncode(Text(5, 60, true))}</p><p>{System.Net.WebUtility.HtmlEncode(Text(0, 40, true))}</p>",
                source = _marker + Text(0, 4, false),
                articleType = "original",
                publishAt = at,
                tags = Array.Empty<string>(),
                extraCategoryIds = Array.Empty<long>(),
            };
            var created = kind == "draft" ? await Given.DraftAsync(App.Editor, body) : await Given.PublishedAsync(body);
            if (kind == "offline")
                Assert.That((await App.Editor.PostAsync($"/api/v1/admin/articles/{created.Id}/offline", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var stored = (await App.Editor.GetFromJsonAsync<AdminArticle>($"/api/v1/admin/articles/{created.Id}", ApiJson.Options))!;
            _docs.Add(new Doc(stored.Id, stored.Title, stored.Subtitle ?? "", stored.Summary ?? "", HtmlText.Of(stored.BodyHtml) ?? "", stored.Source ?? "",
                stored.PublishAt!.Value, kind == "public"));
        }
    }

    private static bool Holds(string field, string word) => field.ToLowerInvariant().Contains(word.ToLowerInvariant(), StringComparison.Ordinal);

    /// <summary>The promise, by brute force: public, every word a substring of some field; titles with every word first, each tier newest first.</summary>
    private List<long> Expected(IReadOnlyList<string> query)
    {
        var words = query.Prepend(_marker).ToList();   // every query carries the marker, which keeps it to this corpus
        return _docs.Where(d => d.Public && words.All(w => d.Fields.Any(f => Holds(f, w))))
            .OrderByDescending(d => words.All(w => Holds(d.Title, w)))
            .ThenByDescending(d => d.PublishAt).ThenByDescending(d => d.Id)
            .Select(d => d.Id).ToList();
    }

    private async Task<List<long>> FoundAsync(IReadOnlyList<string> words, int pageSize)
    {
        var q = Uri.EscapeDataString(string.Join(' ', words.Prepend(_marker)));
        var ids = new List<long>();
        for (var page = 1; ; page++)
        {
            var res = await App.Client.GetAsync($"/api/v1/search?q={q}&pageSize={pageSize}&page={page}");
            Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK), await res.Content.ReadAsStringAsync());
            var r = (await res.Content.ReadFromJsonAsync<Paged<SearchHit>>(ApiJson.Options))!;
            ids.AddRange(r.Items.Select(i => i.Id));
            Assert.That(r.Page.TotalItemsExact, Is.True);
            if (page >= r.Page.TotalPages)
            {
                Assert.That(r.Page.TotalItems, Is.EqualTo(ids.Count), $"total for '{string.Join(' ', words)}'");
                return ids;
            }
        }
    }

    private string Describe(IEnumerable<long> ids) =>
        string.Join("; ", ids.Take(4).Select(id => _docs.Single(d => d.Id == id)).Select(d => $"{d.Id} '{d.Title}' {d.PublishAt:O}"));

    private IEnumerable<string[]> Queries()
    {
        foreach (var c in Alphabet)
            yield return [c];
        yield return ["a"];   // lower case finds upper case
        yield return ["B"];
        yield return ["ｂ"];  // a full-width letter is another character
        foreach (var d in _docs.Take(40))
        {
            var f = d.Fields[_rng.Next(5)].Replace(" ", "");
            if (f.Length < 2)
                continue;
            var len = _rng.Next(2, Math.Min(8, f.Length) + 1);
            var start = _rng.Next(f.Length - len + 1);
            yield return [f.Substring(start, len)];
            yield return [f.Substring(start, len).ToUpperInvariant(), Alphabet[_rng.Next(Alphabet.Length)]];
        }
        for (var i = 0; i < 20; i++)
            yield return [Text(2, 4, false)];   // random, mostly absent
        yield return ["投资", "合作"];
        yield return ["。投", "%c", "#"];
    }

    [Test]
    public async Task Every_query_finds_what_a_substring_scan_finds_in_the_promised_order()
    {
        var checkedQueries = 0;
        foreach (var words in Queries().ToList())
        {
            var expected = Expected(words);
            var found = await FoundAsync(words, 100);
            Assert.That(found, Is.EqualTo(expected), () => $"query '{string.Join(' ', words)}'\nexpected {Describe(expected)}\nfound {Describe(found)}");
            checkedQueries++;
        }
        Assert.That(checkedQueries, Is.GreaterThan(80));
        Assert.That(_docs.Count(d => d.Public), Is.EqualTo(56));
    }

    [Test]
    public async Task Pages_of_any_size_join_up_to_the_same_order()
    {
        foreach (var words in new[] { new[] { "投" }, ["资"], ["a"], ["%"], ["中", "国"] })
        {
            var whole = await FoundAsync(words, 100);
            Assert.That(whole, Has.Count.GreaterThan(7), "the test needs several pages");
            foreach (var size in new[] { 1, 3, 7 })
                Assert.That(await FoundAsync(words, size), Is.EqualTo(whole), $"'{string.Join(' ', words)}' in pages of {size}");
        }
    }

    [Test]
    public async Task A_word_never_spans_two_fields_or_a_space()
    {
        var last = _docs.First(d => d.Public && d.Title.Length > 0);
        var acrossFields = last.Title[^1..] + _marker[..1];   // end of the title, start of the source (marker first)
        var expected = Expected([acrossFields]);
        Assert.That(await FoundAsync([acrossFields], 100), Is.EqualTo(expected));
        var spaced = _docs.First(d => d.Public && d.Body.Contains(' ', StringComparison.Ordinal) && d.Body.IndexOf(' ', StringComparison.Ordinal) > 0);
        var i = spaced.Body.IndexOf(' ', StringComparison.Ordinal);
        var glued = spaced.Body[i - 1].ToString() + spaced.Body[i + 1];
        Assert.That(await FoundAsync([glued], 100), Is.EqualTo(Expected([glued])));
    }
}

/// <summary>Search quality on a labelled set: for each query, the titles that hold it come first, then the bodies, newest first.</summary>
[TestFixture]
public sealed class SearchRankingTests
{
    private static async Task<AdminArticle> Article(string title, string body, string at) =>
        await Given.PublishedAsync(Given.ArticleBody(title: title, bodyHtml: $"<p>{body}</p>", publishAt: at));

    [TestCase("园", TestName = "one character")]
    [TestCase("园区", TestName = "two characters")]
    [TestCase("产业园区", TestName = "four characters")]
    [TestCase("园区建设规划纲要", TestName = "eight characters")]
    [TestCase("Park", TestName = "Latin, any case")]
    public async Task Titles_holding_the_query_rank_above_bodies_that_hold_it(string word)
    {
        var tag = string.Concat(Guid.NewGuid().ToString("N")[..6].Select(c => "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳"[Convert.ToInt32(c.ToString(), 16)]));
        var bodyNew = await Article($"{tag}正文较新", $"最新一篇在正文里提到{word}。", "2025-06-01T00:00:00Z");
        var titleOld = await Article($"{tag}{word}标题较早", "正文无关。", "2019-01-01T00:00:00Z");
        var bodyOld = await Article($"{tag}正文较早", $"较早一篇在正文里提到{word.ToLowerInvariant()}。", "2018-01-01T00:00:00Z");
        var titleNew = await Article($"{word.ToUpperInvariant()}标题较新{tag}", "正文无关。", "2024-01-01T00:00:00Z");
        await Article($"{tag}无关", "完全无关的正文。", "2025-07-01T00:00:00Z");
        var res = await App.Client.GetFromJsonAsync<Paged<SearchHit>>($"/api/v1/search?q={Uri.EscapeDataString($"{tag} {word}")}", ApiJson.Options);
        Assert.That(res!.Items.Select(i => i.Id), Is.EqualTo(new[] { titleNew.Id, titleOld.Id, bodyNew.Id, bodyOld.Id }));
        Assert.That(res.Items[0].TitleHtml, Does.Contain("<mark>"));
        Assert.That(res.Items[2].SnippetHtml, Does.Contain($"<mark>{word}</mark>"));
    }
}

/// <summary>A word in more articles than the cap: the total is a lower bound, and pages stop at the window.</summary>
[TestFixture]
public sealed class SearchCapTests
{
    private readonly string _db = Path.Combine(Path.GetTempPath(), $"cms-search-cap-{Guid.NewGuid():N}.db");
    private CmsFactory _site = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _site = new CmsFactory(_db);
        _client = _site.CreateClient();
        _client.GetAsync("/api/v1/site").GetAwaiter().GetResult().EnsureSuccessStatusCode();
        // more articles than the cap, written as the importer would (the index triggers keep up)
        using var conn = TestStore.Db(_db).Open();
        using var tx = conn.BeginTransaction();
        for (var i = 1; i <= SearchArticles.TotalCap + 10; i++)
        {
            Dapper.SqlMapper.Execute(conn, """
                INSERT INTO articles (slug, category_id, title, body_html, article_type, status, publish_at, created_at, updated_at)
                VALUES (@slug, 2, @title, '<p>正文提到常用词。</p>', 'original', 'published', @at, @at, @at)
                """, new { slug = $"cap-{i}", title = i % 400 == 0 ? $"标题里的常用词{i}" : $"文章{i}", at = UtcTime.ToDb(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(i)) }, tx);
        }
        // a burst in one second, more than it has row ids (an import with dates only): the later ones take the next free ids
        for (var i = 1; i <= 70; i++)
        {
            Dapper.SqlMapper.Execute(conn, """
                INSERT INTO articles (slug, category_id, title, body_html, article_type, status, publish_at, created_at, updated_at)
                VALUES (@slug, 2, @title, '<p>同一秒发布。</p>', 'original', 'published', '2021-05-03T00:00:00.000Z', 'x', 'x')
                """, new { slug = $"burst-{i}", title = $"同秒导入{i}" }, tx);
        }
        tx.Commit();
    }

    [Test]
    public async Task Articles_of_one_second_are_all_found()
    {
        var all = new List<string>();
        for (var page = 1; page <= 4; page++)
            all.AddRange((await _client.GetFromJsonAsync<Paged<SearchHit>>($"/api/v1/search?q={Uri.EscapeDataString("同秒导入")}&page={page}", ApiJson.Options))!.Items.Select(i => i.Title));
        Assert.That(all, Is.EquivalentTo(Enumerable.Range(1, 70).Select(i => $"同秒导入{i}")));
        var day = (await _client.GetFromJsonAsync<Paged<SearchHit>>($"/api/v1/search?q={Uri.EscapeDataString("同一秒")}&from=2021-05-03&to=2021-05-03&pageSize=100", ApiJson.Options))!;
        Assert.That(day.Page.TotalItems, Is.EqualTo(70), "a day's filter holds them all");
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _client.Dispose();
        _site.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var f in new[] { _db, _db + "-wal", _db + "-shm" })
            File.Delete(f);
    }

    [Test]
    public async Task The_total_is_capped_and_said_to_be_a_lower_bound()
    {
        var q = Uri.EscapeDataString("常用词");
        var first = (await _client.GetFromJsonAsync<Paged<SearchHit>>($"/api/v1/search?q={q}", ApiJson.Options))!;
        Assert.That(first.Page.TotalItems, Is.EqualTo(SearchArticles.TotalCap));
        Assert.That(first.Page.TotalItemsExact, Is.False);
        Assert.That(first.Page.TotalPages, Is.EqualTo(SearchArticles.TotalCap / 20));
        Assert.That(first.Items.Take(2).Select(i => i.Title), Is.EqualTo(new[] { "标题里的常用词800", "标题里的常用词400" }), "titles first, newest first");
        Assert.That(first.Items[2].Title, Is.EqualTo($"文章{SearchArticles.TotalCap + 10}"), "then bodies, newest first");

        var rare = (await _client.GetFromJsonAsync<Paged<SearchHit>>($"/api/v1/search?q={Uri.EscapeDataString("标题里的常用词")}", ApiJson.Options))!;
        Assert.That((rare.Page.TotalItems, rare.Page.TotalItemsExact), Is.EqualTo((2L, true)));

        var last = await _client.GetAsync($"/api/v1/search?q={q}&pageSize=100&page={SearchArticles.MaxWindow / 100}");
        Assert.That(last.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await last.Content.ReadFromJsonAsync<Paged<SearchHit>>(ApiJson.Options))!.Items, Has.Count.EqualTo(100));
        await Problem.AssertAsync(await _client.GetAsync($"/api/v1/search?q={q}&pageSize=100&page={SearchArticles.MaxWindow / 100 + 1}"),
            HttpStatusCode.BadRequest, "page");
    }
}
