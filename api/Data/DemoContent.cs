using System.Reflection;
using System.Text.Json.Nodes;
using Cms.Api.Features.Media;
using Cms.Api.Http;
using Dapper;

namespace Cms.Api.Data;

/// <summary>Loads the embedded demo content into a database that has no content yet, in one transaction.</summary>
public static class DemoContent
{
    private const string HasContent = "SELECT (SELECT count(*) FROM categories) + (SELECT count(*) FROM articles) + (SELECT count(*) FROM site_settings)";

    /// <param name="media">Where the demo's images and attachments are uploaded to; by default the media folder beside the database.</param>
    public static bool LoadIfEmpty(Db db, MediaStore? media = null)
    {
        using var conn = db.Open();
        if (conn.ExecuteScalar<long>(HasContent) > 0)
            return false;
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Cms.DemoContent.json")!;
        var root = JsonNode.Parse(stream)!;

        // the demo's files go into the media library the way an upload does, before the content that uses them
        media ??= new MediaStore(MediaOptions.From(new ConfigurationBuilder().Build(), db.FilePath));
        var files = new Dictionary<string, MediaRow>(StringComparer.Ordinal);
        foreach (var item in root["media"]?.AsArray() ?? [])
        {
            var file = Str(item!, "file")!;
            using var source = Assembly.GetExecutingAssembly().GetManifestResourceStream("Cms.DemoMedia." + file)
                ?? throw new InvalidOperationException($"The demo media file {file} is not embedded.");
            using var bytes = new MemoryStream();
            source.CopyTo(bytes);
            files[file] = media.Import(db, bytes.ToArray(), Str(item!, "fileName") ?? file, Str(item!, "alt") ?? "", Str(item!, "caption") ?? "");
        }
        string? Resolve(string? value) =>
            value is not null && value.StartsWith("media:", StringComparison.Ordinal) ? files[value["media:".Length..]].Url : value;

        using var tx = conn.BeginWrite();
        if (conn.ExecuteScalar<long>(HasContent, transaction: tx) > 0)
            return false;
        var now = UtcTime.Now();

        var s = root["siteSettings"]!;
        conn.Execute(
            """
            INSERT INTO site_settings (id, site_name, site_domain, copyright_holder, address, postcode, tech_support, phone,
                icp_number, icp_url, public_security_filing_text, public_security_record_code, site_id_code, party_gov_label_html,
                disclaimer_title, disclaimer_html, updated_at)
            VALUES (1, @siteName, @siteDomain, @copyrightHolder, @address, @postcode, @techSupport, @phone,
                @icpNumber, @icpUrl, @filing, @recordCode, @siteIdCode, @label, @disclaimerTitle, @disclaimerHtml, @now)
            """,
            new
            {
                siteName = Str(s, "siteName"), siteDomain = Str(s, "siteDomain"), copyrightHolder = Str(s, "copyrightHolder"),
                address = Str(s, "address"), postcode = Str(s, "postcode"), techSupport = Str(s, "techSupport"), phone = Str(s, "phone"),
                icpNumber = Str(s, "icpNumber"), icpUrl = Str(s, "icpUrl"), filing = Str(s, "publicSecurityFilingText"),
                recordCode = Str(s, "publicSecurityRecordCode"), siteIdCode = Str(s, "siteIdCode"), label = HtmlPolicy.CleanOrNull(Str(s, "partyGovLabelHtml")),
                disclaimerTitle = Str(s, "disclaimerTitle"), disclaimerHtml = HtmlPolicy.Clean(Str(s, "disclaimerHtml") ?? ""), now,
            }, tx);
        Changes.Append(conn, tx, Changes.Settings, 1);

        foreach (var c in root["categories"]!.AsArray())
        {
            var id = (long)c!["id"]!;
            conn.Execute(
                """
                INSERT INTO categories (id, parent_id, code, name, kind, column_type, sort_order, show_in_nav, show_on_home, created_at, updated_at)
                VALUES (@id, @parentId, @code, @name, @kind, @columnType, @sort, @nav, @home, @now, @now)
                """,
                new
                {
                    id, parentId = (long?)c["parentId"], code = Str(c, "code"), name = Str(c, "name"), kind = Str(c, "kind"),
                    columnType = Str(c, "columnType"), sort = (long?)c["sort"] ?? 0, nav = (bool?)c["showInNav"] ?? true,
                    home = (bool?)c["showOnHome"] ?? false, now,
                }, tx);
            Changes.Append(conn, tx, Changes.Category, id);
        }

        foreach (var a in root["articles"]!.AsArray())
        {
            var id = (long)a!["id"]!;
            conn.Execute(
                """
                INSERT INTO articles (id, slug, legacy_id, category_id, title, subtitle, summary, body_html, source, article_type,
                    content_category, author, original_url, is_focus, status, publish_at, created_at, updated_at)
                VALUES (@id, @slug, @legacyId, @categoryId, @title, @subtitle, @summary, @bodyHtml, @source, @articleType,
                    @contentCategory, @author, @originalUrl, @isFocus, @status, @publishAt, @now, @now)
                """,
                new
                {
                    id, slug = Str(a, "slug"), legacyId = Str(a, "legacyId"), categoryId = (long)a["categoryId"]!, title = Str(a, "title"),
                    subtitle = Str(a, "subtitle"), summary = Str(a, "summary"), bodyHtml = HtmlPolicy.Clean(Str(a, "bodyHtml") ?? ""),
                    source = Str(a, "source"), articleType = Str(a, "articleType")!.ToLowerInvariant(), contentCategory = Str(a, "contentCategory"),
                    author = Str(a, "author"), originalUrl = Str(a, "originalUrl"), isFocus = (bool?)a["isFocus"] ?? false,
                    status = Str(a, "status")!.ToLowerInvariant(), publishAt = UtcTime.ToDb(DateTimeOffset.Parse(Str(a, "publishAt")!, System.Globalization.CultureInfo.InvariantCulture)), now,
                }, tx);
            var order = 0;
            foreach (var tag in a["tags"]?.AsArray() ?? [])
                conn.Execute("INSERT INTO article_tags (article_id, tag, sort_order) VALUES (@id, @tag, @order)", new { id, tag = (string)tag!, order = order++ }, tx);
            order = 0;
            foreach (var f in a["attachments"]?.AsArray() ?? [])
            {
                var file = Str(f!, "media") is { } name ? files[name] : null;
                conn.Execute(
                    "INSERT INTO attachments (article_id, url, name, size, mime, sort_order) VALUES (@id, @url, @name, @size, @mime, @order)",
                    file is not null
                        ? new { id, url = file.Url, name = file.FileName, size = (long?)file.Size, mime = Mime.FromName(file.FileName), order = order++ }
                        : new { id, url = Str(f!, "url")!, name = Str(f!, "fileName")!, size = (long?)f!["size"], mime = Mime.FromName(Str(f!, "fileName")), order = order++ }, tx);
            }
            Changes.Append(conn, tx, Changes.Article, id, Str(a, "slug"));
        }

        if (Sql.Postgres)
            conn.Execute("SELECT cms_identities_catch_up()", transaction: tx);   // the ids given above

        var m = root["leadershipMessage"]!;
        var messageId = conn.ExecuteScalar<long>(
            """
            INSERT INTO leadership_messages (title, leader_name, leader_title, photo_url, excerpt, body_html, publish_at, is_current, created_at, updated_at)
            VALUES (@title, @leaderName, @leaderTitle, @photo, @excerpt, @bodyHtml, @publishAt, 1, @now, @now) RETURNING id
            """,
            new
            {
                title = Str(m, "title"), leaderName = Str(m, "leaderName"), leaderTitle = Str(m, "leaderTitle"), photo = Str(m, "photo"),
                excerpt = Str(m, "excerpt"), bodyHtml = HtmlPolicy.Clean(Str(m, "bodyHtml") ?? ""),
                publishAt = UtcTime.ToDb(DateTimeOffset.Parse(Str(m, "publishAt")!, System.Globalization.CultureInfo.InvariantCulture)), now,
            }, tx);
        Changes.Append(conn, tx, Changes.LeadershipMessage, messageId);

        foreach (var p in root["partners"]!.AsArray())
        {
            var id = conn.ExecuteScalar<long>(
                "INSERT INTO partners (name, url, logo_url, sort_order, created_at, updated_at) VALUES (@name, @url, @logo, @sort, @now, @now) RETURNING id",
                new { name = Str(p!, "name"), url = Str(p!, "url"), logo = Str(p!, "logo"), sort = (long?)p!["sort"] ?? 0, now }, tx);
            Changes.Append(conn, tx, Changes.Partner, id);
        }

        foreach (var l in root["relatedLinks"]!.AsArray())
        {
            var id = conn.ExecuteScalar<long>(
                "INSERT INTO related_links (group_name, name, url, sort_order, created_at, updated_at) VALUES (@group, @name, @url, @sort, @now, @now) RETURNING id",
                new { group = Str(l!, "group"), name = Str(l!, "name"), url = Str(l!, "url"), sort = (long?)l!["sort"] ?? 0, now }, tx);
            Changes.Append(conn, tx, Changes.Link, id);
        }

        foreach (var f in root["focusItems"]!.AsArray())
        {
            var id = conn.ExecuteScalar<long>(
                """
                INSERT INTO focus_items (title, image_url, image_alt, article_id, link_url, sort_order, created_at, updated_at)
                VALUES (@title, @image, @alt, @articleId, @linkUrl, @sort, @now, @now) RETURNING id
                """,
                new
                {
                    title = Str(f!, "title"), image = Resolve(Str(f!, "image")), alt = Str(f!, "imageAlt") ?? Str(f!, "title"),
                    articleId = (long?)f!["articleId"], linkUrl = Str(f!, "linkUrl"), sort = (long?)f["sort"] ?? 0, now,
                }, tx);
            Changes.Append(conn, tx, Changes.FocusItem, id);
        }

        tx.Commit();
        return true;
    }

    private static string? Str(JsonNode node, string name) => node[name] is JsonValue v ? (string?)v : null;
}

public static class Mime
{
    public static string? FromName(string? name) => Path.GetExtension(name ?? "").ToLowerInvariant() switch
    {
        ".pdf" => "application/pdf",
        ".doc" => "application/msword",
        ".docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xls" => "application/vnd.ms-excel",
        ".xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".ppt" => "application/vnd.ms-powerpoint",
        ".pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ".zip" => "application/zip",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".png" => "image/png",
        ".txt" => "text/plain",
        _ => null,
    };
}
