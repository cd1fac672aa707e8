using System.Text.Json.Serialization;
using Cms.Api.Http;
using FluentValidation;

namespace Cms.Api.Features.Articles;

/// <summary>文章类型: the four values the disclaimer names (原创/转载/编译/摘编).</summary>
public enum ArticleType { Original, Reprint, Translation, Excerpt }

/// <summary>inReview: a draft submitted for its column's review steps (审核), not yet published.</summary>
public enum ArticleStatus { Draft, Published, Offline, InReview }

/// <summary>有效 / 已修改 / 已废止 / 已失效, marked on policy documents.</summary>
public enum Validity { Valid, Amended, Repealed, Expired }

public sealed class ImageRef
{
    public string Url { get; set; } = "";
    public string Alt { get; set; } = "";
}

public sealed class Attachment
{
    public string Url { get; set; } = "";
    public string Name { get; set; } = "";
    public long? Size { get; set; }
    public string? Mime { get; set; }
}

public static class ArticleTypeLabels
{
    public static string Label(ArticleType t) => t switch
    {
        ArticleType.Original => "原创",
        ArticleType.Reprint => "转载",
        ArticleType.Translation => "编译",
        _ => "摘编",
    };
}

/// <summary>The writable fields of an article, shared by create and update.</summary>
public class ArticleInput
{
    public string? Slug { get; set; }
    public string? LegacyId { get; set; }
    public long CategoryId { get; set; }
    public List<long> ExtraCategoryIds { get; set; } = [];
    public string Title { get; set; } = "";
    public string? Subtitle { get; set; }
    public string? Summary { get; set; }
    public string BodyHtml { get; set; } = "";
    public string? Source { get; set; }
    public ArticleType ArticleType { get; set; } = ArticleType.Original;
    public string? ContentCategory { get; set; }
    public string? Author { get; set; }
    public string? OriginalUrl { get; set; }
    public List<string> Tags { get; set; } = [];
    public ImageRef? CoverImage { get; set; }
    public List<Attachment> Attachments { get; set; } = [];
    public bool IsFocus { get; set; }
    public bool IsPinned { get; set; }
    public Validity? Validity { get; set; }
    public string? ValidityNote { get; set; }
    public DateTimeOffset? PublishAt { get; set; }

    /// <summary>A realistic body for Swagger UI's example.</summary>
    public static T Example<T>() where T : ArticleInput, new() => new()
    {
        Slug = "2021-cczg-investment-alliance",
        CategoryId = 2,
        ExtraCategoryIds = [8],
        Title = "“产城中国”投资联盟在太原成立",
        Subtitle = "2021中博会•产城中国市长论坛系列成果",
        Summary = "会上发布了《2021产城中国白皮书》,并成立了产城中国投资联盟。",
        BodyHtml = "<p>5月21日下午,2021中博会•产城中国市长论坛在山西太原市成功举办。</p><p>会上还发布了《2021产城中国白皮书》、《中国城市高质量发展创新案例研究报告》,并成立了产城中国投资联盟。</p>",
        Source = "商务部投资促进事务局",
        ArticleType = ArticleType.Original,
        Author = "投资促进事务局",
        Tags = ["中博会", "产城中国"],
        IsPinned = false,
        PublishAt = new DateTimeOffset(2021, 5, 24, 10, 0, 0, TimeSpan.FromHours(8)),
    };
}

public sealed class ImageRefValidator : AbstractValidator<ImageRef>
{
    public ImageRefValidator()
    {
        RuleFor(x => x.Url).NotEmpty().HttpOrSitePath();
        RuleFor(x => x.Alt).NotEmpty().Line(200);
    }
}

public sealed class ArticleInputValidator : AbstractValidator<ArticleInput>
{
    public ArticleInputValidator()
    {
        RuleFor(x => x.Slug).MaximumLength(120).Matches(TextRules.SlugPattern)
            .Must(s => s is null || s.Any(char.IsAsciiLetterLower)).WithMessage("'slug' must contain a letter, so it never looks like an id.");
        RuleFor(x => x.LegacyId).Matches("^[0-9]{14}$").WithMessage("'legacyId' must be the 14-digit id of the old site.");
        RuleFor(x => x.CategoryId).GreaterThan(0);
        RuleFor(x => x.ExtraCategoryIds).Must(l => l.Count <= 20).WithMessage("At most 20 extra columns.");
        RuleForEach(x => x.ExtraCategoryIds).GreaterThan(0);
        RuleFor(x => x.Title).NotEmpty().Line(200);
        RuleFor(x => x.Subtitle).Line(200);
        RuleFor(x => x.Summary).Text(500);
        RuleFor(x => x.BodyHtml).NotEmpty().Text(1_000_000);
        RuleFor(x => x.Source).Line(100);
        RuleFor(x => x.Source).NotEmpty().When(x => x.ArticleType != ArticleType.Original)
            .WithMessage("'source' (文章来源) is required when the article is not original.");
        RuleFor(x => x.ArticleType).IsInEnum();
        RuleFor(x => x.ContentCategory).Line(50);
        RuleFor(x => x.Author).Line(100);
        RuleFor(x => x.OriginalUrl).HttpUrl();
        RuleFor(x => x.Tags).Must(t => t.Count <= 20).WithMessage("At most 20 tags.")
            .Must(t => t.Distinct(StringComparer.Ordinal).Count() == t.Count).WithMessage("Tags must be unique.");
        RuleForEach(x => x.Tags).NotEmpty().Line(30);
        RuleFor(x => x.CoverImage!).SetValidator(new ImageRefValidator()).When(x => x.CoverImage is not null);
        RuleFor(x => x.Attachments).Must(a => a.Count <= 50).WithMessage("At most 50 attachments.");
        RuleForEach(x => x.Attachments).ChildRules(a =>
        {
            a.RuleFor(x => x.Url).NotEmpty().HttpOrSitePath();
            a.RuleFor(x => x.Name).NotEmpty().Line(200);
            a.RuleFor(x => x.Size).GreaterThanOrEqualTo(0);
            a.RuleFor(x => x.Mime).Line(100);
        });
        RuleFor(x => x.Validity).IsInEnum();
        RuleFor(x => x.ValidityNote).Text(500);
    }
}

/// <summary>One row of the articles table as the queries select it.</summary>
public sealed class ArticleRow
{
    public long Id { get; set; }
    public string Slug { get; set; } = "";
    public string? LegacyId { get; set; }
    public long CategoryId { get; set; }
    public string CategoryCode { get; set; } = "";
    public string CategoryName { get; set; } = "";
    public string Title { get; set; } = "";
    public string? Subtitle { get; set; }
    public string? Summary { get; set; }
    public string BodyHtml { get; set; } = "";
    public string? Source { get; set; }
    public string ArticleType { get; set; } = "original";
    public string? ContentCategory { get; set; }
    public string? Author { get; set; }
    public string? OriginalUrl { get; set; }
    public string? CoverImageUrl { get; set; }
    public string? CoverImageAlt { get; set; }
    public bool IsFocus { get; set; }
    public bool IsPinned { get; set; }
    public string? Validity { get; set; }
    public string? ValidityNote { get; set; }
    public string Status { get; set; } = "draft";
    public DateTimeOffset? PublishAt { get; set; }
    public long? CreatedBy { get; set; }
    public long Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class CategoryRef
{
    public long Id { get; set; }
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
}

public sealed class ArticleLink
{
    public long Id { get; set; }
    public string Slug { get; set; } = "";
    /// <summary>The article's published page, /article/{code}/{yyyyMM}/{id}.shtml.</summary>
    public string Url { get; set; } = "";
    public string Title { get; set; } = "";
    public DateTimeOffset PublishAt { get; set; }
}

/// <summary>
/// The portal's addresses, as the agency's own site has them and the publisher writes them: an article at
/// /article/{column code}/{yyyyMM}/{id}.shtml (the 14-digit legacy id and its month for imported articles, else the
/// article id and its publish month in Beijing time), a column at /article/{code}/ with page n at index_{n}.shtml.
/// </summary>
public static class PortalUrls
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    /// <summary>Null for an article never published (a draft has no address).</summary>
    public static string? Article(string code, string? legacyId, long id, DateTimeOffset? publishAt) =>
        legacyId is { Length: 14 } l ? $"/article/{code}/{l[..6]}/{l}.shtml"
        : publishAt is { } at ? $"/article/{code}/{at.ToOffset(Beijing).ToString("yyyyMM", System.Globalization.CultureInfo.InvariantCulture)}/{id}.shtml"
        : null;

    public static string Column(string code, int page = 1) => page <= 1 ? $"/article/{code}/" : $"/article/{code}/index_{page}.shtml";

    public static string Leader(long? id = null) => id is null ? "/leader/" : $"/leader/{id}.shtml";

    /// <summary>The same rule in SQL, for a row a with a.legacy_id, a.id, a.publish_at and the column code in c.code.</summary>
    public static readonly string ArticleSql = $"""
        CASE WHEN length(a.legacy_id) = 14 THEN '/article/' || c.code || '/' || substr(a.legacy_id, 1, 6) || '/' || a.legacy_id || '.shtml'
             WHEN a.publish_at IS NOT NULL THEN '/article/' || c.code || '/' || {Cms.Api.Data.Sql.MonthInChina("a.publish_at")} || '/' || a.id || '.shtml'
        END
        """;
}

/// <summary>An article as a list shows it.</summary>
public sealed class ArticleListItem
{
    public long Id { get; set; }
    public string Slug { get; set; } = "";
    /// <summary>The article's published page, /article/{code}/{yyyyMM}/{id}.shtml.</summary>
    public string? Url { get; set; }
    public string Title { get; set; } = "";
    public string? Subtitle { get; set; }
    public string? Summary { get; set; }
    public string? Source { get; set; }
    public ArticleType ArticleType { get; set; }
    public bool IsPinned { get; set; }
    public ImageRef? CoverImage { get; set; }
    public CategoryRef Category { get; set; } = new();
    public DateTimeOffset PublishAt { get; set; }

    public static ArticleListItem From(ArticleRow r) => new()
    {
        Id = r.Id,
        Slug = r.Slug,
        Url = PortalUrls.Article(r.CategoryCode, r.LegacyId, r.Id, r.PublishAt),
        Title = r.Title,
        Subtitle = r.Subtitle,
        Summary = r.Summary,
        Source = r.Source,
        ArticleType = Json.ParseEnum<ArticleType>(r.ArticleType),
        IsPinned = r.IsPinned,
        CoverImage = ArticleResponse.Image(r.CoverImageUrl, r.CoverImageAlt),
        Category = new CategoryRef { Id = r.CategoryId, Code = r.CategoryCode, Name = r.CategoryName },
        PublishAt = r.PublishAt ?? r.CreatedAt,
    };
}

/// <summary>Everything an article page and its meta tags need.</summary>
public class ArticleResponse
{
    public long Id { get; set; }
    public string Slug { get; set; } = "";
    public string? LegacyId { get; set; }
    /// <summary>The old MOFCOM-style address, /article/{code}/{yyyyMM}/{legacyId}.shtml, when there is a legacy id.</summary>
    public string? LegacyPath { get; set; }
    /// <summary>The article's published page (its canonical address); null until it has a publish time.</summary>
    public string? Url { get; set; }
    public string Title { get; set; } = "";
    public string? Subtitle { get; set; }
    public string? Summary { get; set; }
    public string BodyHtml { get; set; } = "";
    public string? Source { get; set; }
    public ArticleType ArticleType { get; set; }
    public string ArticleTypeLabel { get; set; } = "";
    public string? ContentCategory { get; set; }
    public string? Author { get; set; }
    public string? OriginalUrl { get; set; }
    public IReadOnlyList<string> Tags { get; set; } = [];
    public ImageRef? CoverImage { get; set; }
    public IReadOnlyList<Attachment> Attachments { get; set; } = [];
    public bool IsFocus { get; set; }
    public bool IsPinned { get; set; }
    public Validity? Validity { get; set; }
    public string? ValidityNote { get; set; }
    public CategoryRef Category { get; set; } = new();
    public IReadOnlyList<CategoryRef> ExtraCategories { get; set; } = [];
    public DateTimeOffset? PublishAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public static ImageRef? Image(string? url, string? alt) => url is null ? null : new ImageRef { Url = url, Alt = alt ?? "" };

    public static string? LegacyPathOf(ArticleRow r) =>
        r.LegacyId is { Length: 14 } ? PortalUrls.Article(r.CategoryCode, r.LegacyId, r.Id, r.PublishAt) : null;
}

public sealed class PublicArticle : ArticleResponse
{
    [JsonPropertyOrder(1)]
    /// <summary>Columns from the root to the article's column: 当前位置:首页 > …</summary>
    public IReadOnlyList<CategoryRef> Breadcrumb { get; set; } = [];
    /// <summary>The article published just before this one in its column.</summary>
    [JsonPropertyOrder(1)]
    public ArticleLink? Previous { get; set; }
    /// <summary>The article published just after this one in its column.</summary>
    [JsonPropertyOrder(1)]
    public ArticleLink? Next { get; set; }
    /// <summary>True when this is a draft shown by a preview address (GET /api/v1/preview/{token}), not a published article.</summary>
    [JsonPropertyOrder(1)]
    public bool Preview { get; set; }
}

public sealed class AdminArticle : ArticleResponse
{
    [JsonPropertyOrder(1)]
    public ArticleStatus Status { get; set; }
    /// <summary>Where it stands in its column's review (审核); null when it is not under review.</summary>
    [JsonPropertyOrder(1)]
    public Reviews.ReviewState? Review { get; set; }
    [JsonPropertyOrder(1)]
    public long Version { get; set; }
    [JsonPropertyOrder(1)]
    public DateTimeOffset CreatedAt { get; set; }
    [JsonPropertyOrder(1)]
    public long? CreatedBy { get; set; }
}
