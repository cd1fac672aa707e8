using System.Data;
using Cms.Api.Data;
using Dapper;

namespace Cms.Api.Features.Articles;

/// <summary>What a reader can see of an article's place on the site: public or not, its position, its columns.</summary>
public sealed class ArticleSnapshot
{
    public bool Visible { get; init; }
    /// <summary>Everything that decides where it is listed: columns, publish time, pinning.</summary>
    public string Position { get; init; } = "";
    /// <summary>Codes of its column, its extra columns and their ancestors, space-separated.</summary>
    public string? Columns { get; init; }
}

/// <summary>
/// The cache tags of an article write, from the article as it was and as it is: always article:{id} (its page, the
/// pages of its neighbours, the lists, feeds and searches that show it); order:{code} for every column whose list
/// gains, loses or reorders it, and order:* for the site-wide lists; public when it was or is public (the sitemap,
/// searches that may now find it); was-public when it was public before (searches whose later pages it may leave).
/// </summary>
public static class ArticleCacheTags
{
    /// <summary>The article was public before the change: it may have been in any search's results, on any page.</summary>
    public const string WasPublic = "was-public";

    public static Task<ArticleSnapshot?> SnapshotAsync(IDbConnection conn, IDbTransaction? tx, long id, CancellationToken ct) =>
        conn.QuerySingleOrDefaultAsync<ArticleSnapshot>(new CommandDefinition(
            $"""
            WITH RECURSIVE cols(id) AS (
                SELECT category_id FROM articles WHERE id = @id
                UNION SELECT category_id FROM article_categories WHERE article_id = @id
                UNION SELECT c.parent_id FROM categories c JOIN cols ON c.id = cols.id WHERE c.parent_id IS NOT NULL
            )
            SELECT a.status = 'published' AND a.publish_at <= @now AS visible,
                   a.category_id || '|' || coalesce(a.publish_at, '') || '|' || a.is_pinned || '|'
                       || coalesce((SELECT {Sql.Joined("category_id")} FROM article_categories WHERE article_id = @id), '') AS position,
                   (SELECT {Sql.Joined("code", "' '")} FROM categories WHERE id IN (SELECT id FROM cols)) AS columns
            FROM articles a WHERE a.id = @id
            """, new { id, now = UtcTime.Now() }, tx, cancellationToken: ct));

    public static string Of(long id, ArticleSnapshot? before, ArticleSnapshot? after)
    {
        var tags = new List<string> { $"article:{id}" };
        var was = before?.Visible == true;
        var now = after?.Visible == true;
        if (!was && !now)
            return string.Join(' ', tags);   // a draft, an offline or a future article: nothing public changed
        tags.Add("public");
        if (was)
            tags.Add(WasPublic);
        if (was != now || before?.Position != after?.Position)
        {
            tags.Add("order:*");
            var columns = $"{(was ? before!.Columns : null)} {(now ? after!.Columns : null)}";
            tags.AddRange(columns.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).Select(c => "order:" + c));
        }
        return string.Join(' ', tags);
    }
}
