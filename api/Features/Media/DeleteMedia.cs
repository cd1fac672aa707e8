using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Media;

public sealed class DeleteMedia(Db db, MediaStore store) : Endpoint<IdRequest, Results<NoContent, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/api/v1/admin/media/{id}");
        Roles(Role.AtLeastEditor);
        Description(b => b.WithTags("Admin: Media").ProducesProblems(401, 403, 404, 409, 412, 428));
        Summary(s =>
        {
            s.Summary = "删除媒体条目 / Delete a media item";
            s.Description = "需 If-Match。仍被文章、焦点图、合作伙伴或设置使用时返回 409(usedBy 列出使用处)。" +
                " Needs If-Match. 409 while an article, focus item, partner, setting, leadership message or column page uses it (GET shows usedBy).";
        });
    }

    public override async Task<Results<NoContent, ProblemHttpResult>> ExecuteAsync(IdRequest req, CancellationToken ct)
    {
        var (ifMatch, precondition) = IfMatch.Read(HttpContext);
        if (precondition is not null)
            return precondition;
        MediaRow? row;
        await using (var conn = await db.OpenAsync(ct))
        {
            await using var tx = await conn.BeginWriteAsync(ct);
            if (await Versioned.CheckAsync(conn, tx, "media", req.Id, ifMatch!, ct) is { } failed)
                return failed;
            var use = await conn.QueryFirstOrDefaultAsync<(string Entity, long Id)?>(new CommandDefinition(
                "SELECT entity, entity_id FROM media_refs WHERE media_id = @Id ORDER BY entity, entity_id LIMIT 1", req, tx, cancellationToken: ct));
            if (use is { } u)
                return Problems.Conflict("id", $"The item is in use ({u.Entity} {u.Id}, see usedBy); remove it there first.");
            row = await conn.QuerySingleAsync<MediaRow>(new CommandDefinition($"DELETE FROM media WHERE id = @Id RETURNING {MediaSql.Columns}", req, tx, cancellationToken: ct));
            await Changes.AppendAsync(conn, tx, Changes.Media, req.Id, deleted: true, ct);
            await tx.CommitAsync(ct);
        }
        store.DeleteFiles(row);
        return TypedResults.NoContent();
    }
}
