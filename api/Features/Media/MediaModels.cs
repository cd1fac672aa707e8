using System.Text.Json;
using Cms.Api.Http;

namespace Cms.Api.Features.Media;

public sealed class MediaRow : IVersionedRow
{
    public long Id { get; init; }
    public string Hash { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Type { get; init; } = "";
    public string Mime { get; init; } = "";
    public string Ext { get; init; } = "";
    public string FileName { get; init; } = "";
    public long Size { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    public string Widths { get; init; } = "[]";
    public string Alt { get; init; } = "";
    public string Caption { get; init; } = "";
    public long Version { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public IReadOnlyList<int> WidthList => JsonSerializer.Deserialize<int[]>(Widths) ?? [];
    public string Url => MediaStore.Url(Hash, Ext);

    /// <summary>The srcset of an image: its resized copies and itself, widest last.</summary>
    public string? SrcSet => Kind != MediaType.Image || Width is null ? null
        : string.Join(", ", WidthList.Select(w => $"{MediaStore.Url(Hash, Ext, w)} {w}w").Append($"{Url} {Width}w"));
}

/// <summary>A resized copy of an image.</summary>
public sealed class MediaVariant
{
    public int Width { get; init; }
    public string Url { get; init; } = "";
}

/// <summary>Content that uses a media item: entity is article, focusItem, partner, settings, leadershipMessage or category.</summary>
public sealed class MediaUse
{
    public string Entity { get; init; } = "";
    public long Id { get; init; }
}

/// <summary>An image or attachment in the media library.</summary>
public sealed class MediaItem
{
    public long Id { get; init; }
    /// <summary>image or attachment.</summary>
    public string Kind { get; init; } = "";
    /// <summary>What the file's bytes are: jpeg, png, gif, webp, pdf, doc, docx, xls, xlsx, ppt, pptx, zip or txt.</summary>
    public string Type { get; init; } = "";
    public string Mime { get; init; } = "";
    /// <summary>The name it was uploaded under, kept for display and as the download name.</summary>
    public string FileName { get; init; } = "";
    /// <summary>Bytes as served (images are stored re-encoded, without EXIF/GPS).</summary>
    public long Size { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    /// <summary>Where it is served: /media/{content hash}.{ext}, cached for a year (the name changes with the content).</summary>
    public string Url { get; init; } = "";
    /// <summary>Resized copies of an image, narrowest first.</summary>
    public IReadOnlyList<MediaVariant> Variants { get; init; } = [];
    /// <summary>For an img element: the copies and the original with their widths.</summary>
    public string? SrcSet { get; init; }
    /// <summary>Alternative text; an image needs it before a published article may show it.</summary>
    public string Alt { get; init; } = "";
    public string Caption { get; init; } = "";
    /// <summary>Content that uses it; while any does, it cannot be deleted.</summary>
    public IReadOnlyList<MediaUse> UsedBy { get; init; } = [];
    public long Version { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public static MediaItem From(MediaRow r, IReadOnlyList<MediaUse>? usedBy = null) => new()
    {
        Id = r.Id, Kind = r.Kind, Type = r.Type, Mime = r.Mime, FileName = r.FileName, Size = r.Size, Width = r.Width, Height = r.Height,
        Url = r.Url, Variants = r.WidthList.Select(w => new MediaVariant { Width = w, Url = MediaStore.Url(r.Hash, r.Ext, w) }).ToList(),
        SrcSet = r.SrcSet, Alt = r.Alt, Caption = r.Caption, UsedBy = usedBy ?? [], Version = r.Version, CreatedAt = r.CreatedAt, UpdatedAt = r.UpdatedAt,
    };
}

/// <summary>A media item as partner sites see it in the sync API: the file and its description, not who uses it.</summary>
public sealed class PublicMedia
{
    public long Id { get; init; }
    public string Kind { get; init; } = "";
    public string Type { get; init; } = "";
    public string Mime { get; init; } = "";
    public string FileName { get; init; } = "";
    public long Size { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    public string Url { get; init; } = "";
    public IReadOnlyList<MediaVariant> Variants { get; init; } = [];
    public string? SrcSet { get; init; }
    public string Alt { get; init; } = "";
    public string Caption { get; init; } = "";

    public static PublicMedia From(MediaRow r)
    {
        var m = MediaItem.From(r);
        return new()
        {
            Id = m.Id, Kind = m.Kind, Type = m.Type, Mime = m.Mime, FileName = m.FileName, Size = m.Size, Width = m.Width, Height = m.Height,
            Url = m.Url, Variants = m.Variants, SrcSet = m.SrcSet, Alt = m.Alt, Caption = m.Caption,
        };
    }
}

public static class MediaSql
{
    public const string Columns = "id, hash, kind, type, mime, ext, file_name, size, width, height, widths, alt, caption, version, created_at, updated_at";
}
