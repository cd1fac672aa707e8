using Cms.Api.Features.Articles;
using Cms.Api.Http;
using FluentValidation;

namespace Cms.Api.Features.Focus;

/// <summary>焦点图: an image with a title that opens an article, an address, or nothing.</summary>
public class FocusInput
{
    public string Title { get; set; } = "";
    public ImageRef Image { get; set; } = new();
    public long? ArticleId { get; set; }
    public string? LinkUrl { get; set; }
    public int SortOrder { get; set; }
    public bool IsEnabled { get; set; } = true;
    public DateTimeOffset? StartAt { get; set; }
    public DateTimeOffset? EndAt { get; set; }

    public static T Example<T>() where T : FocusInput, new() => new()
    {
        Title = "2021中博会•产城中国市长论坛成功举办",
        Image = new ImageRef { Url = "/uploads/2021/05/cczg-forum.jpg", Alt = "2021中博会•产城中国市长论坛现场" },
        ArticleId = 1,
        SortOrder = 10,
    };
}

public sealed class FocusInputValidator : AbstractValidator<FocusInput>
{
    public FocusInputValidator()
    {
        RuleFor(x => x.Title).NotEmpty().Line(200);
        RuleFor(x => x.Image).NotNull().SetValidator(new ImageRefValidator());
        RuleFor(x => x.ArticleId).GreaterThan(0);
        RuleFor(x => x.LinkUrl).HttpOrSitePath();
        RuleFor(x => x.LinkUrl).Null().When(x => x.ArticleId is not null).WithMessage("Give either articleId or linkUrl, not both.");
        RuleFor(x => x.SortOrder).InclusiveBetween(-1_000_000, 1_000_000);
        RuleFor(x => x.EndAt).GreaterThan(x => x.StartAt).When(x => x.StartAt is not null && x.EndAt is not null);
    }
}

public sealed class FocusRow : IVersionedRow
{
    public long Id { get; init; }
    public string Title { get; init; } = "";
    public string ImageUrl { get; init; } = "";
    public string ImageAlt { get; init; } = "";
    public long? ArticleId { get; init; }
    public string? ArticleSlug { get; init; }
    public string? ArticleUrl { get; init; }
    public string? LinkUrl { get; init; }
    public int SortOrder { get; init; }
    public bool IsEnabled { get; init; }
    public DateTimeOffset? StartAt { get; init; }
    public DateTimeOffset? EndAt { get; init; }
    public long Version { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

public sealed class FocusItem
{
    public long Id { get; init; }
    public string Title { get; init; } = "";
    public ImageRef Image { get; init; } = new();
    /// <summary>The article it opens (published), or null.</summary>
    public ArticleLinkRef? Article { get; init; }
    public string? LinkUrl { get; init; }

    public static FocusItem From(FocusRow r) => new()
    {
        Id = r.Id,
        Title = r.Title,
        Image = new ImageRef { Url = r.ImageUrl, Alt = r.ImageAlt },
        Article = r.ArticleId is { } id && r.ArticleSlug is { } slug ? new ArticleLinkRef { Id = id, Slug = slug, Url = r.ArticleUrl ?? "" } : null,
        LinkUrl = r.LinkUrl,
    };
}

public sealed class ArticleLinkRef
{
    public long Id { get; init; }
    public string Slug { get; init; } = "";
    /// <summary>The article's published page, /article/{code}/{yyyyMM}/{id}.shtml.</summary>
    public string Url { get; init; } = "";
}

public sealed class AdminFocusItem
{
    public long Id { get; init; }
    public string Title { get; init; } = "";
    public ImageRef Image { get; init; } = new();
    public long? ArticleId { get; init; }
    public string? LinkUrl { get; init; }
    public int SortOrder { get; init; }
    public bool IsEnabled { get; init; }
    public DateTimeOffset? StartAt { get; init; }
    public DateTimeOffset? EndAt { get; init; }
    public long Version { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public static AdminFocusItem From(FocusRow r) => new()
    {
        Id = r.Id, Title = r.Title, Image = new ImageRef { Url = r.ImageUrl, Alt = r.ImageAlt }, ArticleId = r.ArticleId,
        LinkUrl = r.LinkUrl, SortOrder = r.SortOrder, IsEnabled = r.IsEnabled, StartAt = r.StartAt, EndAt = r.EndAt,
        Version = r.Version, UpdatedAt = r.UpdatedAt,
    };
}

public static class FocusSql
{
    public const string Columns = "id, title, image_url, image_alt, article_id, link_url, sort_order, is_enabled, start_at, end_at, version, updated_at";

    /// <summary>FROM and WHERE of the public items: enabled, inside their time window, their article (if any) public.</summary>
    public const string PublicFrom = $"""
        FROM focus_items f LEFT JOIN articles a ON a.id = f.article_id AND {ArticleSql.Visible} LEFT JOIN categories c ON c.id = a.category_id
        WHERE f.is_enabled = 1 AND (f.start_at IS NULL OR f.start_at <= @now) AND (f.end_at IS NULL OR f.end_at > @now)
          AND (f.article_id IS NULL OR a.id IS NOT NULL)
        """;

    public static readonly string PublicColumns = "f.id, f.title, f.image_url, f.image_alt, a.id AS article_id, a.slug AS article_slug, " + PortalUrls.ArticleSql + " AS article_url, f.link_url";

    public static readonly string PublicList = $"SELECT {PublicColumns} {PublicFrom} ORDER BY f.sort_order, f.id";

    /// <summary>A 400 naming articleId when it points at no article.</summary>
    public static async Task<Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult?> MissingArticleAsync(Data.Db db, FocusInput x, CancellationToken ct)
    {
        if (x.ArticleId is not { } id)
            return null;
        await using var conn = await db.OpenAsync(ct);
        var found = await Dapper.SqlMapper.ExecuteScalarAsync<long>(conn, new Dapper.CommandDefinition(
            "SELECT count(*) FROM articles WHERE id = @id", new { id }, cancellationToken: ct));
        return found == 0 ? Problems.BadRequest("articleId", $"No article with id {id}.") : null;
    }

    public static object Values(FocusInput x) => new
    {
        x.Title, ImageUrl = x.Image.Url, ImageAlt = x.Image.Alt, x.ArticleId, x.LinkUrl, x.SortOrder, x.IsEnabled, x.StartAt, x.EndAt,
    };
}
