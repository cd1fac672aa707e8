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
    }
}

public sealed class SearchHit
{
    public long Id { get; init; }
    public string Slug { get; init; } = "";
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

    public override void Configure()
    {
        Get("/api/v1/search");
        AllowAnonymous();
        Description(b => b.WithTags("Search").ProducesProblems(400));
        Summary(s =>
        {
            s.Summary = "站内搜索 / Search published articles";
            s.Description = "在标题、副标题、摘要、正文和文章来源中查找;多个词以空格分隔,须全部出现。三字及以上用全文索引并按相关度排序(标题权重最高),一两个字逐条匹配、按时间排序。" +
                " Finds words in title, subtitle, summary, body text and source; several words separated by spaces must all appear. Words of 3+ characters use " +
                "the trigram index, ranked by bm25 with the title weighted highest; 1–2 character words match by substring, newest first. Matches come back in <mark>.";
        });
    }

    private sealed class HitRow
    {
        public long Id { get; init; }
        public string Slug { get; init; } = "";
        public string Title { get; init; } = "";
        public string? Summary { get; init; }
        public string? Source { get; init; }
        public string ArticleType { get; init; } = "";
        public long CategoryId { get; init; }
        public string CategoryCode { get; init; } = "";
        public string CategoryName { get; init; } = "";
        public DateTimeOffset PublishAt { get; init; }
        public string Body { get; init; } = "";
    }

    /// <summary>Words of the query: split on ASCII and full-width spaces, duplicates dropped.</summary>
    public static List<string> Terms(string? q) =>
        (q ?? "").Split([' ', '\u3000', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    public override async Task<Results<Ok<Paged<SearchHit>>, ProblemHttpResult>> ExecuteAsync(SearchRequest req, CancellationToken ct)
    {
        var terms = Terms(req.Q);
        // words of 3+ characters go to FTS5 as quoted phrases ("" inside doubled), so no user text is ever FTS syntax
        var phrases = terms.Where(t => t.Length >= 3).ToList();
        var match = phrases.Count == 0 ? null : string.Join(' ', phrases.Select(t => "\"" + t.Replace("\"", "\"\"") + "\""));
        // 1–2 character words: substring match on the same index table, with LIKE's wildcards escaped
        var shortTerms = terms.Where(t => t.Length < 3).ToList();
        var p = new DynamicParameters(new
        {
            match,
            now = ArticleSql.Now(),
            category = req.Category,
            type = req.Type is { } t ? Json.EnumText(t) : null,
            from = req.From is { } f ? new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), ListArticles.Beijing) : (DateTimeOffset?)null,
            to = req.To is { } e ? new DateTimeOffset(e.AddDays(1).ToDateTime(TimeOnly.MinValue), ListArticles.Beijing) : (DateTimeOffset?)null,
            size = req.PageSize,
            offset = req.Offset(),
        });
        var likes = new StringBuilder();
        for (var i = 0; i < shortTerms.Count; i++)
        {
            p.Add($"like{i}", "%" + shortTerms[i].Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%");
            likes.Append($" AND (f.title LIKE @like{i} ESCAPE '\\' OR f.subtitle LIKE @like{i} ESCAPE '\\' OR f.summary LIKE @like{i} ESCAPE '\\'" +
                $" OR f.body LIKE @like{i} ESCAPE '\\' OR f.source LIKE @like{i} ESCAPE '\\')");
        }
        var where = $"""
            FROM article_fts f JOIN articles a ON a.id = f.rowid JOIN categories c ON c.id = a.category_id
            WHERE {ArticleSql.Visible} {(match is null ? "" : "AND article_fts MATCH @match AND f.rank MATCH 'bm25(10.0, 5.0, 3.0, 1.0, 2.0)'")} {likes}
              AND {ArticleSql.InColumnTree}
              AND (@type IS NULL OR a.article_type = @type)
              AND (@from IS NULL OR a.publish_at >= @from)
              AND (@to IS NULL OR a.publish_at < @to)
            """;
        // FTS5's own rank, with bm25 weights: title counts most, then subtitle and summary, then source, then body
        var order = match is null ? "a.publish_at DESC, a.id DESC" : "f.rank, a.publish_at DESC";

        await using var conn = await db.OpenAsync(ct);
        if (req.Category is not null && await conn.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM categories WHERE code = @Category", new { req.Category }, cancellationToken: ct)) == 0)
            return Problems.BadRequest("category", $"No column with code '{req.Category}'.");
        using var multi = await conn.QueryMultipleAsync(new CommandDefinition(
            $"""
            {ArticleSql.ColumnTree} SELECT count(*) {where};
            {ArticleSql.ColumnTree}
            SELECT a.id, a.slug, a.title, a.summary, a.source, a.article_type, a.category_id, c.code AS category_code, c.name AS category_name,
                   a.publish_at, f.body
            {where} ORDER BY {order} LIMIT @size OFFSET @offset;
            """, p, cancellationToken: ct));
        var total = await multi.ReadSingleAsync<long>();
        var hits = (await multi.ReadAsync<HitRow>()).Select(r => new SearchHit
        {
            Id = r.Id,
            Slug = r.Slug,
            Title = r.Title,
            TitleHtml = Highlight.Mark(r.Title, terms),
            SnippetHtml = Highlight.Snippet(r.Body.Length > 0 ? r.Body : r.Summary ?? "", terms),
            Source = r.Source,
            ArticleType = Json.ParseEnum<ArticleType>(r.ArticleType),
            Category = new CategoryRef { Id = r.CategoryId, Code = r.CategoryCode, Name = r.CategoryName },
            PublishAt = r.PublishAt,
        }).ToList();
        return TypedResults.Ok(Paged<SearchHit>.Of(hits, req.Page, req.PageSize, total));
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
