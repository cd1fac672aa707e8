using Cms.Api.Data;
using Cms.Api.Http;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Media;

public sealed class UpdateMediaRequest
{
    public long Id { get; set; }
    /// <summary>Alternative text: what the image shows, for readers who cannot see it.</summary>
    public string Alt { get; set; } = "";
    public string Caption { get; set; } = "";
    /// <summary>The name shown and offered for download.</summary>
    public string? FileName { get; set; }
}

public sealed class UpdateMediaValidator : Validator<UpdateMediaRequest>
{
    public UpdateMediaValidator()
    {
        RuleFor(x => x.Alt).NotNull().Line(300);
        RuleFor(x => x.Caption).NotNull().MaximumLength(1000);
        RuleFor(x => x.FileName).Must(n => UploadMedia.FileNameProblem(n) is null)
            .WithMessage(x => UploadMedia.FileNameProblem(x.FileName) ?? "").When(x => x.FileName is not null);
    }
}

public sealed class UpdateMedia(Db db) : Endpoint<UpdateMediaRequest, Results<Ok<MediaItem>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Put("/api/v1/admin/media/{id}");
        Roles(Role.AtLeastAuthor);
        Description(b => b.WithTags("Admin: Media").ProducesProblems(400, 401, 403, 404, 412, 428));
        Summary(s =>
        {
            s.Summary = "修改替代文字、说明或显示文件名 / Change an item's alt text, caption or file name";
            s.Description = "需 If-Match。文件本身不可更改:新文件请重新上传。Needs If-Match. The file itself never changes: upload a new one instead.";
            s.ExampleRequest = new UpdateMediaRequest { Alt = "2021中国城市投资促进论坛会场", Caption = "论坛现场", FileName = "论坛现场.jpg" };
        });
    }

    public override async Task<Results<Ok<MediaItem>, ProblemHttpResult>> ExecuteAsync(UpdateMediaRequest req, CancellationToken ct)
    {
        var (row, problem) = await Editable.UpdateAsync<MediaRow>(db, HttpContext, "media", req.Id,
            $"""
            UPDATE media SET alt = @Alt, caption = @Caption, file_name = coalesce(@FileName, file_name), version = version + 1, updated_at = @now
            WHERE id = @id RETURNING {MediaSql.Columns}
            """, new { req.Alt, req.Caption, req.FileName }, Changes.Media, ct);
        return problem ?? (Results<Ok<MediaItem>, ProblemHttpResult>)TypedResults.Ok(MediaItem.From(row!, await MediaQueries.UsesAsync(db, row!.Id, ct)));
    }
}
