using System.Text.RegularExpressions;
using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Cms.Api.Features.Media;

public sealed class MediaFileRequest
{
    /// <summary>{hash}.{ext} or, for a resized copy of an image, {hash}-{width}.{ext}.</summary>
    public string File { get; set; } = "";
}

public sealed partial class GetMediaFile(Db db, MediaStore store) : Endpoint<MediaFileRequest, Results<PhysicalFileHttpResult, ProblemHttpResult>>
{
    public const string Csp = "default-src 'none'; sandbox; frame-ancestors 'self'";

    [GeneratedRegex(@"^(?<hash>[0-9a-f]{32})(?:-(?<width>[1-9][0-9]{0,4}))?\.(?<ext>[a-z0-9]{2,5})$")]
    private static partial Regex FileName();

    public override void Configure()
    {
        Get("/media/{file}");
        AllowAnonymous();
        Description(b => b.WithTags("Media").ClearDefaultProduces()
            .Produces(200, typeof(string), "image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf", "application/octet-stream")
            .Produces(206, typeof(string), "image/jpeg", "application/pdf", "application/octet-stream")
            .ProducesProblems(404));
        Summary(s =>
        {
            s.Summary = "媒体文件 / A media file (image, resized copy or attachment)";
            s.Description = "地址随内容变化,缓存一年。附件以原文件名下载(Content-Disposition: attachment; filename*=UTF-8'')。支持 HEAD 与 Range。" +
                " The address changes with the content, so it is cached for a year (immutable). Attachments download under their original" +
                " name (Content-Disposition: attachment; filename*=UTF-8''…). HEAD and Range requests work; X-Content-Type-Options: nosniff" +
                $" and Content-Security-Policy: {Csp}.";
        });
    }

    public override async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> ExecuteAsync(MediaFileRequest req, CancellationToken ct)
    {
        var m = FileName().Match(req.File);
        if (!m.Success)
            return Problems.NotFound("No such media file.");
        await using var conn = await db.OpenAsync(ct);
        var row = await MediaStore.FindAsync(conn, null, m.Groups["hash"].Value, ct);
        int? width = m.Groups["width"].Success ? int.Parse(m.Groups["width"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
        if (row is null || row.Ext != m.Groups["ext"].Value || (width is { } w && !row.WidthList.Contains(w)))
            return Problems.NotFound("No such media file.");
        var path = store.PathOf(row.Hash, row.Ext, width);
        if (!System.IO.File.Exists(path))
            return Problems.NotFound("The media file is missing from the store.");
        var headers = HttpContext.Response.Headers;
        headers.CacheControl = "public, max-age=31536000, immutable";
        return TypedResults.PhysicalFile(path, row.Mime,
            fileDownloadName: row.Kind == MediaType.Attachment ? row.FileName : null,
            lastModified: row.CreatedAt,
            entityTag: new EntityTagHeaderValue($"\"{row.Hash}{(width is null ? "" : "-" + width)}\""),
            enableRangeProcessing: true);
    }
}
