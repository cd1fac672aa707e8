using Cms.Api.Data;
using Cms.Api.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Media;

public sealed class GetMedia(Db db) : Endpoint<IdRequest, Results<Ok<MediaItem>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/api/v1/admin/media/{id}");
        Roles(Role.AtLeastAuthor);
        Description(b => b.WithTags("Admin: Media").ProducesProblems(401, 403, 404));
        Summary(s => s.Summary = "一个媒体条目及其使用处 / One media item, where it is used, and its ETag");
    }

    public override async Task<Results<Ok<MediaItem>, ProblemHttpResult>> ExecuteAsync(IdRequest req, CancellationToken ct) =>
        await Editable.GetAsync<MediaRow>(db, HttpContext, $"SELECT {MediaSql.Columns} FROM media WHERE id = @id", req.Id, ct) is { } row
            ? TypedResults.Ok(MediaItem.From(row, await MediaQueries.UsesAsync(db, row.Id, ct)))
            : Problems.NotFound();
}
