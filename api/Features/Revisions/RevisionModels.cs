using System.Text.Json;
using System.Text.Json.Nodes;
using Cms.Api.Data;
using Cms.Api.Features.Articles;
using Cms.Api.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Revisions;

/// <summary>One saved state of an item.</summary>
public class RevisionInfo
{
    public long Id { get; init; }
    /// <summary>article, leadershipMessage, category or settings.</summary>
    public string Entity { get; init; } = "";
    public long EntityId { get; init; }
    /// <summary>The item's version this save made (its ETag then).</summary>
    public long Version { get; init; }
    public DateTimeOffset At { get; init; }
    public long? KeyId { get; init; }
    public string? KeyName { get; init; }
}

/// <summary>A revision with its content: the fields as PUT takes them.</summary>
public sealed class RevisionDetail : RevisionInfo
{
    public JsonObject Content { get; init; } = [];
}

public sealed class RevisionRow
{
    public long Id { get; init; }
    public string Entity { get; init; } = "";
    public long EntityId { get; init; }
    public long Version { get; init; }
    public DateTimeOffset At { get; init; }
    public long? KeyId { get; init; }
    public string? KeyName { get; init; }
    public string Content { get; init; } = "";

    public const string Columns = "id, entity, entity_id, version, at, key_id, key_name, content";

    public RevisionInfo Info() => new() { Id = Id, Entity = Entity, EntityId = EntityId, Version = Version, At = At, KeyId = KeyId, KeyName = KeyName };

    public RevisionDetail Detail() => new()
    {
        Id = Id, Entity = Entity, EntityId = EntityId, Version = Version, At = At, KeyId = KeyId, KeyName = KeyName,
        Content = JsonNode.Parse(Content)!.AsObject(),
    };
}

/// <summary>A field whose value differs between the two revisions.</summary>
public sealed class FieldChange
{
    public string Name { get; init; } = "";
    public JsonNode? Before { get; init; }
    public JsonNode? After { get; init; }
}

/// <summary>A line of the body's text: unchanged, deleted (only in from) or inserted (only in to).</summary>
public sealed class TextLine
{
    public string Change { get; init; } = "";
    public string Text { get; init; } = "";
}

public sealed class RevisionDiff
{
    public RevisionInfo From { get; init; } = new();
    public RevisionInfo To { get; init; } = new();
    public IReadOnlyList<FieldChange> Fields { get; init; } = [];
    /// <summary>The text of the body (bodyHtml, pageBodyHtml or disclaimerHtml), a line per paragraph, compared line by line.</summary>
    public IReadOnlyList<TextLine> BodyText { get; init; } = [];
}

/// <summary>The route values of the revision endpoints; settings have no id (it is always 1).</summary>
public sealed class RevisionRequest
{
    public long Id { get; set; } = 1;
    public long RevisionId { get; set; }
}

/// <summary>What every revision endpoint checks first: the kind from the address, the caller's role, the item's existence and (articles) its author.</summary>
public static class RevisionAccess
{
    public static async Task<(RevisionKind? Kind, ProblemHttpResult? Problem)> CheckAsync(Db db, HttpContext http, long id, CancellationToken ct)
    {
        var kind = Revisions.ForPath(http.Request.Path);
        if (kind is null)
            return (null, Problems.NotFound());
        if (!kind.Roles.Any(http.User.IsInRole))
            return (null, Problems.Forbidden($"Revisions of {kind.Segment} need the role {kind.Roles[0]} or above."));
        await using var conn = await db.OpenAsync(ct);
        if (kind.Entity == Changes.Article)
        {
            var row = await ArticleSql.ByIdAsync(conn, id, ct);
            if (row is null)
                return (null, Problems.NotFound());
            if (ArticleAccess.Check(http.User, row, change: false) is { } denied)
                return (null, denied);
        }
        else if (await kind.Read(conn, null, id, ct) is null)
            return (null, Problems.NotFound());
        return (kind, null);
    }

    public static async Task<RevisionRow?> FindAsync(Db db, RevisionKind kind, long id, long revisionId, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<RevisionRow>(new CommandDefinition(
            $"SELECT {RevisionRow.Columns} FROM revisions WHERE id = @revisionId AND entity = @Entity AND entity_id = @id",
            new { revisionId, kind.Entity, id }, cancellationToken: ct));
    }

    public static string[] Routes(string suffix) =>
    [
        $"/api/v1/admin/articles/{{id}}/revisions{suffix}",
        $"/api/v1/admin/leadership-messages/{{id}}/revisions{suffix}",
        $"/api/v1/admin/categories/{{id}}/revisions{suffix}",
        $"/api/v1/admin/settings/revisions{suffix}",
    ];

    public const string Who =
        "文章:作者(仅自己的)及以上;局长致辞与栏目:编辑及以上;站点设置:管理员。 Articles: authors (their own) and up; leadership messages and columns: editors and up; settings: admins.";
}
