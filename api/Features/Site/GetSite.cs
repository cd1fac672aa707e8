using Cms.Api.Data;
using Cms.Api.Features.Categories;
using Cms.Api.Features.Focus;
using Cms.Api.Features.Leadership;
using Cms.Api.Features.Links;
using Cms.Api.Features.Partners;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Site;

/// <summary>The home-page teaser of the current leadership message.</summary>
public sealed class LeadershipTeaser
{
    public long Id { get; init; }
    public string Title { get; init; } = "";
    public string LeaderName { get; init; } = "";
    public string LeaderTitle { get; init; } = "";
    public string Excerpt { get; init; } = "";
}

public sealed class SiteBundle
{
    /// <summary>Footer values, filing numbers and the disclaimer: all of the settings are public.</summary>
    public SettingsRow? Settings { get; init; }
    /// <summary>Columns shown in the navigation, as a tree.</summary>
    public List<CategoryNode> Navigation { get; init; } = [];
    public List<Partner> Partners { get; init; } = [];
    public List<LinkGroup> Links { get; init; } = [];
    public List<FocusItem> FocusItems { get; init; } = [];
    public LeadershipTeaser? Leadership { get; init; }
}

public sealed class GetSite(Db db) : EndpointWithoutRequest<Ok<SiteBundle>>
{
    public override void Configure()
    {
        Get("/api/v1/site");
        AllowAnonymous();
        Description(b => b.WithTags("Site"));
        Summary(s =>
        {
            s.Summary = "站点信息包 / Everything every page needs, in one call";
            s.Description = "设置(页脚、版权声明)、导航栏目树、合作伙伴、相关链接、焦点图、局长致辞摘要。Settings (footer, disclaimer), navigation tree, partners, grouped links, focus items and the leadership teaser.";
        });
    }

    public override Task<Ok<SiteBundle>> ExecuteAsync(CancellationToken ct)
    {
        using var conn = db.Read();
        using var multi = conn.QueryMultiple(
            $"""
            {SettingsSql.Select};
            SELECT {CategorySql.Columns} FROM categories WHERE is_hidden = 0 AND show_in_nav = 1 ORDER BY sort_order, id;
            {PartnerSql.PublicList};
            {LinkSql.PublicList};
            {FocusSql.PublicList};
            SELECT id, title, leader_name, leader_title, excerpt FROM leadership_messages WHERE is_current = 1 AND publish_at <= @now;
            """, new { now = UtcTime.Now() });
        var settings = multi.ReadSingleOrDefault<SettingsRow>();
        return Task.FromResult(TypedResults.Ok(new SiteBundle
        {
            Settings = settings,
            Navigation = CategoryNode.Tree(multi.Read<CategoryRow>()),
            Partners = multi.Read<PartnerRow>().Select(Partner.From).ToList(),
            Links = LinkGroup.From(multi.Read<LinkRow>()),
            FocusItems = multi.Read<FocusRow>().Select(FocusItem.From).ToList(),
            Leadership = multi.ReadSingleOrDefault<LeadershipTeaser>(),
        }));
    }
}
