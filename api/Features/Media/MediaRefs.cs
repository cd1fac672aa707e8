using System.Data;
using AngleSharp.Dom;
using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;

namespace Cms.Api.Features.Media;

/// <summary>
/// Which content uses which media item. Every write of content appends to the change log in its transaction
/// (Changes.AppendAsync), and that is where the item's references are read again from what was just written: the
/// media addresses (/media/{hash}…) in its HTML and image fields. A media item with references cannot be deleted, and
/// a published article may not show a library image that has no alt text.
/// </summary>
public static class MediaRefs
{
    /// <summary>The text of an entity that can hold media addresses, per change-log entity name.</summary>
    private static readonly Dictionary<string, string> Sources = new(StringComparer.Ordinal)
    {
        [Changes.Article] = $"""
            SELECT body_html || ' ' || coalesce(cover_image_url, '') || ' '
                || coalesce((SELECT {Sql.Joined("url", "' '")} FROM attachments WHERE article_id = @id), '') AS text, status
            FROM articles WHERE id = @id
            """,
        [Changes.FocusItem] = "SELECT image_url AS text, NULL AS status FROM focus_items WHERE id = @id",
        [Changes.Partner] = "SELECT coalesce(logo_url, '') AS text, NULL AS status FROM partners WHERE id = @id",
        [Changes.LeadershipMessage] = "SELECT coalesce(photo_url, '') || ' ' || body_html AS text, NULL AS status FROM leadership_messages WHERE id = @id",
        [Changes.Settings] = "SELECT coalesce(party_gov_label_html, '') || ' ' || disclaimer_html AS text, NULL AS status FROM site_settings WHERE id = @id",
        [Changes.Category] = "SELECT coalesce(page_body_html, '') AS text, NULL AS status FROM categories WHERE id = @id",
    };

    public static async Task SyncAsync(IDbConnection conn, IDbTransaction tx, string entity, long id, bool deleted, CancellationToken ct)
    {
        if (!Sources.TryGetValue(entity, out var sql))
            return;
        var before = (await conn.QueryAsync<long>(new CommandDefinition(
            "DELETE FROM media_refs WHERE entity = @entity AND entity_id = @id RETURNING media_id", new { entity, id }, tx, cancellationToken: ct))).ToHashSet();
        var source = deleted ? default : await conn.QuerySingleOrDefaultAsync<(string? Text, string? Status)>(new CommandDefinition(sql, new { id }, tx, cancellationToken: ct));
        var hashes = Hashes(source.Text);
        var after = hashes.Count == 0 ? [] : (await conn.QueryAsync<long>(new CommandDefinition(
            $"INSERT INTO media_refs (media_id, entity, entity_id) SELECT id, @entity, @id FROM media WHERE hash {Sql.InList("@hashes")} RETURNING media_id",
            new { entity, id, hashes }, tx, cancellationToken: ct))).ToHashSet();
        // an item that came into use or went out of use here: partners following the sync API see it appear or go
        before.SymmetricExceptWith(after);
        foreach (var changed in before.Order())
            await Changes.AppendAsync(conn, tx, Changes.Media, changed, ct: ct);
        if (hashes.Count == 0)
            return;
        if (entity == Changes.Article && source.Status == "published")
        {
            var missing = await conn.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
                $"SELECT hash || '.' || ext FROM media WHERE hash {Sql.InList("@hashes")} AND kind = 'image' AND alt = '' ORDER BY id",
                new { hashes }, tx, cancellationToken: ct));
            if (missing is not null && HasImageWithoutAlt(source.Text!, missing))
                throw new ContentRuleException(409, "bodyHtml",
                    $"The image /media/{missing} has no alt text. Give it one in the media library (PUT /api/v1/admin/media/{{id}}) or in the img element before the article is published.");
        }
    }

    public static void Sync(IDbConnection conn, IDbTransaction tx, string entity, long id) =>
        SyncAsync(conn, tx, entity, id, false, CancellationToken.None).GetAwaiter().GetResult();

    public static List<string> Hashes(string? text) =>
        string.IsNullOrEmpty(text) ? [] : MediaStore.UrlPattern().Matches(text).Select(m => m.Groups["hash"].Value).Distinct().ToList();

    /// <summary>
    /// True when the library image is shown without alt text: as the cover (whose alt the article's own rules require),
    /// or as an img in the body whose alt attribute is empty or absent.
    /// </summary>
    private static bool HasImageWithoutAlt(string text, string file)
    {
        var parser = new AngleSharp.Html.Parser.HtmlParser();
        using var doc = parser.ParseDocument("<body>" + text);
        return doc.QuerySelectorAll("img").Any(img =>
            img.GetAttribute("src") is { } src && src.Contains("/media/" + file, StringComparison.Ordinal)
            && string.IsNullOrWhiteSpace(img.GetAttribute("alt")));
    }
}

/// <summary>
/// Library images in stored HTML get their size and resized copies: width, height, srcset and sizes from the library
/// (never from the writer: a srcset sent in is dropped, so it can only name this site's copies), and the library's alt
/// text where the element has none. Runs inside the sanitizer's pass (HtmlPolicy), looking items up in the database
/// the current request uses.
/// </summary>
public static class MediaHtml
{
    private static readonly AsyncLocal<Db?> CurrentDb = new();

    /// <summary>From here on in this request (or start-up step), library images are looked up in <paramref name="db"/>.</summary>
    public static void Use(Db db) => CurrentDb.Value = db;

    public static void Enrich(IElement img)
    {
        img.RemoveAttribute("srcset");
        img.RemoveAttribute("sizes");
        if (CurrentDb.Value is not { } db || img.GetAttribute("src") is not { } src)
            return;
        var m = MediaStore.UrlPattern().Match(src);
        if (!m.Success || m.Index != 0 || m.Groups["width"].Success)
            return;
        using var conn = db.Open();
        var row = conn.QuerySingleOrDefault<MediaRow>($"SELECT {MediaSql.Columns} FROM media WHERE hash = @hash", new { hash = m.Groups["hash"].Value });
        if (row is null || row.Kind != MediaType.Image || row.Width is null)
            return;
        img.SetAttribute("width", row.Width.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        img.SetAttribute("height", row.Height!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (row.WidthList.Count > 0)
        {
            img.SetAttribute("srcset", row.SrcSet);
            img.SetAttribute("sizes", $"(max-width: {row.Width}px) 100vw, {row.Width}px");
        }
        if (string.IsNullOrWhiteSpace(img.GetAttribute("alt")) && row.Alt.Length > 0)
            img.SetAttribute("alt", row.Alt);
    }
}
