using Cms.Api.Http;
using FluentValidation;

namespace Cms.Api.Features.Links;

/// <summary>相关链接, shown in groups (政府网站, 投资促进, …).</summary>
public class LinkInput
{
    public string Group { get; set; } = "";
    public string Name { get; set; } = "";
    public string Url { get; set; } = "";
    public int SortOrder { get; set; }
    public bool IsEnabled { get; set; } = true;
    public bool OpenInNewWindow { get; set; } = true;

    public static T Example<T>() where T : LinkInput, new() => new()
    {
        Group = "政府网站",
        Name = "中国政府网",
        Url = "http://www.gov.cn/",
        SortOrder = 10,
    };
}

public sealed class LinkInputValidator : AbstractValidator<LinkInput>
{
    public LinkInputValidator()
    {
        RuleFor(x => x.Group).NotEmpty().Line(50);
        RuleFor(x => x.Name).NotEmpty().Line(100);
        RuleFor(x => x.Url).NotEmpty().HttpUrl();
        RuleFor(x => x.SortOrder).InclusiveBetween(-1_000_000, 1_000_000);
    }
}

public sealed class LinkRow : IVersionedRow
{
    public long Id { get; init; }
    public string Group { get; init; } = "";
    public string Name { get; init; } = "";
    public string Url { get; init; } = "";
    public int SortOrder { get; init; }
    public bool IsEnabled { get; init; }
    public bool OpenInNewWindow { get; init; }
    public long Version { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

public sealed class Link
{
    public long Id { get; init; }
    /// <summary>The group it is listed under (相关链接 → 政府网站 …), so a mirror can rebuild the groups from single links.</summary>
    public string Group { get; init; } = "";
    public string Name { get; init; } = "";
    public string Url { get; init; } = "";
    public bool OpenInNewWindow { get; init; }

    public static Link From(LinkRow r) => new() { Id = r.Id, Group = r.Group, Name = r.Name, Url = r.Url, OpenInNewWindow = r.OpenInNewWindow };
}

public sealed class LinkGroup
{
    public string Group { get; init; } = "";
    public IReadOnlyList<Link> Links { get; init; } = [];

    /// <summary>Groups in the order of their first link; links in sort order.</summary>
    public static List<LinkGroup> From(IEnumerable<LinkRow> rows) =>
        rows.GroupBy(r => r.Group).Select(g => new LinkGroup { Group = g.Key, Links = g.Select(Link.From).ToList() }).ToList();
}

public sealed class AdminLink
{
    public long Id { get; init; }
    public string Group { get; init; } = "";
    public string Name { get; init; } = "";
    public string Url { get; init; } = "";
    public int SortOrder { get; init; }
    public bool IsEnabled { get; init; }
    public bool OpenInNewWindow { get; init; }
    public long Version { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public static AdminLink From(LinkRow r) => new()
    {
        Id = r.Id, Group = r.Group, Name = r.Name, Url = r.Url, SortOrder = r.SortOrder, IsEnabled = r.IsEnabled,
        OpenInNewWindow = r.OpenInNewWindow, Version = r.Version, UpdatedAt = r.UpdatedAt,
    };
}

public static class LinkSql
{
    public const string Columns = "id, group_name AS \"group\", name, url, sort_order, is_enabled, open_in_new_window, version, updated_at";
    public const string PublicList = $"SELECT {Columns} FROM related_links WHERE is_enabled = 1 ORDER BY sort_order, id";

    public static object Values(LinkInput x) => new { x.Group, x.Name, x.Url, x.SortOrder, x.IsEnabled, x.OpenInNewWindow };
}
