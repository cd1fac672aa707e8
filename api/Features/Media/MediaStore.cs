using System.Data;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cms.Api.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Features.Media;

/// <summary>
/// Cms:Media settings: where files live (default: a folder beside the database, data/cms-media for data/cms.db), which types are accepted and
/// how large they may be, the image limits and the widths of the resized copies.
/// </summary>
public sealed class MediaOptions
{
    public string Root { get; init; } = "media";
    public IReadOnlySet<string> Types { get; init; } = MediaType.All.Select(t => t.Type).ToHashSet();
    public long MaxImageBytes { get; init; } = 10L * 1024 * 1024;
    public long MaxAttachmentBytes { get; init; } = 50L * 1024 * 1024;
    /// <summary>Per type, overriding the two above: Cms:Media:MaxBytes:pdf = 104857600.</summary>
    public IReadOnlyDictionary<string, long> MaxBytes { get; init; } = new Dictionary<string, long>();
    public long MaxImagePixels { get; init; } = 50_000_000;
    public int MaxImageSide { get; init; } = 20_000;
    public IReadOnlyList<int> ImageWidths { get; init; } = [320, 640, 1280];
    public int ImageQuality { get; init; } = 85;
    public int MaxArchiveEntries { get; init; } = 10_000;
    public long MaxArchiveRatio { get; init; } = 100;
    public long MaxArchiveExpandedBytes { get; init; } = 1024L * 1024 * 1024;

    public long LimitFor(MediaType type) =>
        MaxBytes.TryGetValue(type.Type, out var n) ? n : type.Kind == MediaType.Image ? MaxImageBytes : MaxAttachmentBytes;

    /// <summary>The largest upload any accepted type allows: the request body may be this large (plus the form's own bytes).</summary>
    public long LargestUpload => MediaType.All.Where(t => Types.Contains(t.Type)).Select(LimitFor).DefaultIfEmpty(0).Max();

    /// <summary>Beside the database and named after it (data/cms.db → data/cms-media), so each database has its own files.</summary>
    /// <remarks>On PostgreSQL (no file) data/media under the current folder; several instances must share one folder (Cms:Media:Root on a shared volume).</remarks>
    public static string DefaultRoot(string dbFilePath) => dbFilePath.Length == 0
        ? Path.GetFullPath(Path.Combine("data", "media"))
        : Path.ChangeExtension(Path.GetFullPath(dbFilePath), null) + "-media";

    public static MediaOptions From(IConfiguration config, string dbFilePath)
    {
        var s = config.GetSection("Cms:Media");
        var d = new MediaOptions();
        var types = s["Types"] is { Length: > 0 } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => t.ToLowerInvariant()).ToHashSet()
            : d.Types;
        var unknown = types.FirstOrDefault(t => MediaType.ByType(t) is null);
        if (unknown is not null)
            throw new InvalidOperationException($"Cms:Media:Types names '{unknown}'; known types: {string.Join(", ", MediaType.All.Select(t => t.Type))}.");
        var root = s["Root"] is { Length: > 0 } r ? r : DefaultRoot(dbFilePath);
        return new MediaOptions
        {
            Root = Path.GetFullPath(root),
            Types = types,
            MaxImageBytes = s.GetValue("MaxImageBytes", d.MaxImageBytes),
            MaxAttachmentBytes = s.GetValue("MaxAttachmentBytes", d.MaxAttachmentBytes),
            MaxBytes = s.GetSection("MaxBytes").GetChildren().ToDictionary(c => c.Key.ToLowerInvariant(), c => long.Parse(c.Value!, System.Globalization.CultureInfo.InvariantCulture)),
            MaxImagePixels = s.GetValue("MaxImagePixels", d.MaxImagePixels),
            MaxImageSide = s.GetValue("MaxImageSide", d.MaxImageSide),
            ImageWidths = s["ImageWidths"] is { Length: > 0 } w
                ? w.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => int.Parse(x, System.Globalization.CultureInfo.InvariantCulture)).ToList()
                : d.ImageWidths,
            ImageQuality = s.GetValue("ImageQuality", d.ImageQuality),
        };
    }
}

/// <summary>
/// Files on disk and rows in the media table. A file is kept under the first 32 hex digits of its SHA-256
/// ({root}/{2 digits}/{hash}.{ext}, resized copies {hash}-{width}.{ext}), written beside its place and renamed over it,
/// so a reader never sees half a file; the row is written in one transaction with its change-log entry.
/// </summary>
public sealed partial class MediaStore(MediaOptions options)
{
    public MediaOptions Options { get; } = options;

    [GeneratedRegex(@"/media/(?<hash>[0-9a-f]{32})(?:-(?<width>[0-9]{1,5}))?\.(?<ext>[a-z0-9]{2,5})")]
    public static partial Regex UrlPattern();

    public static string Url(string hash, string ext, int? width = null) => width is { } w ? $"/media/{hash}-{w}.{ext}" : $"/media/{hash}.{ext}";

    public string PathOf(string hash, string ext, int? width = null) =>
        Path.Combine(Options.Root, hash[..2], width is { } w ? $"{hash}-{w}.{ext}" : $"{hash}.{ext}");

    /// <summary>Where an upload is written while it arrives: inside the root, so the final rename never crosses a disk.</summary>
    public string NewIncomingPath()
    {
        var dir = Path.Combine(Options.Root, ".incoming");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, Guid.NewGuid().ToString("N"));
    }

    public static string Hash(byte[] sha256) => Convert.ToHexStringLower(sha256)[..32];

    /// <summary>
    /// Turns the file at <paramref name="incoming"/> (its SHA-256 given) into a media item: the same bytes already in
    /// the library give that item back (Created false); otherwise the file is inspected, images re-encoded with their
    /// resized copies, and the row inserted. <paramref name="incoming"/> is gone afterwards either way.
    /// </summary>
    public async Task<(MediaRow Row, bool Created)> AddAsync(Db db, string incoming, byte[] sha256, string fileName, string alt, string caption,
        long? keyId, CancellationToken ct)
    {
        var hash = Hash(sha256);
        var written = new List<string>();
        try
        {
            await using var conn = await db.OpenAsync(ct);
            if (await FindAsync(conn, null, hash, ct) is { } existing)
                return (existing, false);

            var type = MediaInspector.Inspect(incoming, fileName, Options);
            type = MediaInspector.Refine(type, incoming);
            fileName = MediaInspector.CheckName(type, fileName);
            Directory.CreateDirectory(Path.GetDirectoryName(PathOf(hash, type.Ext))!);
            int? width = null, height = null;
            IReadOnlyList<int> widths = [];
            var target = PathOf(hash, type.Ext);
            if (type.Kind == MediaType.Image)
            {
                var staging = target + ".new";
                var copies = new Dictionary<int, string>();
                written.Add(staging);
                var image = ImageProcessor.Process(incoming, type, staging, w => { var p = PathOf(hash, type.Ext, w) + ".new"; copies[w] = p; written.Add(p); return p; }, Options);
                foreach (var (w, p) in copies)
                {
                    File.Move(p, PathOf(hash, type.Ext, w), overwrite: true);
                    written.Add(PathOf(hash, type.Ext, w));
                }
                File.Move(staging, target, overwrite: true);
                (width, height, widths) = (image.Width, image.Height, image.Widths);
            }
            else
                File.Move(incoming, target, overwrite: true);
            written.Add(target);

            await using var tx = await conn.BeginWriteAsync(ct);
            var now = UtcTime.Now();
            MediaRow row;
            try
            {
                row = await conn.QuerySingleAsync<MediaRow>(new CommandDefinition(
                    $"""
                    INSERT INTO media (hash, kind, type, mime, ext, file_name, size, width, height, widths, alt, caption, created_by, created_at, updated_at)
                    VALUES (@hash, @Kind, @Type, @Mime, @Ext, @fileName, @size, @width, @height, @widths, @alt, @caption, @keyId, @now, @now)
                    RETURNING {MediaSql.Columns}
                    """,
                    new
                    {
                        hash, type.Kind, type.Type, type.Mime, type.Ext, fileName, size = new FileInfo(target).Length, width, height,
                        widths = JsonSerializer.Serialize(widths), alt, caption, keyId = keyId is > 0 ? keyId : null, now,
                    }, tx, cancellationToken: ct));
            }
            catch (System.Data.Common.DbException e) when (DbErrors.IsUnique(e, "media", "hash"))
            {
                // the same file arrived twice at once: the other upload's row stands, and so do the files (same bytes)
                written.Clear();
                await tx.RollbackAsync(ct);
                return ((await FindAsync(conn, null, hash, ct))!, false);
            }
            await Changes.AppendAsync(conn, tx, Changes.Media, row.Id, ct: ct);
            await tx.CommitAsync(ct);
            written.Clear();
            return (row, true);
        }
        finally
        {
            // a refused or failed upload leaves nothing behind
            foreach (var path in written)
                File.Delete(path);
            File.Delete(incoming);
        }
    }

    /// <summary>The demo content's files go through the same door as uploads.</summary>
    public MediaRow Import(Db db, byte[] bytes, string fileName, string alt, string caption)
    {
        var incoming = NewIncomingPath();
        File.WriteAllBytes(incoming, bytes);
        return AddAsync(db, incoming, SHA256.HashData(bytes), fileName, alt, caption, null, CancellationToken.None).GetAwaiter().GetResult().Row;
    }

    public void DeleteFiles(MediaRow row)
    {
        foreach (var w in row.WidthList)
            File.Delete(PathOf(row.Hash, row.Ext, w));
        File.Delete(PathOf(row.Hash, row.Ext));
    }

    public static Task<MediaRow?> FindAsync(IDbConnection conn, IDbTransaction? tx, string hash, CancellationToken ct) =>
        conn.QuerySingleOrDefaultAsync<MediaRow>(new CommandDefinition($"SELECT {MediaSql.Columns} FROM media WHERE hash = @hash", new { hash }, tx, cancellationToken: ct));
}
