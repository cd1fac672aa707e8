using System.Data;
using System.Security.Cryptography;
using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Features.Articles;

/// <summary>What create and update share: reference checks, child rows, the column parameters, unique-key conflicts.</summary>
public static class ArticleWrite
{
    public const string Assignments = """
        slug = @Slug, legacy_id = @LegacyId, category_id = @CategoryId, title = @Title, subtitle = @Subtitle, summary = @Summary,
        body_html = @BodyHtml, source = @Source, article_type = @ArticleType, content_category = @ContentCategory, author = @Author,
        original_url = @OriginalUrl, cover_image_url = @CoverImageUrl, cover_image_alt = @CoverImageAlt, is_focus = @IsFocus,
        is_pinned = @IsPinned, validity = @Validity, validity_note = @ValidityNote, publish_at = @PublishAt
        """;

    /// <summary>The column values of an input, with the body sanitized.</summary>
    public static object Columns(ArticleInput x, string slug) => new
    {
        Slug = slug,
        x.LegacyId,
        x.CategoryId,
        x.Title,
        x.Subtitle,
        x.Summary,
        BodyHtml = HtmlPolicy.Clean(x.BodyHtml),
        x.Source,
        ArticleType = Json.EnumText(x.ArticleType),
        x.ContentCategory,
        x.Author,
        x.OriginalUrl,
        CoverImageUrl = x.CoverImage?.Url,
        CoverImageAlt = x.CoverImage?.Alt,
        x.IsFocus,
        x.IsPinned,
        Validity = x.Validity is { } v ? Json.EnumText(v) : null,
        x.ValidityNote,
        x.PublishAt,
    };

    /// <summary>A new slug when none is given: a letter, the date and random base-36 digits.</summary>
    public static string NewSlug() =>
        "a" + DateTime.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + "-"
        + string.Concat(RandomNumberGenerator.GetItems("abcdefghijklmnopqrstuvwxyz0123456789".AsSpan(), 8));

    public static async Task<ProblemHttpResult?> CheckReferencesAsync(IDbConnection conn, IDbTransaction tx, ArticleInput x, CancellationToken ct)
    {
        var ids = x.ExtraCategoryIds.Append(x.CategoryId).Distinct().ToArray();
        var found = (await conn.QueryAsync<long>(new CommandDefinition(
            $"SELECT id FROM categories WHERE id {Sql.InList("@ids")}", new { ids }, tx, cancellationToken: ct))).ToHashSet();
        if (!found.Contains(x.CategoryId))
            return Problems.BadRequest("categoryId", $"No column with id {x.CategoryId}.");
        var missing = x.ExtraCategoryIds.FirstOrDefault(id => !found.Contains(id));
        return missing != 0 ? Problems.BadRequest("extraCategoryIds", $"No column with id {missing}.") : null;
    }

    public static async Task SaveChildrenAsync(IDbConnection conn, IDbTransaction tx, long id, ArticleInput x, CancellationToken ct)
    {
        await conn.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM article_tags WHERE article_id = @id;
            DELETE FROM attachments WHERE article_id = @id;
            DELETE FROM article_categories WHERE article_id = @id;
            """, new { id }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition(
            "INSERT INTO article_tags (article_id, tag, sort_order) VALUES (@id, @tag, @order)",
            x.Tags.Select((tag, order) => new { id, tag, order }), tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition(
            "INSERT INTO attachments (article_id, url, name, size, mime, sort_order) VALUES (@id, @Url, @Name, @Size, @Mime, @order)",
            x.Attachments.Select((f, order) => new { id, f.Url, f.Name, f.Size, Mime = f.Mime ?? Mime.FromName(f.Name), order }), tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition(
            "INSERT INTO article_categories (article_id, category_id) VALUES (@id, @categoryId)",
            x.ExtraCategoryIds.Where(c => c != x.CategoryId).Distinct().Select(categoryId => new { id, categoryId }), tx, cancellationToken: ct));
    }

    /// <summary>A UNIQUE violation on slug or legacy id, as a 409 naming the field; null for any other error.</summary>
    public static ProblemHttpResult? Conflict(System.Data.Common.DbException e) =>
        DbErrors.IsUnique(e, "articles", "slug") ? Problems.Conflict("slug", "Another article already has this slug.")
        : DbErrors.IsUnique(e, "articles", "legacy_id") ? Problems.Conflict("legacyId", "Another article already has this legacy id.")
        : null;
}

public static class ArticleAccess
{
    /// <summary>Authors may read and change only their own drafts; editors and admins any article.</summary>
    public static ProblemHttpResult? Check(System.Security.Claims.ClaimsPrincipal user, ArticleRow row, bool change)
    {
        if (!user.IsAuthorOnly())
            return null;
        if (row.CreatedBy != user.KeyId())
            return Problems.Forbidden("Authors may only work on their own articles.");
        return change && row.Status != "draft" ? Problems.Forbidden("Authors may only change drafts; ask an editor.") : null;
    }
}
