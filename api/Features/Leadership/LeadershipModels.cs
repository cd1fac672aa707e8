using Cms.Api.Features.Articles;
using Cms.Api.Http;
using FluentValidation;

namespace Cms.Api.Features.Leadership;

public class LeadershipInput
{
    public string Title { get; set; } = "";
    public string LeaderName { get; set; } = "";
    public string LeaderTitle { get; set; } = "";
    public ImageRef? Photo { get; set; }
    /// <summary>The home-page teaser, which ends in 【查看全文】.</summary>
    public string Excerpt { get; set; } = "";
    public string BodyHtml { get; set; } = "";
    public DateTimeOffset? PublishAt { get; set; }

    public static T Example<T>() where T : LeadershipInput, new() => new()
    {
        Title = "局长致辞",
        LeaderName = "(局长姓名)",
        LeaderTitle = "局长",
        Excerpt = "吸收外商直接投资与开展对外投资合作是中国对外开放政策的重要组成部分,是中国经济发展适应全球化、参与国际分工合作的必由之路。",
        BodyHtml = "<p>吸收外商直接投资与开展对外投资合作是中国对外开放政策的重要组成部分,是中国经济发展适应全球化、参与国际分工合作的必由之路,也是中国致力于与各国和地区互利双赢、共同发展的成功实践。</p>",
        PublishAt = new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)),
    };
}

public sealed class LeadershipInputValidator : AbstractValidator<LeadershipInput>
{
    public LeadershipInputValidator()
    {
        RuleFor(x => x.Title).NotEmpty().Line(100);
        RuleFor(x => x.LeaderName).NotEmpty().Line(50);
        RuleFor(x => x.LeaderTitle).NotEmpty().Line(50);
        RuleFor(x => x.Photo!).SetValidator(new ImageRefValidator()).When(x => x.Photo is not null);
        RuleFor(x => x.Excerpt).NotEmpty().Text(1000);
        RuleFor(x => x.BodyHtml).NotEmpty().Text(1_000_000);
    }
}

public sealed class LeadershipRow
{
    public long Id { get; init; }
    public string Title { get; init; } = "";
    public string LeaderName { get; init; } = "";
    public string LeaderTitle { get; init; } = "";
    public string? PhotoUrl { get; init; }
    public string? PhotoAlt { get; init; }
    public string Excerpt { get; init; } = "";
    public string BodyHtml { get; init; } = "";
    public DateTimeOffset PublishAt { get; init; }
    public bool IsCurrent { get; init; }
    public long Version { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

public sealed class LeadershipMessage
{
    public long Id { get; init; }
    public string Title { get; init; } = "";
    public string LeaderName { get; init; } = "";
    public string LeaderTitle { get; init; } = "";
    public ImageRef? Photo { get; init; }
    public string Excerpt { get; init; } = "";
    public string BodyHtml { get; init; } = "";
    public DateTimeOffset PublishAt { get; init; }
    public bool IsCurrent { get; init; }
    public long Version { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public static LeadershipMessage From(LeadershipRow r) => new()
    {
        Id = r.Id,
        Title = r.Title,
        LeaderName = r.LeaderName,
        LeaderTitle = r.LeaderTitle,
        Photo = ArticleResponse.Image(r.PhotoUrl, r.PhotoAlt),
        Excerpt = r.Excerpt,
        BodyHtml = r.BodyHtml,
        PublishAt = r.PublishAt,
        IsCurrent = r.IsCurrent,
        Version = r.Version,
        UpdatedAt = r.UpdatedAt,
    };
}

public static class LeadershipSql
{
    public const string Columns = """
        id, title, leader_name, leader_title, photo_url, photo_alt, excerpt, body_html, publish_at, is_current, version, updated_at
        """;

    public static object Values(LeadershipInput x) => new
    {
        x.Title,
        x.LeaderName,
        x.LeaderTitle,
        PhotoUrl = x.Photo?.Url,
        PhotoAlt = x.Photo?.Alt,
        x.Excerpt,
        BodyHtml = HtmlPolicy.Clean(x.BodyHtml),
        PublishAt = x.PublishAt ?? DateTimeOffset.UtcNow,
    };
}
