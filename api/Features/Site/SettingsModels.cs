using Cms.Api.Http;
using FluentValidation;

namespace Cms.Api.Features.Site;

/// <summary>The site-wide settings: footer values, filing numbers, the disclaimer. Labels are the front end's job.</summary>
public class SettingsInput
{
    public string SiteName { get; set; } = "";
    public string SiteDomain { get; set; } = "";
    /// <summary>版权所有</summary>
    public string CopyrightHolder { get; set; } = "";
    /// <summary>地址</summary>
    public string Address { get; set; } = "";
    /// <summary>邮编</summary>
    public string? Postcode { get; set; }
    /// <summary>技术支持</summary>
    public string? TechSupport { get; set; }
    /// <summary>电话</summary>
    public string? Phone { get; set; }
    public string? Email { get; set; }
    /// <summary>ICP 备案号, e.g. 京ICP备14022686号-4</summary>
    public string IcpNumber { get; set; } = "";
    public string? IcpUrl { get; set; }
    /// <summary>公安备案, e.g. 京公网安备 11010102004466号</summary>
    public string? PublicSecurityFilingText { get; set; }
    public string? PublicSecurityRecordCode { get; set; }
    /// <summary>网站标识码</summary>
    public string? SiteIdCode { get; set; }
    /// <summary>党政机关网站标识 snippet (sanitized HTML)</summary>
    public string? PartyGovLabelHtml { get; set; }
    public string DisclaimerTitle { get; set; } = "";
    public string DisclaimerHtml { get; set; } = "";
    public string? SeoKeywords { get; set; }
    public string? SeoDescription { get; set; }
    /// <summary>How many of the latest articles each feed carries.</summary>
    public int FeedItemCount { get; set; } = 20;

    public static SettingsInput Example() => new()
    {
        SiteName = "商务部投资促进事务局",
        SiteDomain = "www.cipainvest.org.cn",
        CopyrightHolder = "商务部投资促进事务局",
        Address = "北京市东城区安定门外大街东后巷28号1号楼",
        Postcode = "100710",
        TechSupport = "中国国际电子商务中心",
        Phone = "010-85093020",
        IcpNumber = "京ICP备14022686号-4",
        IcpUrl = "https://beian.miit.gov.cn/",
        PublicSecurityFilingText = "京公网安备 11010102004466号",
        PublicSecurityRecordCode = "11010102004466",
        DisclaimerTitle = "商务部网站版权与免责声明",
        DisclaimerHtml = "<p>1、凡本站及其子站注明“文章类型:原创”的所有作品,其版权属于商务部网站及其子站所有。</p>",
    };
}

public sealed class SettingsInputValidator : AbstractValidator<SettingsInput>
{
    public SettingsInputValidator()
    {
        RuleFor(x => x.SiteName).NotEmpty().Line(100);
        RuleFor(x => x.SiteDomain).NotEmpty().MaximumLength(253).Matches(@"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:[0-9]{1,5})?$")
            .WithMessage("'siteDomain' is a host name such as www.cipainvest.org.cn, without scheme or path.");
        RuleFor(x => x.CopyrightHolder).NotEmpty().Line(100);
        RuleFor(x => x.Address).NotEmpty().Line(200);
        RuleFor(x => x.Postcode).Line(20);
        RuleFor(x => x.TechSupport).Line(100);
        RuleFor(x => x.Phone).Line(50);
        RuleFor(x => x.Email).Line(200).EmailAddress();
        RuleFor(x => x.IcpNumber).NotEmpty().Line(50);
        RuleFor(x => x.IcpUrl).HttpUrl();
        RuleFor(x => x.PublicSecurityFilingText).Line(100);
        RuleFor(x => x.PublicSecurityRecordCode).Matches("^[0-9]{1,20}$");
        RuleFor(x => x.SiteIdCode).Matches("^[0-9A-Za-z]{1,20}$");
        RuleFor(x => x.PartyGovLabelHtml).Text(10_000);
        RuleFor(x => x.DisclaimerTitle).NotEmpty().Line(100);
        RuleFor(x => x.DisclaimerHtml).NotEmpty().Text(100_000);
        RuleFor(x => x.SeoKeywords).Line(200);
        RuleFor(x => x.SeoDescription).Text(500);
        RuleFor(x => x.FeedItemCount).InclusiveBetween(1, 100);
    }
}

public sealed class SettingsRow
{
    public string SiteName { get; init; } = "";
    public string SiteDomain { get; init; } = "";
    public string CopyrightHolder { get; init; } = "";
    public string Address { get; init; } = "";
    public string? Postcode { get; init; }
    public string? TechSupport { get; init; }
    public string? Phone { get; init; }
    public string? Email { get; init; }
    public string IcpNumber { get; init; } = "";
    public string? IcpUrl { get; init; }
    public string? PublicSecurityFilingText { get; init; }
    public string? PublicSecurityRecordCode { get; init; }
    public string? SiteIdCode { get; init; }
    public string? PartyGovLabelHtml { get; init; }
    public string DisclaimerTitle { get; init; } = "";
    public string DisclaimerHtml { get; init; } = "";
    public string? SeoKeywords { get; init; }
    public string? SeoDescription { get; init; }
    public int FeedItemCount { get; init; }
    public long Version { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

public static class SettingsSql
{
    public const string Columns = """
        site_name, site_domain, copyright_holder, address, postcode, tech_support, phone, email, icp_number, icp_url,
        public_security_filing_text, public_security_record_code, site_id_code, party_gov_label_html, disclaimer_title,
        disclaimer_html, seo_keywords, seo_description, feed_item_count, version, updated_at
        """;

    public const string Select = $"SELECT {Columns} FROM site_settings WHERE id = 1";
}
