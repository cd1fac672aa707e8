using Cms.Api.Features.Articles;
using Cms.Api.Http;
using FluentValidation;

namespace Cms.Api.Features.Partners;

/// <summary>合作伙伴: a name, an optional link and logo.</summary>
public class PartnerInput
{
    public string Name { get; set; } = "";
    public string? Url { get; set; }
    public ImageRef? Logo { get; set; }
    public int SortOrder { get; set; }
    public bool IsEnabled { get; set; } = true;

    public static T Example<T>() where T : PartnerInput, new() => new()
    {
        Name = "山西省投资促进局",
        Url = "http://www.sxtc.gov.cn/",
        Logo = new ImageRef { Url = "/uploads/partners/sxtc.png", Alt = "山西省投资促进局标志" },
        SortOrder = 20,
    };
}

public sealed class PartnerInputValidator : AbstractValidator<PartnerInput>
{
    public PartnerInputValidator()
    {
        RuleFor(x => x.Name).NotEmpty().Line(100);
        RuleFor(x => x.Url).HttpUrl();
        RuleFor(x => x.Logo!).SetValidator(new ImageRefValidator()).When(x => x.Logo is not null);
        RuleFor(x => x.SortOrder).InclusiveBetween(-1_000_000, 1_000_000);
    }
}

public sealed class PartnerRow : IVersionedRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string? Url { get; init; }
    public string? LogoUrl { get; init; }
    public string? LogoAlt { get; init; }
    public int SortOrder { get; init; }
    public bool IsEnabled { get; init; }
    public long Version { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

public sealed class Partner
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string? Url { get; init; }
    public ImageRef? Logo { get; init; }
    public int SortOrder { get; init; }

    public static Partner From(PartnerRow r) => new()
    {
        Id = r.Id, Name = r.Name, Url = r.Url, Logo = ArticleResponse.Image(r.LogoUrl, r.LogoAlt), SortOrder = r.SortOrder,
    };
}

public sealed class AdminPartner
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string? Url { get; init; }
    public ImageRef? Logo { get; init; }
    public int SortOrder { get; init; }
    public bool IsEnabled { get; init; }
    public long Version { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public static AdminPartner From(PartnerRow r) => new()
    {
        Id = r.Id, Name = r.Name, Url = r.Url, Logo = ArticleResponse.Image(r.LogoUrl, r.LogoAlt), SortOrder = r.SortOrder,
        IsEnabled = r.IsEnabled, Version = r.Version, UpdatedAt = r.UpdatedAt,
    };
}

public static class PartnerSql
{
    public const string Columns = "id, name, url, logo_url, logo_alt, sort_order, is_enabled, version, updated_at";
    public const string PublicList = $"SELECT {Columns} FROM partners WHERE is_enabled = 1 ORDER BY sort_order, id";

    public static object Values(PartnerInput x) => new { x.Name, x.Url, LogoUrl = x.Logo?.Url, LogoAlt = x.Logo?.Alt, x.SortOrder, x.IsEnabled };
}
