using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Media;

public sealed class ListMediaRequest : IPaged
{
    /// <summary>image or attachment.</summary>
    public string? Kind { get; set; }
    /// <summary>Part of the file name, alt text or caption.</summary>
    public string? Q { get; set; }
    /// <summary>Only items no content uses (true) or only used ones (false).</summary>
    public bool? Unused { get; set; }
    public int Page { get; set; } = 1;
    public int PageSize { get; set; } = 20;
}

public sealed class ListMediaValidator : Validator<ListMediaRequest>
{
    public ListMediaValidator()
    {
        this.AddPagingRules();
        RuleFor(x => x.Kind).Must(k => k is null or MediaType.Image or MediaType.Attachment).WithMessage("Kind is image or attachment.");
        RuleFor(x => x.Q).MaximumLength(100);
    }
}

public sealed class ListMedia(Db db) : Endpoint<ListMediaRequest, Ok<Paged<MediaItem>>>
{
    public override void Configure()
    {
        Get("/api/v1/admin/media");
        Roles(Role.AtLeastAuthor);
        Description(b => b.WithTags("Admin: Media").ProducesProblems(400, 401, 403));
        Summary(s => s.Summary = "媒体库,最新在前 / The media library, newest first");
    }

    public override async Task<Ok<Paged<MediaItem>>> ExecuteAsync(ListMediaRequest req, CancellationToken ct)
    {
        var where = new List<string>();
        if (req.Kind is not null)
            where.Add("kind = @Kind");
        if (!string.IsNullOrWhiteSpace(req.Q))
            where.Add($"({Sql.Holds("file_name", "@Q")} OR {Sql.Holds("alt", "@Q")} OR {Sql.Holds("caption", "@Q")})");
        if (req.Unused is { } unused)
            where.Add((unused ? "NOT " : "") + "EXISTS (SELECT 1 FROM media_refs r WHERE r.media_id = media.id)");
        var filter = where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "";
        await using var conn = await db.OpenAsync(ct);
        var args = new { req.Kind, Q = req.Q?.Trim(), limit = req.PageSize, offset = req.Offset() };
        var total = await conn.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM media {filter}", args, cancellationToken: ct));
        var rows = (await conn.QueryAsync<MediaRow>(new CommandDefinition(
            $"SELECT {MediaSql.Columns} FROM media {filter} ORDER BY id DESC LIMIT @limit OFFSET @offset", args, cancellationToken: ct))).ToList();
        var ids = rows.Select(r => r.Id).ToArray();
        var uses = (await conn.QueryAsync<(long MediaId, string Entity, long Id)>(new CommandDefinition(
            $"SELECT media_id, entity, entity_id FROM media_refs WHERE media_id {Sql.InList("@ids")} ORDER BY entity, entity_id", new { ids }, cancellationToken: ct)))
            .ToLookup(u => u.MediaId, u => new MediaUse { Entity = u.Entity, Id = u.Id });
        return TypedResults.Ok(Paged<MediaItem>.Of(rows.Select(r => MediaItem.From(r, uses[r.Id].Take(100).ToList())).ToList(), req.Page, req.PageSize, total));
    }
}
