using FluentValidation;

namespace Cms.Api.Http;

public sealed class PageInfo
{
    public int Number { get; init; }
    public int Size { get; init; }
    public long TotalItems { get; init; }
    public long TotalPages { get; init; }
    /// <summary>False when totalItems is a lower bound: a search counts hits up to 1,000 ("1,000+").</summary>
    public bool TotalItemsExact { get; init; } = true;
}

/// <summary>A numbered page of a list; portals need numbered pagers, so totals are kept.</summary>
public sealed class Paged<T>
{
    public IReadOnlyList<T> Items { get; init; } = [];
    public PageInfo Page { get; init; } = new();

    public static Paged<T> Of(IReadOnlyList<T> items, int number, int size, long total, bool exact = true) => new()
    {
        Items = items,
        Page = new PageInfo { Number = number, Size = size, TotalItems = total, TotalPages = (total + size - 1) / size, TotalItemsExact = exact },
    };
}

/// <summary>Implemented by list requests: page is 1-based, pageSize 1–100 (default 20); out of range is a 400.</summary>
public interface IPaged
{
    int Page { get; }
    int PageSize { get; }
}

public static class PagingRules
{
    public const int MaxPageSize = 100;
    public const int MaxPage = 1_000_000;

    public static void AddPagingRules<T>(this AbstractValidator<T> v) where T : IPaged
    {
        v.RuleFor(x => x.Page).InclusiveBetween(1, MaxPage);
        v.RuleFor(x => x.PageSize).InclusiveBetween(1, MaxPageSize);
    }

    public static int Offset(this IPaged p) => (p.Page - 1) * p.PageSize;
}
