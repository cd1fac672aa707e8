using System.Data;
using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;

namespace Cms.Api.Features.Articles;

/// <summary>SQL and loading shared by the article endpoints.</summary>
public static class ArticleSql
{
    /// <summary>The public guard, ANDed outside every user filter.</summary>
    public const string Visible = "a.status = 'published' AND a.publish_at <= @now";

    public const string Columns = """
        a.id, a.slug, a.legacy_id, a.category_id, c.code AS category_code, c.name AS category_name, a.title, a.subtitle,
        a.summary, a.body_html, a.source, a.article_type, a.content_category, a.author, a.original_url, a.cover_image_url,
        a.cover_image_alt, a.is_focus, a.is_pinned, a.validity, a.validity_note, a.status, a.publish_at, a.created_by,
        a.version, a.created_at, a.updated_at
        """;

    public const string ListColumns = """
        a.id, a.slug, a.legacy_id, a.category_id, c.code AS category_code, c.name AS category_name, a.title, a.subtitle, a.summary,
        a.source, a.article_type, a.cover_image_url, a.cover_image_alt, a.is_pinned, a.status, a.publish_at, a.version,
        a.created_at, a.updated_at
        """;

    public const string From = "FROM articles a JOIN categories c ON c.id = a.category_id";

    /// <summary>A column and all its descendants, for @category (a column code).</summary>
    public const string ColumnTree = """
        WITH RECURSIVE tree(id) AS (
            SELECT id FROM categories WHERE code = @category
            UNION ALL
            SELECT k.id FROM categories k JOIN tree t ON k.parent_id = t.id)
        """;

    public const string InColumnTree = """
        (@category IS NULL
         OR a.category_id IN (SELECT id FROM tree)
         OR a.id IN (SELECT article_id FROM article_categories WHERE category_id IN (SELECT id FROM tree)))
        """;

    public const string Order = "ORDER BY a.is_pinned DESC, a.publish_at DESC, a.id DESC";

    /// <summary>
    /// The published articles of @category's tree (its own and its topic listings) as picked(id), read through the
    /// column indexes instead of the whole table. Used with ColumnTree.
    /// </summary>
    public static readonly string PickedInColumn = $"""
        , picked(id) AS (
            -- the column tree outermost, so each column is one index range
            SELECT a.id FROM tree t {Sql.JoinInOrder} articles a ON a.category_id = t.id WHERE a.status = 'published'
            UNION
            SELECT ac.article_id FROM article_categories ac WHERE ac.category_id IN (SELECT id FROM tree))
        """;

    public static string Now() => UtcTime.Now();

    public static async Task<T> ResponseAsync<T>(IDbConnection conn, ArticleRow r, CancellationToken ct, IDbTransaction? tx = null)
        where T : ArticleResponse, new() => (await ResponsesAsync<T>(conn, [r], ct, tx))[0];

    private sealed class AttachmentChild
    {
        public long ArticleId { get; init; }
        public string Url { get; init; } = "";
        public string Name { get; init; } = "";
        public long? Size { get; init; }
        public string? Mime { get; init; }
    }

    private sealed class CategoryChild
    {
        public long ArticleId { get; init; }
        public long Id { get; init; }
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
    }

    /// <summary>The child tables of the articles in @ids (a JSON array): tags, attachments, extra columns.</summary>
    private static readonly string Children = $"""
        SELECT article_id, tag FROM article_tags WHERE article_id IN ({Sql.Ids("@ids")}) ORDER BY article_id, sort_order, tag;
        SELECT article_id, url, name, size, mime FROM attachments WHERE article_id IN ({Sql.Ids("@ids")}) ORDER BY article_id, sort_order, id;
        SELECT ac.article_id, c.id, c.code, c.name FROM article_categories ac JOIN categories c ON c.id = ac.category_id
        WHERE ac.article_id IN ({Sql.Ids("@ids")}) ORDER BY ac.article_id, c.sort_order, c.id;
        """;

    /// <summary>Responses for many articles with one query per child table (tags, attachments, extra columns).</summary>
    public static async Task<List<T>> ResponsesAsync<T>(IDbConnection conn, IReadOnlyList<ArticleRow> rows, CancellationToken ct, IDbTransaction? tx = null)
        where T : ArticleResponse, new()
    {
        var ids = System.Text.Json.JsonSerializer.Serialize(rows.Select(r => r.Id));
        using var multi = await conn.QueryMultipleAsync(new CommandDefinition(Children, new { ids }, tx, cancellationToken: ct));
        var tags = await multi.ReadAsync<(long ArticleId, string Tag)>();
        var attachments = await multi.ReadAsync<AttachmentChild>();
        var extra = await multi.ReadAsync<CategoryChild>();
        return Build<T>(rows, tags, attachments, extra);
    }

    private static List<T> Build<T>(IReadOnlyList<ArticleRow> rows, IEnumerable<(long ArticleId, string Tag)> tagRows,
        IEnumerable<AttachmentChild> attachmentRows, IEnumerable<CategoryChild> extraRows)
        where T : ArticleResponse, new()
    {
        var tags = tagRows.ToLookup(t => t.ArticleId, t => t.Tag);
        var attachments = attachmentRows.ToLookup(c => c.ArticleId, c => new Attachment { Url = c.Url, Name = c.Name, Size = c.Size, Mime = c.Mime });
        var extra = extraRows.ToLookup(c => c.ArticleId, c => new CategoryRef { Id = c.Id, Code = c.Code, Name = c.Name });
        return rows.Select(r =>
        {
            var type = Json.ParseEnum<ArticleType>(r.ArticleType);
            return new T
            {
                Id = r.Id,
                Slug = r.Slug,
                LegacyId = r.LegacyId,
                LegacyPath = ArticleResponse.LegacyPathOf(r),
                Url = PortalUrls.Article(r.CategoryCode, r.LegacyId, r.Id, r.PublishAt),
                Title = r.Title,
                Subtitle = r.Subtitle,
                Summary = r.Summary,
                BodyHtml = r.BodyHtml,
                Source = r.Source,
                ArticleType = type,
                ArticleTypeLabel = ArticleTypeLabels.Label(type),
                ContentCategory = r.ContentCategory,
                Author = r.Author,
                OriginalUrl = r.OriginalUrl,
                Tags = tags[r.Id].ToList(),
                CoverImage = ArticleResponse.Image(r.CoverImageUrl, r.CoverImageAlt),
                Attachments = attachments[r.Id].ToList(),
                IsFocus = r.IsFocus,
                IsPinned = r.IsPinned,
                Validity = r.Validity is null ? null : Json.ParseEnum<Validity>(r.Validity),
                ValidityNote = r.ValidityNote,
                Category = new CategoryRef { Id = r.CategoryId, Code = r.CategoryCode, Name = r.CategoryName },
                ExtraCategories = extra[r.Id].ToList(),
                PublishAt = r.PublishAt,
                UpdatedAt = r.UpdatedAt,
            };
        }).ToList();
    }

    public static async Task<AdminArticle> AdminResponseAsync(IDbConnection conn, ArticleRow r, CancellationToken ct, IDbTransaction? tx = null)
    {
        var a = await ResponseAsync<AdminArticle>(conn, r, ct, tx);
        a.Status = Json.ParseEnum<ArticleStatus>(r.Status);
        if (await Reviews.Review.CurrentAsync(conn, tx, r.Id, ct) is { } review)
        {
            a.Review = Reviews.Review.State(review.Step, review.Steps);
            if (r.Status == "draft")
                a.Status = ArticleStatus.InReview;
        }
        a.Version = r.Version;
        a.CreatedAt = r.CreatedAt;
        a.CreatedBy = r.CreatedBy;
        return a;
    }

    public static Task<ArticleRow?> ByIdAsync(IDbConnection conn, long id, CancellationToken ct, IDbTransaction? tx = null) =>
        conn.QuerySingleOrDefaultAsync<ArticleRow>(new CommandDefinition(
            $"SELECT {Columns} {From} WHERE a.id = @id", new { id }, tx, cancellationToken: ct));

    /// <summary>
    /// The public article page for @by (an id, slug or legacy id, per <paramref name="where"/>): the article, then in
    /// one command its child rows, breadcrumb and previous and next in the column; both statements stay prepared.
    /// Previous and next repeat their time bound outside the OR, so an index range starts at the article (PostgreSQL
    /// read the column from its end without it: 7–10 ms instead of 0.1 ms at 1,700 articles in a column).
    /// </summary>
    public static PublicArticle? Public(ReadConnection conn, string where, object by)
    {
        var now = Now();
        var r = conn.QuerySingleOrDefault<ArticleRow>($"SELECT {Columns} {From} WHERE {Visible} AND {where}", new { by, now });
        if (r is null)
            return null;
        using var multi = conn.QueryMultiple(PublicExtras, new { ids = $"[{r.Id}]", r.CategoryId, r.PublishAt, r.Id, now });
        var tags = multi.Read<(long ArticleId, string Tag)>();
        var attachments = multi.Read<AttachmentChild>();
        var extra = multi.Read<CategoryChild>();
        var a = Build<PublicArticle>([r], tags, attachments, extra)[0];
        a.Breadcrumb = multi.Read<CategoryRef>();
        a.Previous = multi.ReadSingleOrDefault<ArticleLink>();
        a.Next = multi.ReadSingleOrDefault<ArticleLink>();
        return a;
    }

    /// <summary>The columns from the root down to @CategoryId: 当前位置:首页 > …</summary>
    public const string Breadcrumb = """
        WITH RECURSIVE path(id, parent_id, code, name, depth) AS (
            SELECT id, parent_id, code, name, 0 FROM categories WHERE id = @CategoryId
            UNION ALL
            SELECT k.id, k.parent_id, k.code, k.name, p.depth + 1 FROM categories k JOIN path p ON k.id = p.parent_id)
        SELECT id, code, name FROM path ORDER BY depth DESC
        """;

    private static readonly string PublicExtras = $"""
        {Children}
        {Breadcrumb};
        SELECT a.id, a.slug, {PortalUrls.ArticleSql} AS url, a.title, a.publish_at FROM articles a JOIN categories c ON c.id = a.category_id
        WHERE a.category_id = @CategoryId AND {Visible} AND a.publish_at <= @PublishAt
          AND (a.publish_at < @PublishAt OR (a.publish_at = @PublishAt AND a.id < @Id))
        ORDER BY a.publish_at DESC, a.id DESC LIMIT 1;
        SELECT a.id, a.slug, {PortalUrls.ArticleSql} AS url, a.title, a.publish_at FROM articles a JOIN categories c ON c.id = a.category_id
        WHERE a.category_id = @CategoryId AND {Visible} AND a.publish_at >= @PublishAt
          AND (a.publish_at > @PublishAt OR (a.publish_at = @PublishAt AND a.id > @Id))
        ORDER BY a.publish_at ASC, a.id ASC LIMIT 1;
        """;
}
