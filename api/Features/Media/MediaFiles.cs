using System.IO.Compression;
using System.Text;
using SkiaSharp;

namespace Cms.Api.Features.Media;

/// <summary>The kinds of file the library takes: what a type is called, its media type and extension, and its kind.</summary>
public sealed record MediaType(string Type, string Kind, string Mime, string Ext)
{
    public const string Image = "image";
    public const string Attachment = "attachment";

    public static readonly MediaType Jpeg = new("jpeg", Image, "image/jpeg", "jpg");
    public static readonly MediaType Png = new("png", Image, "image/png", "png");
    public static readonly MediaType Gif = new("gif", Image, "image/gif", "gif");
    public static readonly MediaType Webp = new("webp", Image, "image/webp", "webp");
    public static readonly MediaType Pdf = new("pdf", Attachment, "application/pdf", "pdf");
    public static readonly MediaType Doc = new("doc", Attachment, "application/msword", "doc");
    public static readonly MediaType Docx = new("docx", Attachment, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx");
    public static readonly MediaType Xls = new("xls", Attachment, "application/vnd.ms-excel", "xls");
    public static readonly MediaType Xlsx = new("xlsx", Attachment, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx");
    public static readonly MediaType Ppt = new("ppt", Attachment, "application/vnd.ms-powerpoint", "ppt");
    public static readonly MediaType Pptx = new("pptx", Attachment, "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx");
    public static readonly MediaType Zip = new("zip", Attachment, "application/zip", "zip");
    public static readonly MediaType Txt = new("txt", Attachment, "text/plain; charset=utf-8", "txt");

    public static readonly MediaType[] All = [Jpeg, Png, Gif, Webp, Pdf, Doc, Docx, Xls, Xlsx, Ppt, Pptx, Zip, Txt];

    public static MediaType? ByType(string type) => All.FirstOrDefault(t => t.Type == type);
}

/// <summary>Why an upload was refused: the status (400, 413, 415 or 422) and what to tell the uploader.</summary>
public sealed class MediaRefused(int status, string detail) : Exception(detail)
{
    public int Status { get; } = status;
}

/// <summary>
/// Decides what an uploaded file is from its bytes alone (never its name or declared Content-Type), and refuses what
/// could be served as something else: markup (SVG, HTML, XML), a file that is an image and also reads as HTML, images
/// whose pixel count would exhaust memory when decoded (checked from the header, before decoding), archives whose
/// declared contents expand far beyond their size.
/// </summary>
public static class MediaInspector
{
    private static readonly string[] MarkupSigns = ["<script", "<html", "<svg", "<iframe", "<body", "<!doctype", "<?xml", "<object", "<embed"];

    public static MediaType Inspect(string path, string fileName, MediaOptions options)
    {
        using var file = File.OpenRead(path);
        if (file.Length == 0)
            throw new MediaRefused(400, "The file is empty.");
        var head = new byte[Math.Min(file.Length, 4096)];
        file.ReadExactly(head);
        file.Position = 0;

        var type = Sniff(head, fileName) ?? SniffText(file)
            ?? throw new MediaRefused(415, LooksLikeMarkup(head)
                ? "SVG, HTML and XML files are not accepted: they can carry script. Upload a JPEG, PNG, GIF or WebP image instead."
                : $"The file's content is none of the accepted types ({string.Join(", ", options.Types)}); its name or declared type does not count.");
        if (!options.Types.Contains(type.Type))
            throw new MediaRefused(415, $"{type.Type.ToUpperInvariant()} files are not accepted here (accepted: {string.Join(", ", options.Types)}).");
        var limit = options.LimitFor(type);
        if (file.Length > limit)
            throw new MediaRefused(413, $"The file is {file.Length} bytes; a {type.Type.ToUpperInvariant()} file may be at most {limit} bytes.");

        if (type.Kind == MediaType.Image || type == MediaType.Txt || type == MediaType.Pdf)
        {
            // a JPEG whose comment holds a page of HTML is still a JPEG; it is refused all the same, as it was made to be
            // served as something else
            if (ContainsMarkup(file, type == MediaType.Txt))
                throw new MediaRefused(422, "The file also reads as HTML or SVG (a polyglot); it is not accepted.");
            file.Position = 0;
        }
        if (type == MediaType.Zip || type == MediaType.Docx || type == MediaType.Xlsx || type == MediaType.Pptx)
            CheckArchive(file, options);
        return type;
    }

    private static MediaType? Sniff(ReadOnlySpan<byte> b, string fileName)
    {
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
            return MediaType.Jpeg;
        if (b.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            return MediaType.Png;
        if (b.StartsWith("GIF87a"u8) || b.StartsWith("GIF89a"u8))
            return MediaType.Gif;
        if (b.Length >= 12 && b.StartsWith("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8))
            return MediaType.Webp;
        if (b.StartsWith("%PDF-"u8))
            return MediaType.Pdf;
        if (b.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
        {
            // an OLE compound file: Word, Excel and PowerPoint 97-2003 share it; the name says which of the three
            return Path.GetExtension(fileName).ToLowerInvariant() switch
            {
                ".doc" => MediaType.Doc,
                ".xls" => MediaType.Xls,
                ".ppt" => MediaType.Ppt,
                _ => throw new MediaRefused(415, "An OLE compound file is accepted as .doc, .xls or .ppt only."),
            };
        }
        if (b.StartsWith("PK\u0003\u0004"u8) || b.StartsWith("PK\u0005\u0006"u8))
            return MediaType.Zip;   // Office Open XML is told apart from a plain zip by its parts (Refine)
        return null;
    }

    /// <summary>Plain text: strict UTF-8 without control characters (tab and line ends aside) that does not open as markup.</summary>
    private static MediaType? SniffText(FileStream file)
    {
        if (file.Length > 16 * 1024 * 1024)
            return null;
        var bytes = new byte[file.Length];
        file.ReadExactly(bytes);
        file.Position = 0;
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        if (text.Any(c => c < 0x20 && c is not ('\t' or '\n' or '\r' or '\f')) || text.Contains('\u007f'))
            return null;
        var start = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return start.StartsWith('<') ? null : MediaType.Txt;
    }

    private static bool LooksLikeMarkup(byte[] head)
    {
        var text = Encoding.UTF8.GetString(head).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return text.StartsWith('<');
    }

    private static bool ContainsMarkup(FileStream file, bool wholeText)
    {
        // the markers are ASCII: Latin-1 maps each byte to one char, so a byte search needs no decoding
        var buffer = new byte[1 << 16];
        var carry = "";
        int n;
        while ((n = file.Read(buffer)) > 0)
        {
            var chunk = carry + Encoding.Latin1.GetString(buffer, 0, n);
            if (MarkupSigns.Any(s => chunk.Contains(s, StringComparison.OrdinalIgnoreCase)))
                return !wholeText || chunk.Contains("<script", StringComparison.OrdinalIgnoreCase) || chunk.Contains("<svg", StringComparison.OrdinalIgnoreCase) || chunk.Contains("<html", StringComparison.OrdinalIgnoreCase);
            carry = chunk[Math.Max(0, chunk.Length - 16)..];
        }
        return false;
    }

    private static void CheckArchive(FileStream file, MediaOptions options)
    {
        try
        {
            using var zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
            if (zip.Entries.Count > options.MaxArchiveEntries)
                throw new MediaRefused(422, $"The archive holds {zip.Entries.Count} entries; at most {options.MaxArchiveEntries} are accepted.");
            long expanded = 0;
            foreach (var e in zip.Entries)
            {
                expanded += e.Length;
                if (e.CompressedLength > 0 && e.Length / e.CompressedLength > options.MaxArchiveRatio && e.Length > 1024 * 1024)
                    throw new MediaRefused(422, $"The archive entry '{e.FullName}' expands {e.Length / e.CompressedLength} times (a decompression bomb); it is not accepted.");
                if (e.Name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) || e.Name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) || e.Name.EndsWith(".7z", StringComparison.OrdinalIgnoreCase))
                    throw new MediaRefused(422, $"The archive holds another archive ('{e.FullName}'); nested archives are not accepted.");
            }
            if (expanded > options.MaxArchiveExpandedBytes)
                throw new MediaRefused(422, $"The archive expands to {expanded} bytes; at most {options.MaxArchiveExpandedBytes} are accepted (a decompression bomb).");
        }
        catch (InvalidDataException)
        {
            throw new MediaRefused(415, "The file starts as a zip archive but cannot be read as one.");
        }
        finally
        {
            file.Position = 0;
        }
    }

    private static readonly Dictionary<string, string[]> Extensions = new(StringComparer.Ordinal)
    {
        ["jpeg"] = [".jpg", ".jpeg", ".jpe", ".jfif"],
        ["txt"] = [".txt", ".text"],
    };

    /// <summary>
    /// The name must not claim another type than the bytes are (a script named .jpg, a zip named .docx): such a file was
    /// made to be taken for something else. A name without an extension gets the type's own.
    /// </summary>
    public static string CheckName(MediaType type, string fileName)
    {
        var ext = Path.GetExtension(fileName).ToLowerInvariant();
        if (ext.Length == 0)
            return fileName + "." + type.Ext;
        var allowed = Extensions.TryGetValue(type.Type, out var list) ? list : ["." + type.Ext];
        if (!allowed.Contains(ext))
            throw new MediaRefused(415, $"The file's content is {type.Type.ToUpperInvariant()}, but its name ends {ext}: the name must match the content (expected {string.Join(" or ", allowed)}).");
        return fileName;
    }

    /// <summary>A zip is Word, Excel or PowerPoint when it holds that format's main part.</summary>
    public static MediaType Refine(MediaType type, string path)
    {
        if (type != MediaType.Zip)
            return type;
        using var zip = ZipFile.OpenRead(path);
        var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        if (!names.Contains("[Content_Types].xml"))
            return type;
        return names.Contains("word/document.xml") ? MediaType.Docx
            : names.Contains("xl/workbook.xml") ? MediaType.Xlsx
            : names.Contains("ppt/presentation.xml") ? MediaType.Pptx
            : type;
    }
}

/// <summary>An image as stored: re-encoded without its metadata (EXIF, GPS), turned upright, and resized copies.</summary>
public sealed record ProcessedImage(int Width, int Height, IReadOnlyList<int> Widths);

public static class ImageProcessor
{
    /// <summary>
    /// Reads the header for the size (a 50,000 × 50,000 image is refused before a pixel is decoded), decodes, applies
    /// the EXIF orientation, writes the upright image without metadata to <paramref name="target"/> and copies at the
    /// configured widths below its own beside it (<paramref name="copyPath"/> names them). GIFs are stored as uploaded
    /// (they carry no EXIF; re-encoding would lose animation) and get no copies.
    /// </summary>
    public static ProcessedImage Process(string source, MediaType type, string target, Func<int, string> copyPath, MediaOptions options)
    {
        using var stream = File.OpenRead(source);
        using var codec = SKCodec.Create(stream, out var result)
            ?? throw new MediaRefused(415, $"The file starts as a {type.Type.ToUpperInvariant()} image but cannot be read as one ({result}).");
        var (w, h) = (codec.Info.Width, codec.Info.Height);
        if (w <= 0 || h <= 0 || w > options.MaxImageSide || h > options.MaxImageSide || (long)w * h > options.MaxImagePixels)
            throw new MediaRefused(422, $"The image is {w} × {h} pixels; at most {options.MaxImageSide} on a side and {options.MaxImagePixels} pixels in all are accepted.");
        if (type == MediaType.Gif)
        {
            File.Copy(source, target, overwrite: true);
            return new ProcessedImage(w, h, []);
        }

        using var decoded = new SKBitmap(codec.Info.WithColorType(SKImageInfo.PlatformColorType).WithAlphaType(codec.Info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul));
        var status = codec.GetPixels(decoded.Info, decoded.GetPixels());
        if (status is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            throw new MediaRefused(415, $"The image cannot be decoded ({status}).");
        using var upright = Orient(decoded, codec.EncodedOrigin);
        Encode(upright, type, target, options);
        var widths = new List<int>();
        foreach (var width in options.ImageWidths.Where(x => x < upright.Width).Order())
        {
            var height = Math.Max(1, (int)Math.Round((double)upright.Height * width / upright.Width));
            using var copy = upright.Resize(new SKImageInfo(width, height, upright.ColorType, upright.AlphaType), new SKSamplingOptions(SKCubicResampler.Mitchell));
            if (copy is null)
                continue;
            Encode(copy, type, copyPath(width), options);
            widths.Add(width);
        }
        return new ProcessedImage(upright.Width, upright.Height, widths);
    }

    private static void Encode(SKBitmap bitmap, MediaType type, string path, MediaOptions options)
    {
        var format = type == MediaType.Png ? SKEncodedImageFormat.Png : type == MediaType.Webp ? SKEncodedImageFormat.Webp : SKEncodedImageFormat.Jpeg;
        using var data = bitmap.Encode(format, options.ImageQuality)
            ?? throw new MediaRefused(422, "The image could not be re-encoded.");
        using var file = File.Create(path);
        data.SaveTo(file);
    }

    /// <summary>The bitmap as it should be seen, whatever the camera's EXIF orientation said.</summary>
    private static SKBitmap Orient(SKBitmap source, SKEncodedOrigin origin)
    {
        if (origin == SKEncodedOrigin.TopLeft)
            return source.Copy();
        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var (w, h) = swap ? (source.Height, source.Width) : (source.Width, source.Height);
        var result = new SKBitmap(new SKImageInfo(w, h, source.ColorType, source.AlphaType));
        using var canvas = new SKCanvas(result);
        switch (origin)
        {
            case SKEncodedOrigin.TopRight: canvas.Scale(-1, 1, w / 2f, 0); break;
            case SKEncodedOrigin.BottomRight: canvas.RotateDegrees(180, w / 2f, h / 2f); break;
            case SKEncodedOrigin.BottomLeft: canvas.Scale(1, -1, 0, h / 2f); break;
            case SKEncodedOrigin.LeftTop: canvas.RotateDegrees(90); canvas.Scale(1, -1); break;
            case SKEncodedOrigin.RightTop: canvas.Translate(w, 0); canvas.RotateDegrees(90); break;
            case SKEncodedOrigin.RightBottom: canvas.Translate(w, h); canvas.RotateDegrees(90); canvas.Scale(-1, 1); break;
            case SKEncodedOrigin.LeftBottom: canvas.Translate(0, h); canvas.RotateDegrees(-90); break;
        }
        using var image = SKImage.FromBitmap(source);
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest));
        return result;
    }
}
