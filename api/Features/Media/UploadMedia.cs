using System.Security.Cryptography;
using System.Text;
using Cms.Api.Data;
using Cms.Api.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Cms.Api.Features.Media;

/// <summary>The form fields of an upload, for the API description (Swagger UI shows a file picker for file).</summary>
public sealed class UploadMediaForm
{
    /// <summary>The image or attachment.</summary>
    public IFormFile File { get; set; } = null!;
    /// <summary>Alternative text of an image (needed before a published article shows it).</summary>
    public string? Alt { get; set; }
    public string? Caption { get; set; }
}

/// <summary>Marks an endpoint whose body is a multipart form described by Form (OpenApiFilter writes it).</summary>
public sealed record MultipartBody(Type Form);

public sealed class UploadMedia(Db db, MediaStore store) : EndpointWithoutRequest<Results<Created<MediaItem>, Ok<MediaItem>, ProblemHttpResult>>
{
    private const int MaxTextField = 1000;

    public override void Configure()
    {
        Post("/api/v1/admin/media");
        Roles(Role.AtLeastAuthor);
        // the form is read here as it arrives (MultipartReader), not bound by the framework: no AllowFileUploads, whose 415 for
        // other bodies would also answer callers without a key before authentication does
        Description(b => b.WithTags("Admin: Media").WithMetadata(new MultipartBody(typeof(UploadMediaForm)))
            .ClearDefaultProduces(200).Produces<MediaItem>(200).ProducesProblems(400, 401, 403, 413, 415, 422));
        Summary(s =>
        {
            s.Summary = "上传图片或附件 / Upload an image or attachment";
            s.Description =
                "multipart/form-data:file(必填)、alt、caption。类型按文件内容判断(不看文件名和 Content-Type):图片 JPEG、PNG、GIF、WebP;" +
                "附件 PDF、DOC/DOCX、XLS/XLSX、PPT/PPTX、ZIP、TXT。不接受 SVG、HTML。图片去除 EXIF/GPS 并生成多种宽度。同一文件再次上传返回已有条目(200)。" +
                " multipart/form-data with file (required), alt and caption. The type is decided by the file's bytes, never its name or" +
                " Content-Type: images JPEG, PNG, GIF, WebP; attachments PDF, DOC/DOCX, XLS/XLSX, PPT/PPTX, ZIP, TXT. SVG and HTML are refused (415)," +
                " files above the type's size limit are 413, images of too many pixels and archives that expand too far are 422." +
                " Images are stored re-encoded without EXIF/GPS, with resized copies for srcset. The same file uploaded again answers 200 with" +
                " the item already stored; a new one 201. curl: curl -H 'X-Api-Key: …' -F 'file=@照片.jpg' -F 'alt=…' …/api/v1/admin/media";
        });
    }

    public override async Task<Results<Created<MediaItem>, Ok<MediaItem>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(HttpContext.Request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return Problems.Make(415, "Unsupported Media Type", "Send the file as multipart/form-data with a part named file (curl -F 'file=@name.jpg').");
        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
            return Problems.BadRequest("body", "The multipart body has no boundary.");

        var reader = new MultipartReader(boundary, HttpContext.Request.Body) { BodyLengthLimit = null };
        string? incoming = null, fileName = null, alt = null, caption = null;
        byte[]? sha = null;
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var cd) || !cd.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(HeaderUtilities.RemoveQuotes(cd.Name).Value))
                    return Problems.BadRequest("body", "Every part of the form needs Content-Disposition: form-data with a name.");
                var name = HeaderUtilities.RemoveQuotes(cd.Name).Value;
                switch (name)
                {
                    case "file":
                        if (incoming is not null)
                            return Problems.BadRequest("file", "Upload one file per request.");
                        fileName = cd.FileNameStar.HasValue ? cd.FileNameStar.Value : HeaderUtilities.RemoveQuotes(cd.FileName).Value;
                        if (FileNameProblem(fileName) is { } bad)
                            return Problems.BadRequest("file", bad);
                        incoming = store.NewIncomingPath();
                        (sha, var tooLarge) = await CopyAsync(section.Body, incoming, store.Options.LargestUpload, ct);
                        if (tooLarge)
                            return Problems.Make(413, "Content Too Large", $"The file is larger than {store.Options.LargestUpload} bytes, the most any accepted type may be.", "file");
                        break;
                    case "alt" or "caption":
                        var (text, problem) = await ReadTextAsync(section.Body, name, ct);
                        if (problem is not null)
                            return problem;
                        if (name == "alt") alt = text; else caption = text;
                        break;
                    default:
                        return Problems.BadRequest(name ?? "body", $"Unknown form field '{name}'; the fields are file, alt and caption.");
                }
            }
            if (incoming is null || sha is null)
                return Problems.BadRequest("file", "The form has no part named file.");

            MediaRow row;
            bool created;
            try
            {
                (row, created) = await store.AddAsync(db, incoming, sha, fileName!, alt ?? "", caption ?? "", User.KeyId(), ct);
            }
            catch (MediaRefused refused)
            {
                return Problems.Make(refused.Status, refused.Status switch
                {
                    413 => "Content Too Large",
                    415 => "Unsupported Media Type",
                    422 => "Unprocessable Content",
                    _ => "Bad Request",
                }, refused.Message, "file");
            }
            incoming = null;
            HttpContext.Response.Headers.ETag = IfMatch.ETag(row.Version);
            var item = MediaItem.From(row, await MediaQueries.UsesAsync(db, row.Id, ct));
            return created ? TypedResults.Created($"/api/v1/admin/media/{row.Id}", item) : TypedResults.Ok(item);
        }
        finally
        {
            if (incoming is not null)
                File.Delete(incoming);
        }
    }

    /// <summary>The name is shown and offered as the download name; it may not carry a path or control characters.</summary>
    public static string? FileNameProblem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return "The file part needs a file name (Content-Disposition: form-data; name=\"file\"; filename=\"…\").";
        if (name.Length > 200)
            return "The file name is longer than 200 characters.";
        if (name.Contains('/') || name.Contains('\\') || name is "." or ".." || name.StartsWith("..", StringComparison.Ordinal))
            return "The file name may not contain a path (/, \\ or ..).";
        if (name.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029' || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\uFEFF'))
            return "The file name may not contain control or text-direction characters.";
        return null;
    }

    private static async Task<(byte[] Sha, bool TooLarge)> CopyAsync(Stream body, string path, long max, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        var buffer = new byte[81920];
        long total = 0;
        int n;
        while ((n = await body.ReadAsync(buffer, ct)) > 0)
        {
            total += n;
            if (total > max)
                return ([], true);
            hash.AppendData(buffer, 0, n);
            await file.WriteAsync(buffer.AsMemory(0, n), ct);
        }
        return (hash.GetHashAndReset(), false);
    }

    private static async Task<(string? Text, ProblemHttpResult? Problem)> ReadTextAsync(Stream body, string name, CancellationToken ct)
    {
        var buffer = new byte[MaxTextField * 4 + 1];
        var total = 0;
        int n;
        while (total < buffer.Length && (n = await body.ReadAsync(buffer.AsMemory(total), ct)) > 0)
            total += n;
        if (total == buffer.Length)
            return (null, Problems.BadRequest(name, $"At most {MaxTextField} characters."));
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(buffer, 0, total).Trim();
        }
        catch (DecoderFallbackException)
        {
            return (null, Problems.BadRequest(name, "Not valid UTF-8."));
        }
        if (text.Length > MaxTextField)
            return (null, Problems.BadRequest(name, $"At most {MaxTextField} characters."));
        if (text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
            return (null, Problems.BadRequest(name, "Control characters are not allowed."));
        return (text, null);
    }
}
