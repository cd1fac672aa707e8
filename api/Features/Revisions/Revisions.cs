using System.Data;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cms.Api.Data;
using Cms.Api.Features.Articles;
using Cms.Api.Features.Categories;
using Cms.Api.Features.Leadership;
using Cms.Api.Features.Site;
using Cms.Api.Http;
using Dapper;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Revisions;

/// <summary>
/// One kind of content with revisions: where its routes live, who may see and restore them, how its current fields
/// are read (as a PUT takes them) and how a revision is written back (through the same PUT code, If-Match included).
/// </summary>
public sealed class RevisionKind
{
    public required string Segment { get; init; }
    public required string Entity { get; init; }
    public required string[] Roles { get; init; }
    public required Type Input { get; init; }
    /// <summary>The fields as the admin GET shows them, made to fit the input (null when the item does not exist).</summary>
    public required Func<IDbConnection, IDbTransaction?, long, CancellationToken, Task<JsonObject?>> Read { get; init; }
    public required Func<Db, HttpContext, long, JsonObject, CancellationToken, Task<IResult>> Restore { get; init; }
    /// <summary>The HTML field whose text the diff compares line by line.</summary>
    public required string Body { get; init; }
}

/// <summary>
/// Revisions are written where every content write is logged (Changes.AppendAsync), in the writer's transaction: the
/// fields after the write, who made it (the request's key) and the version. A write that changes no field (publish,
/// take offline, make current) adds none. Cms:Revisions:Keep (default 100) are kept per item; 0 keeps all.
/// </summary>
public static partial class Revisions
{
    private static readonly AsyncLocal<(long Id, string Name)?> CurrentActor = new();
    private static readonly AsyncLocal<int?> CurrentKeep = new();

    /// <summary>The key of the request in progress: set once authentication has run.</summary>
    public static void Actor(long id, string name) => CurrentActor.Value = (id, name);

    /// <summary>How many revisions per item this request's site keeps (Cms:Revisions:Keep; 0 keeps all).</summary>
    public static void UseKeep(int keep) => CurrentKeep.Value = keep;

    private static int Keep => CurrentKeep.Value ?? 100;

    public static readonly RevisionKind[] Kinds =
    [
        new()
        {
            Segment = "articles", Entity = Changes.Article, Roles = Role.AtLeastAuthor, Input = typeof(UpdateArticleRequest), Body = "bodyHtml",
            Read = async (conn, tx, id, ct) =>
            {
                var row = await ArticleSql.ByIdAsync(conn, id, ct, tx);
                if (row is null)
                    return null;
                var current = await ArticleSql.AdminResponseAsync(conn, row, ct, tx);
                var fields = Fields(current, typeof(UpdateArticleRequest), f =>
                {
                    f["categoryId"] = current.Category.Id;
                    f["extraCategoryIds"] = new JsonArray(current.ExtraCategories.Select(c => (JsonNode?)c.Id).ToArray());
                });
                return fields;
            },
            Restore = async (db, http, id, content, ct) =>
            {
                var (req, problem) = await Validated<UpdateArticleRequest>(content, new UpdateArticleValidator(), ct);
                return (IResult?)problem ?? (await UpdateArticle.SaveAsync(db, http, id, req!, ct)).Result;
            },
        },
        new()
        {
            Segment = "leadership-messages", Entity = Changes.LeadershipMessage, Roles = Role.AtLeastEditor, Input = typeof(UpdateLeadershipMessageRequest), Body = "bodyHtml",
            Read = async (conn, tx, id, ct) =>
                await conn.QuerySingleOrDefaultAsync<LeadershipRow>(new CommandDefinition(
                    $"SELECT {LeadershipSql.Columns} FROM leadership_messages WHERE id = @id", new { id }, tx, cancellationToken: ct)) is { } row
                    ? Fields(LeadershipMessage.From(row), typeof(UpdateLeadershipMessageRequest)) : null,
            Restore = async (db, http, id, content, ct) =>
            {
                var (req, problem) = await Validated<UpdateLeadershipMessageRequest>(content, new UpdateLeadershipMessageValidator(), ct);
                return (IResult?)problem ?? (await UpdateLeadershipMessage.SaveAsync(db, http, id, req!, ct)).Result;
            },
        },
        new()
        {
            Segment = "categories", Entity = Changes.Category, Roles = Role.AtLeastEditor, Input = typeof(UpdateCategoryRequest), Body = "pageBodyHtml",
            Read = async (conn, tx, id, ct) =>
                await conn.QuerySingleOrDefaultAsync<CategoryRow>(new CommandDefinition(
                    $"SELECT {CategorySql.Columns} FROM categories WHERE id = @id", new { id }, tx, cancellationToken: ct)) is { } row
                    ? Fields(AdminCategory.From(row), typeof(UpdateCategoryRequest)) : null,
            Restore = async (db, http, id, content, ct) =>
            {
                var (req, problem) = await Validated<UpdateCategoryRequest>(content, new UpdateCategoryValidator(), ct);
                return (IResult?)problem ?? (await UpdateCategory.SaveAsync(db, http, id, req!, ct)).Result;
            },
        },
        new()
        {
            Segment = "settings", Entity = Changes.Settings, Roles = Role.AdminOnly, Input = typeof(UpdateSettingsRequest), Body = "disclaimerHtml",
            Read = async (conn, tx, _, ct) =>
                await conn.QuerySingleOrDefaultAsync<SettingsRow>(new CommandDefinition(SettingsSql.Select, transaction: tx, cancellationToken: ct)) is { } row
                    ? Fields(row, typeof(UpdateSettingsRequest)) : null,
            Restore = async (db, http, _, content, ct) =>
            {
                var (req, problem) = await Validated<UpdateSettingsRequest>(content, new UpdateSettingsValidator(), ct);
                return (IResult?)problem ?? (await UpdateSettings.SaveAsync(db, http, req!, ct)).Result;
            },
        },
    ];

    public static RevisionKind? ForEntity(string entity) => Kinds.FirstOrDefault(k => k.Entity == entity);

    public static RevisionKind? ForPath(PathString path)
    {
        var segments = (path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length > 3 ? Kinds.FirstOrDefault(k => k.Segment == segments[3]) : null;
    }

    /// <summary>Called for every logged content write, in its transaction.</summary>
    public static async Task CaptureAsync(IDbConnection conn, IDbTransaction tx, string entity, long id, CancellationToken ct)
    {
        if (ForEntity(entity) is not { } kind || await kind.Read(conn, tx, id, ct) is not { } fields)
            return;
        var content = fields.ToJsonString(Json.Options);
        var last = await conn.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
            "SELECT content FROM revisions WHERE entity = @entity AND entity_id = @id ORDER BY id DESC LIMIT 1", new { entity, id }, tx, cancellationToken: ct));
        if (last == content)
            return;
        var version = await conn.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT version FROM {Table(entity)} WHERE id = @id", new { id }, tx, cancellationToken: ct));
        var actor = CurrentActor.Value;
        await conn.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO revisions (entity, entity_id, version, at, key_id, key_name, content)
            VALUES (@entity, @id, @version, @at, @keyId, @keyName, @content)
            """,
            new { entity, id, version, at = UtcTime.Now(), keyId = actor?.Id, keyName = actor?.Name, content }, tx, cancellationToken: ct));
        // what was approved is not what is there now: an article under review goes back to draft
        if (entity == Changes.Article && last is not null)
            await Reviews.Review.ResetAsync(conn, tx, id, ct);
        if (Keep > 0)
            await conn.ExecuteAsync(new CommandDefinition(
                """
                DELETE FROM revisions WHERE entity = @entity AND entity_id = @id
                AND id < (SELECT min(id) FROM (SELECT id FROM revisions WHERE entity = @entity AND entity_id = @id ORDER BY id DESC LIMIT @Keep) AS kept)
                """, new { entity, id, Keep }, tx, cancellationToken: ct));
    }

    public static async Task ForgetAsync(IDbConnection conn, IDbTransaction tx, string entity, long id, CancellationToken ct)
    {
        if (ForEntity(entity) is not null)
            await conn.ExecuteAsync(new CommandDefinition("DELETE FROM revisions WHERE entity = @entity AND entity_id = @id", new { entity, id }, tx, cancellationToken: ct));
    }

    private static string Table(string entity) => entity switch
    {
        Changes.Article => "articles",
        Changes.LeadershipMessage => "leadership_messages",
        Changes.Category => "categories",
        _ => "site_settings",
    };

    /// <summary>The representation's members that the input type takes, as MergePatch reads them.</summary>
    private static JsonObject Fields(object current, Type input, Action<JsonObject>? adapt = null)
    {
        var target = JsonSerializer.SerializeToNode(current, current.GetType(), Json.Options)!.AsObject();
        adapt?.Invoke(target);
        var writable = input.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (var name in target.Select(kv => kv.Key).Where(k => !writable.Contains(k)).ToList())
            target.Remove(name);
        return target;
    }

    private static async Task<(T? Input, ProblemHttpResult? Problem)> Validated<T>(JsonObject content, IValidator<T> validator, CancellationToken ct) where T : class
    {
        T? input;
        try
        {
            input = content.Deserialize<T>(Json.Options);
        }
        catch (JsonException e)
        {
            return (null, Problems.Make(409, "Conflict", $"The revision no longer fits the current rules: {e.Message}", "revisionId"));
        }
        var result = await validator.ValidateAsync(input!, ct);
        return result.IsValid ? (input, null)
            : (null, Problems.Make(409, "Conflict", "The revision no longer passes the current rules: " + string.Join(" ", result.Errors.Select(e => e.ErrorMessage)), "revisionId"));
    }

    // ---- diffs

    [GeneratedRegex(@"</(p|h[1-6]|li|tr|blockquote|pre|div|figcaption|caption|table|ul|ol)>|<br\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockEnd();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tag();

    /// <summary>The text of HTML, a line per paragraph (list item, heading, table row…): what a diff of the body compares.</summary>
    public static string Text(string? html)
    {
        if (string.IsNullOrEmpty(html))
            return "";
        var text = Tag().Replace(BlockEnd().Replace(html, "\n"), "");
        var lines = System.Net.WebUtility.HtmlDecode(text).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0);
        return string.Join("\n", lines);
    }
}
