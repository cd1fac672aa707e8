using Cms.Api.Data;
using Dapper;

namespace Cms.Api.Features.Media;

public static class MediaQueries
{
    public static async Task<IReadOnlyList<MediaUse>> UsesAsync(Db db, long id, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<MediaUse>(new CommandDefinition(
            "SELECT entity, entity_id AS id FROM media_refs WHERE media_id = @id ORDER BY entity, entity_id LIMIT 100", new { id }, cancellationToken: ct))).ToList();
    }
}
