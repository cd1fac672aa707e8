using Cms.Api.Http;
using FluentValidation;

namespace Cms.Api.Features.Categories;

/// <summary>list: an article list; page: a single page (pageBodyHtml); link: an external address; topic: a 专题; topicIndex: the list of topics.</summary>
public enum CategoryKind { List, Page, Link, Topic, TopicIndex }

public class CategoryInput
{
    public long? ParentId { get; set; }
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public CategoryKind Kind { get; set; } = CategoryKind.List;
    public string? ExternalUrl { get; set; }
    public string? Description { get; set; }
    public string? Keywords { get; set; }
    public string? ColumnType { get; set; }
    public string? PageBodyHtml { get; set; }
    public int SortOrder { get; set; }
    public bool ShowInNav { get; set; } = true;
    public bool ShowOnHome { get; set; }
    public int HomeItemCount { get; set; } = 6;
    public bool IsHidden { get; set; }
    /// <summary>审核: 0 an editor publishes directly; 1 one review step (终审); 2 初审 and 终审; 3 初审, 复审 and 终审 before publishing.</summary>
    public int ReviewSteps { get; set; }

    public static T Example<T>() where T : CategoryInput, new() => new()
    {
        ParentId = 7,
        Code = "zt_zbh",
        Name = "中博会",
        Kind = CategoryKind.Topic,
        Description = "中国中部投资贸易博览会专题",
        Keywords = "中博会,中部崛起,投资促进",
        ColumnType = "专题",
        SortOrder = 20,
        ShowInNav = false,
        ShowOnHome = true,
        HomeItemCount = 6,
    };
}

public sealed class CategoryInputValidator : AbstractValidator<CategoryInput>
{
    public CategoryInputValidator()
    {
        RuleFor(x => x.ParentId).GreaterThan(0);
        RuleFor(x => x.Code).NotEmpty().Matches("^[a-z][a-z0-9_]{0,31}$")
            .WithMessage("'code' is 1–32 lowercase letters, digits or _, starting with a letter (e.g. c, tzgg, zt_cczg).");
        RuleFor(x => x.Name).NotEmpty().Line(50);
        RuleFor(x => x.Kind).IsInEnum();
        RuleFor(x => x.ExternalUrl).HttpUrl();
        RuleFor(x => x.ExternalUrl).NotEmpty().When(x => x.Kind == CategoryKind.Link).WithMessage("'externalUrl' is required for a link column.");
        RuleFor(x => x.Description).Text(500);
        RuleFor(x => x.Keywords).Line(200);
        RuleFor(x => x.ColumnType).Line(50);
        RuleFor(x => x.PageBodyHtml).Text(1_000_000);
        RuleFor(x => x.SortOrder).InclusiveBetween(-1_000_000, 1_000_000);
        RuleFor(x => x.HomeItemCount).InclusiveBetween(1, 50);
        RuleFor(x => x.ReviewSteps).InclusiveBetween(0, 3);
    }
}

public sealed class CategoryRow
{
    public long Id { get; init; }
    public long? ParentId { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public string Kind { get; init; } = "list";
    public string? ExternalUrl { get; init; }
    public string? Description { get; init; }
    public string? Keywords { get; init; }
    public string? ColumnType { get; init; }
    public string? PageBodyHtml { get; init; }
    public int SortOrder { get; init; }
    public bool ShowInNav { get; init; }
    public bool ShowOnHome { get; init; }
    public int HomeItemCount { get; init; }
    public bool IsHidden { get; init; }
    public int ReviewSteps { get; init; }
    public long Version { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A column in the public tree.</summary>
public sealed class CategoryNode
{
    public long Id { get; init; }
    public long? ParentId { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public CategoryKind Kind { get; init; }
    public string? ExternalUrl { get; init; }
    public string? Description { get; init; }
    public string? Keywords { get; init; }
    public string? ColumnType { get; init; }
    public int SortOrder { get; init; }
    public bool ShowInNav { get; init; }
    public bool ShowOnHome { get; init; }
    public int HomeItemCount { get; init; }
    public List<CategoryNode> Children { get; init; } = [];

    public static CategoryNode From(CategoryRow r) => new()
    {
        Id = r.Id,
        ParentId = r.ParentId,
        Code = r.Code,
        Name = r.Name,
        Kind = Json.ParseEnum<CategoryKind>(r.Kind),
        ExternalUrl = r.ExternalUrl,
        Description = r.Description,
        Keywords = r.Keywords,
        ColumnType = r.ColumnType,
        SortOrder = r.SortOrder,
        ShowInNav = r.ShowInNav,
        ShowOnHome = r.ShowOnHome,
        HomeItemCount = r.HomeItemCount,
    };

    /// <summary>
    /// Builds the forest from rows ordered by sort order, rooted at top-level columns or at <paramref name="rootId"/>;
    /// children of hidden (absent) parents are dropped.
    /// </summary>
    public static List<CategoryNode> Tree(IEnumerable<CategoryRow> rows, long? rootId = null)
    {
        var nodes = rows.Select(From).ToList();
        var byId = nodes.ToDictionary(n => n.Id);
        var roots = new List<CategoryNode>();
        foreach (var n in nodes)
        {
            if (rootId is null ? n.ParentId is null : n.Id == rootId)
                roots.Add(n);
            else if (n.ParentId is { } p && byId.TryGetValue(p, out var parent))
                parent.Children.Add(n);
        }
        return roots;
    }
}

/// <summary>A column as staff edit it.</summary>
public sealed class AdminCategory
{
    public long Id { get; init; }
    public long? ParentId { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public CategoryKind Kind { get; init; }
    public string? ExternalUrl { get; init; }
    public string? Description { get; init; }
    public string? Keywords { get; init; }
    public string? ColumnType { get; init; }
    public string? PageBodyHtml { get; init; }
    public int SortOrder { get; init; }
    public bool ShowInNav { get; init; }
    public bool ShowOnHome { get; init; }
    public int HomeItemCount { get; init; }
    public bool IsHidden { get; init; }
    /// <summary>审核 steps before an article of this column may be published (0–3).</summary>
    public int ReviewSteps { get; init; }
    public long Version { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public static AdminCategory From(CategoryRow r) => new()
    {
        Id = r.Id,
        ParentId = r.ParentId,
        Code = r.Code,
        Name = r.Name,
        Kind = Json.ParseEnum<CategoryKind>(r.Kind),
        ExternalUrl = r.ExternalUrl,
        Description = r.Description,
        Keywords = r.Keywords,
        ColumnType = r.ColumnType,
        PageBodyHtml = r.PageBodyHtml,
        SortOrder = r.SortOrder,
        ShowInNav = r.ShowInNav,
        ShowOnHome = r.ShowOnHome,
        HomeItemCount = r.HomeItemCount,
        IsHidden = r.IsHidden,
        ReviewSteps = r.ReviewSteps,
        Version = r.Version,
        UpdatedAt = r.UpdatedAt,
    };
}

public static class CategorySql
{
    public const string Columns = """
        id, parent_id, code, name, kind, external_url, description, keywords, column_type, page_body_html, sort_order,
        show_in_nav, show_on_home, home_item_count, is_hidden, review_steps, version, updated_at
        """;

    public const string Assignments = """
        parent_id = @ParentId, code = @Code, name = @Name, kind = @Kind, external_url = @ExternalUrl, description = @Description,
        keywords = @Keywords, column_type = @ColumnType, page_body_html = @PageBodyHtml, sort_order = @SortOrder,
        show_in_nav = @ShowInNav, show_on_home = @ShowOnHome, home_item_count = @HomeItemCount, is_hidden = @IsHidden,
        review_steps = @ReviewSteps
        """;

    public static object Values(CategoryInput x) => new
    {
        x.ParentId,
        x.Code,
        x.Name,
        Kind = Json.EnumText(x.Kind),
        x.ExternalUrl,
        x.Description,
        x.Keywords,
        x.ColumnType,
        PageBodyHtml = HtmlPolicy.CleanOrNull(x.PageBodyHtml),
        x.SortOrder,
        x.ShowInNav,
        x.ShowOnHome,
        x.HomeItemCount,
        x.IsHidden,
        x.ReviewSteps,
    };

    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? Conflict(System.Data.Common.DbException e) =>
        Cms.Api.Data.DbErrors.IsUnique(e, "categories", "code")
            ? Problems.Conflict("code", "Another column already has this code.")
            : null;
}
