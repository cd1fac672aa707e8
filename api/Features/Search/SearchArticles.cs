using System.Net;
using System.Text;
using Cms.Api.Data;
using Cms.Api.Features.Articles;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Search;

public sealed class SearchRequest : IPaged
{
    /// <summary>Words to find, separated by spaces; all must match. 1–100 characters.</summary>
    public string Q { get; set; } = "";
    public string? Category { get; set; }
    public ArticleType? Type { get; set; }
    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }
    public int Page { get; set; } = 1;
    public int PageSize { get; set; } = 20;
}

public sealed class SearchValidator : Validator<SearchRequest>
{
    public SearchValidator()
    {
        this.AddPagingRules();
        RuleFor(x => x.Q).NotEmpty().WithMessage("'q' must not be empty.")
            .Must(q => !string.IsNullOrWhiteSpace(q)).WithMessage("'q' must not be empty.")
            .MaximumLength(SearchArticles.MaxQueryLength).Line(SearchArticles.MaxQueryLength)
            .Must(q => SearchArticles.Terms(q).Count <= 10).WithMessage("'q' may hold at most 10 words.");
        RuleFor(x => x.Category).MaximumLength(32);
        RuleFor(x => x.To).GreaterThanOrEqualTo(x => x.From).When(x => x.From is not null && x.To is not null);
        RuleFor(x => x.Page).Must((r, page) => (long)page * r.PageSize <= SearchArticles.MaxWindow)
            .WithMessage($"'page' × 'pageSize' may not exceed {SearchArticles.MaxWindow}; narrow the search instead.");
    }
}

public sealed class SearchHit
{
    public long Id { get; init; }
    public string Slug { get; init; } = "";
    /// <summary>The article's published page, /article/{code}/{yyyyMM}/{id}.shtml.</summary>
    public string Url { get; init; } = "";
    public string Title { get; init; } = "";
    /// <summary>The title, HTML-escaped, with each match in &lt;mark&gt;.</summary>
    public string TitleHtml { get; init; } = "";
    /// <summary>Some 80 characters of text around the first match, HTML-escaped, matches in &lt;mark&gt;.</summary>
    public string SnippetHtml { get; init; } = "";
    public string? Source { get; init; }
    public ArticleType ArticleType { get; init; }
    public CategoryRef Category { get; init; } = new();
    public DateTimeOffset PublishAt { get; init; }
}

public sealed class SearchArticles(Db db) : Endpoint<SearchRequest, Results<Ok<Paged<SearchHit>>, ProblemHttpResult>>
{
    public const int MaxQueryLength = 100;

    /// <summary>
    /// Totals are counted up to this many hits and then reported as a lower bound ("1,000+"), as Elasticsearch's
    /// track_total_hits does: counting every hit of a word in most articles costs more than finding a page of them.
    /// </summary>
    public const int TotalCap = 1_000;

    /// <summary>How deep pages go, as Elasticsearch's max_result_window and web search engines: page × pageSize at most this.</summary>
    public const int MaxWindow = 1_000;

    public override void Configure()
    {
        Get("/api/v1/search");
        AllowAnonymous();
        Description(b => b.WithTags("Search").ProducesProblems(400));
        Summary(s =>
        {
            s.Summary = "站内搜索 / Search published articles";
            s.Description = "在标题、副标题、摘要、正文和文章来源中按子串查找(一个字起);多个词以空格分隔,须全部出现。标题含全部词的排在前面,其余在后,各自按发布时间从新到旧。" +
                $"总数超过 {TotalCap} 时只报 {TotalCap}(totalItemsExact 为 false);页码 × 每页条数不超过 {MaxWindow}。" +
                " Finds every article whose title, subtitle, summary, body text or source holds each word as a substring, from one character up; " +
                "several words separated by spaces must all appear. Articles whose title holds every word come first, then the rest, each newest first. " +
                $"Totals above {N(TotalCap)} are reported as {N(TotalCap)} with totalItemsExact false; page × pageSize may not exceed {N(MaxWindow)}. " +
                "Matches come back in <mark>.";
        });
    }

    private static string N(int n) => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    private enum Tier { Title, Rest, All }

    private sealed class HitRow
    {
        public long Docid { get; init; }
        public long Id { get; init; }
        public string Slug { get; init; } = "";
        public string? LegacyId { get; init; }
        public string Title { get; init; } = "";
        public string? Summary { get; init; }
        public string? Source { get; init; }
        public string ArticleType { get; init; } = "";
        public long CategoryId { get; init; }
        public string CategoryCode { get; init; } = "";
        public string CategoryName { get; init; } = "";
        public DateTimeOffset PublishAt { get; init; }
        public string BodyText { get; init; } = "";
    }

    /// <summary>Words of the query: split on ASCII and full-width spaces, duplicates dropped.</summary>
    public static List<string> Terms(string? q) =>
        (q ?? "").Split([' ', '\u3000', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    public override Task<Results<Ok<Paged<SearchHit>>, ProblemHttpResult>> ExecuteAsync(SearchRequest req, CancellationToken ct) =>
        Task.FromResult(Execute(req));

    private Results<Ok<Paged<SearchHit>>, ProblemHttpResult> Execute(SearchRequest req)
    {
        var terms = Terms(req.Q);
        var match = SearchTokens.Query(terms);
        var runs = SearchTokens.QueryRuns(terms);
        var (from, to) = SearchTokens.DocIdRange(
            req.From is { } f ? new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), ListArticles.Beijing) : null,
            req.To is { } e ? new DateTimeOffset(e.AddDays(1).ToDateTime(TimeOnly.MinValue), ListArticles.Beijing) : null);
        var args = new
        {
            match,
            tokens = Sql.Postgres ? SearchTokens.QueryTokens(runs) : [],
            runs = Sql.Postgres ? runs.Where(r => r.EnumerateRunes().Count() > 2).ToArray() : [],
            low = from,
            high = Math.Min(to, SearchTokens.LastDocIdAt(DateTimeOffset.UtcNow)),
            category = req.Category,
            type = req.Type is { } t ? Json.EnumText(t) : null,
            size = 0,
            offset = 0L,
            cap = 0L,
        };

        if (db.IsPostgres)
            PgSearchIndex.CatchUp(db);
        using var conn = db.Read();
        if (req.Category is not null && conn.QuerySingle<long>("SELECT count(*) FROM categories WHERE code = @category", args) == 0)
            return Problems.BadRequest("category", $"No column with code '{req.Category}'.");
        if (match is null)
            return TypedResults.Ok(Paged<SearchHit>.Of([], req.Page, req.PageSize, 0));

        // the hits of one tier, newest first: an index's row order is publish order, so a page stops early. Titles come
        // from the small title index; the rest are the full index's hits whose title does not hold every word.
        var filtered = req.Category is not null || req.Type is not null;
        string Hits(Tier tier, string limit, bool count = false) => Sql.Postgres ? PgHits(tier, limit, count) : $"""
            {(req.Category is null ? "" : ArticleSql.ColumnTree)}
            SELECT s.rowid FROM {(tier == Tier.Title ? "article_search_title" : "article_search")} s
            {(filtered ? "JOIN search_docs d ON d.docid = s.rowid JOIN articles a ON a.id = d.article_id" : "")}
            WHERE s.{(tier == Tier.Title ? "article_search_title" : "article_search")} MATCH @match AND s.rowid BETWEEN @low AND @high
            {(tier == Tier.Rest ? "AND NOT EXISTS (SELECT 1 FROM article_search_title t WHERE t.article_search_title MATCH @match AND t.rowid = s.rowid)" : "")}
            {(req.Type is null ? "" : "AND a.article_type = @type")}
            {(req.Category is null ? "" : "AND " + ArticleSql.InColumnTree)}
            ORDER BY s.rowid DESC {limit}
            """;
        // PostgreSQL (search_docs, PgSearchIndex): the pairs and single characters (GIN-indexed arrays) find the candidates,
        // and each word of three or more characters (@runs) is then checked as a substring, its pairs being possibly
        // far apart; words of one or two characters are single tokens, exact already. Both are bound as text[]
        // (ReadConnection) and each statement is planned for its values (force_custom_plan: a prepared statement's
        // generic plan cannot tell a word in every article from one in none, and read the whole index backwards for
        // a rare word; other statements keep the server's default, generic plans). A page reads the newest rows first
        // when the words are common and the GIN index when they are rare: search_tokens_checked (migration
        // postgres/002) tells the planner what a row's token check costs. A count needs no order, and the index alone
        // answers it exactly (no row's tokens are read), so it is made to take that path. SET LOCAL lasts for the
        // command's implicit transaction; the count's date range is written so no other index serves it.
        const string Tokens = "CAST(@tokens AS text[])";
        const string Runs = "unnest(CAST(@runs AS text[])) AS r(w)";
        const string TitleHit = $"d.title_tokens @> {Tokens} AND NOT EXISTS (SELECT 1 FROM {Runs} WHERE strpos(d.title_text, r.w) = 0)";
        string PgHits(Tier tier, string limit, bool count) => $"""
            {(req.Category is null ? "" : ArticleSql.ColumnTree)}
            SELECT d.docid FROM search_docs d
            {(filtered ? "JOIN articles a ON a.id = d.article_id" : "")}
            WHERE {(count ? "d.docid + 0" : "d.docid")} BETWEEN @low AND @high AND {(tier == Tier.Title ? TitleHit
                : $"d.tokens @> {Tokens} AND search_tokens_checked(d.docid) AND NOT EXISTS (SELECT 1 FROM {Runs} WHERE strpos(d.title_text, r.w) = 0 AND strpos(d.rest_text, r.w) = 0)")}
            {(tier == Tier.Rest ? $"AND NOT ({TitleHit})" : "")}
            {(req.Type is null ? "" : "AND a.article_type = @type")}
            {(req.Category is null ? "" : "AND " + ArticleSql.InColumnTree)}
            {(count ? "" : "ORDER BY d.docid DESC")} {limit}
            """;
        var pagePlan = Sql.Postgres ? "SET LOCAL plan_cache_mode = force_custom_plan; " : "";
        var countPlan = Sql.Postgres ? pagePlan + "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; " : "";
        List<long> Page(Tier tier, int size, long offset) =>
            conn.Query<long>(pagePlan + Hits(tier, "LIMIT @size OFFSET @offset"), args with { size = size, offset = offset });
        long Count(Tier tier, long cap) =>
            conn.QuerySingle<long>($"{countPlan}SELECT count(*) FROM ({Hits(tier, "LIMIT @cap", count: true)}) AS hits", args with { cap = cap });

        // titles holding every word first, then the rest; each tier newest first
        var offset = (long)req.Offset();
        var docids = Page(Tier.Title, req.PageSize, offset);
        if (docids.Count < req.PageSize)
        {
            var titled = docids.Count > 0 ? offset + docids.Count : Count(Tier.Title, offset);
            docids.AddRange(Page(Tier.Rest, req.PageSize - docids.Count, offset + docids.Count - titled));
        }
        // a short page is the last one, so its total is exact; otherwise count, up to the cap
        var total = docids.Count < req.PageSize && (docids.Count > 0 || offset == 0) ? offset + docids.Count : Count(Tier.All, TotalCap + 1);
        var exact = total <= TotalCap;

        var rows = conn.Query<HitRow>(
            $"""
            SELECT d.docid, a.id, a.slug, a.legacy_id, a.title, a.summary, a.source, a.article_type, a.category_id, c.code AS category_code,
                   c.name AS category_name, a.publish_at, d.body_text
            FROM search_docs d JOIN articles a ON a.id = d.article_id JOIN categories c ON c.id = a.category_id
            WHERE d.docid IN ({Sql.Ids("@docids")})
            """, new { docids }).ToDictionary(r => r.Docid);
        var hits = docids.Where(rows.ContainsKey).Select(d => rows[d]).Select(r => new SearchHit
        {
            Id = r.Id,
            Slug = r.Slug,
            Url = PortalUrls.Article(r.CategoryCode, r.LegacyId, r.Id, r.PublishAt) ?? "",
            Title = r.Title,
            TitleHtml = Highlight.Mark(r.Title, terms),
            SnippetHtml = Highlight.Snippet(r.BodyText.Length > 0 ? r.BodyText : r.Summary ?? "", terms),
            Source = r.Source,
            ArticleType = Json.ParseEnum<ArticleType>(r.ArticleType),
            Category = new CategoryRef { Id = r.CategoryId, Code = r.CategoryCode, Name = r.CategoryName },
            PublishAt = r.PublishAt,
        }).ToList();
        return TypedResults.Ok(Paged<SearchHit>.Of(hits, req.Page, req.PageSize, Math.Min(total, TotalCap), exact));
    }
}

/// <summary>Marks matches in plain text: everything is HTML-escaped first, then only &lt;mark&gt; is added.</summary>
public static class Highlight
{
    public static string Mark(string text, IReadOnlyList<string> terms)
    {
        var marks = new bool[text.Length];
        foreach (var t in terms)
        {
            for (var i = text.IndexOf(t, StringComparison.OrdinalIgnoreCase); i >= 0; i = text.IndexOf(t, i + t.Length, StringComparison.OrdinalIgnoreCase))
                Array.Fill(marks, true, i, t.Length);
        }
        var sb = new StringBuilder();
        for (var i = 0; i < text.Length;)
        {
            var j = i;
            while (j < text.Length && marks[j] == marks[i])
                j++;
            var run = WebUtility.HtmlEncode(text[i..j]);
            sb.Append(marks[i] ? $"<mark>{run}</mark>" : run);
            i = j;
        }
        return sb.ToString();
    }

    /// <summary>About 80 characters around the first match (the start when nothing matches), with … where cut.</summary>
    public static string Snippet(string text, IReadOnlyList<string> terms, int width = 80)
    {
        var first = terms.Select(t => text.IndexOf(t, StringComparison.OrdinalIgnoreCase)).Where(i => i >= 0).DefaultIfEmpty(0).Min();
        var start = Math.Max(0, first - (width / 3));
        if (start > 0 && char.IsLowSurrogate(text[start]))
            start--;
        var end = Math.Min(text.Length, start + width);
        if (end < text.Length && char.IsHighSurrogate(text[end - 1]))
            end++;
        return (start > 0 ? "…" : "") + Mark(text[start..end], terms) + (end < text.Length ? "…" : "");
    }
}
