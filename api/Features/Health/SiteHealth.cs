using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Cms.Api.Data;
using Cms.Api.Features.Articles;
using Cms.Api.Features.Media;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Features.Health;

/// <summary>Cms:SiteHealth: how old a column's newest article may be, per column code, and whether external links are fetched.</summary>
public sealed class SiteHealthOptions
{
    /// <summary>Days without a new article before a column counts as not updated in time (更新不及时); default 30.</summary>
    public int StaleDays { get; init; } = 30;
    /// <summary>Per column code, e.g. Cms:SiteHealth:StaleDaysByColumn:c = 14 (工作动态 every two weeks).</summary>
    public IReadOnlyDictionary<string, int> StaleDaysByColumn { get; init; } = new Dictionary<string, int>();
    /// <summary>Fetch external links (HEAD, 5 s, public addresses only). Off by default: they are listed, not fetched.</summary>
    public bool CheckExternalLinks { get; init; }

    public static SiteHealthOptions From(IConfiguration config)
    {
        var s = config.GetSection("Cms:SiteHealth");
        return new SiteHealthOptions
        {
            StaleDays = s.GetValue("StaleDays", 30),
            StaleDaysByColumn = s.GetSection("StaleDaysByColumn").GetChildren()
                .ToDictionary(c => c.Key, c => int.Parse(c.Value!, System.Globalization.CultureInfo.InvariantCulture)),
            CheckExternalLinks = s.GetValue("CheckExternalLinks", false),
        };
    }
}

public sealed class ColumnIssue
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public DateTimeOffset? LastPublishedAt { get; init; }
    /// <summary>Days since its newest article (更新不及时); null for a blank column.</summary>
    public int? DaysSince { get; init; }
    public int? LimitDays { get; init; }
}

/// <summary>Where a finding is: an article, column, leadership message, settings, focus item or partner.</summary>
public sealed class ContentIssue
{
    public string Entity { get; init; } = "";
    public long Id { get; init; }
    public string Title { get; init; } = "";
    /// <summary>The address or image in question.</summary>
    public string? Url { get; init; }
    public string Reason { get; init; } = "";
}

public sealed class MissingSetting
{
    public string Field { get; init; } = "";
    public string Label { get; init; } = "";
}

public sealed class ExternalLink
{
    public string Url { get; init; } = "";
    /// <summary>How many places link to it.</summary>
    public int Uses { get; init; }
    /// <summary>The HTTP status a HEAD request got, when Cms:SiteHealth:CheckExternalLinks is on; 0 when it failed or was refused (a private address).</summary>
    public int? Status { get; init; }
    public string? Note { get; init; }
}

public sealed class SiteHealthSummary
{
    public int BlankColumns { get; init; }
    public int StaleColumns { get; init; }
    public int DeadLinks { get; init; }
    public int ImagesWithoutAlt { get; init; }
    public int MissingSettings { get; init; }
    public int ArticlesWithoutSource { get; init; }
    public int ExternalLinks { get; init; }
    /// <summary>True when nothing above needs fixing (external links aside).</summary>
    public bool Passed { get; init; }
}

/// <summary>政府网站检查: what an inspection of a government site looks at, from the database alone.</summary>
public sealed class SiteHealthReport
{
    public DateTimeOffset GeneratedAt { get; init; }
    public SiteHealthSummary Summary { get; init; } = new();
    /// <summary>空白栏目: list and topic columns without one published article, page columns without a body.</summary>
    public IReadOnlyList<ColumnIssue> BlankColumns { get; init; } = [];
    /// <summary>更新不及时: columns whose newest article is older than their limit.</summary>
    public IReadOnlyList<ColumnIssue> StaleColumns { get; init; } = [];
    /// <summary>死链: addresses on this site (articles, columns, media, uploads) in published content that lead nowhere.</summary>
    public IReadOnlyList<ContentIssue> DeadLinks { get; init; } = [];
    public IReadOnlyList<ContentIssue> ImagesWithoutAlt { get; init; } = [];
    /// <summary>ICP 备案号, 公安备案, 网站标识码, 主办单位 and the like, when empty.</summary>
    public IReadOnlyList<MissingSetting> MissingSettings { get; init; } = [];
    /// <summary>Published articles without 文章来源.</summary>
    public IReadOnlyList<ContentIssue> ArticlesWithoutSource { get; init; } = [];
    /// <summary>Links to other sites, for checking by hand (or fetched, see Cms:SiteHealth).</summary>
    public IReadOnlyList<ExternalLink> ExternalLinks { get; init; } = [];
}

public static partial class SiteHealth
{
    private const int MaxPerList = 500;

    [GeneratedRegex("""<(a|img)\b[^>]*?\b(href|src)\s*=\s*"([^"]*)"[^>]*>""", RegexOptions.IgnoreCase)]
    private static partial Regex Link();

    [GeneratedRegex("""\balt\s*=\s*"\s*[^"\s]""", RegexOptions.IgnoreCase)]
    private static partial Regex HasAlt();

    [GeneratedRegex(@"^/article/(?<code>[a-z][a-z0-9_]{0,31})/(?:(?<month>[0-9]{6})/(?<id>[0-9]+)\.shtml|(?:index(?:_[0-9]+)?\.s?html)?)$")]
    private static partial Regex PortalAddress();

    public static async Task<SiteHealthReport> RunAsync(Db db, SiteHealthOptions options, string? webRoot, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var now = DateTimeOffset.UtcNow;
        var nowText = UtcTime.Now();

        // columns: the newest visible article of each list or topic column and the columns below it
        var columns = (await conn.QueryAsync<(long Id, long? ParentId, string Code, string Name, string Kind, string? PageBodyHtml, bool IsHidden)>(new CommandDefinition(
            "SELECT id, parent_id, code, name, kind, page_body_html, is_hidden FROM categories ORDER BY sort_order, id", cancellationToken: ct))).ToList();
        var newest = (await conn.QueryAsync<(long CategoryId, DateTimeOffset At)>(new CommandDefinition(
            """
            SELECT c.id, (SELECT max(a.publish_at) FROM articles a WHERE a.category_id = c.id AND a.status = 'published' AND a.publish_at <= @now) FROM categories c
            UNION ALL
            SELECT ac.category_id, max(a.publish_at) FROM article_categories ac JOIN articles a ON a.id = ac.article_id
            WHERE a.status = 'published' AND a.publish_at <= @now GROUP BY ac.category_id
            """, new { now = nowText }, cancellationToken: ct))).Where(x => x.At != default)
            .GroupBy(x => x.CategoryId).ToDictionary(g => g.Key, g => g.Max(x => x.At));
        DateTimeOffset? Newest(long id)
        {
            DateTimeOffset? best = newest.TryGetValue(id, out var at) ? at : null;
            foreach (var child in columns.Where(c => c.ParentId == id))
                if (Newest(child.Id) is { } n && (best is null || n > best))
                    best = n;
            return best;
        }
        var blank = new List<ColumnIssue>();
        var stale = new List<ColumnIssue>();
        foreach (var c in columns.Where(c => !c.IsHidden))
        {
            if (c.Kind == "page")
            {
                if (string.IsNullOrWhiteSpace(Revisions.Revisions.Text(c.PageBodyHtml)))
                    blank.Add(new ColumnIssue { Id = c.Id, Code = c.Code, Name = c.Name });
                continue;
            }
            if (c.Kind is not ("list" or "topic"))
                continue;
            var last = Newest(c.Id);
            if (last is null)
            {
                blank.Add(new ColumnIssue { Id = c.Id, Code = c.Code, Name = c.Name });
                continue;
            }
            var limit = options.StaleDaysByColumn.TryGetValue(c.Code, out var d) ? d : options.StaleDays;
            var days = (int)(now - last.Value).TotalDays;
            if (days > limit)
                stale.Add(new ColumnIssue { Id = c.Id, Code = c.Code, Name = c.Name, LastPublishedAt = last, DaysSince = days, LimitDays = limit });
        }

        // settings a government site must show
        var settings = await conn.QuerySingleOrDefaultAsync(new CommandDefinition(
            "SELECT icp_number, public_security_filing_text, public_security_record_code, site_id_code, copyright_holder, address, party_gov_label_html, disclaimer_html FROM site_settings WHERE id = 1",
            cancellationToken: ct));
        var missing = new List<MissingSetting>();
        var required = new (string Column, string Field, string Label)[]
        {
            ("icp_number", "icpNumber", "ICP备案号"), ("public_security_filing_text", "publicSecurityFilingText", "公安机关备案号"),
            ("public_security_record_code", "publicSecurityRecordCode", "公安备案编码"), ("site_id_code", "siteIdCode", "网站标识码"),
            ("copyright_holder", "copyrightHolder", "主办单位"), ("address", "address", "联系地址"),
        };
        var settingsRow = settings is null ? null : (IDictionary<string, object?>)settings;
        foreach (var (column, field, label) in required)
            if (settingsRow is null || string.IsNullOrWhiteSpace(settingsRow[column] as string))
                missing.Add(new MissingSetting { Field = field, Label = label });

        // every piece of published content with HTML or images, scanned once for links and images
        var dead = new List<ContentIssue>();
        var noAlt = new List<ContentIssue>();
        var noSource = new List<ContentIssue>();
        var external = new Dictionary<string, int>(StringComparer.Ordinal);
        var mediaHashes = (await conn.QueryAsync<string>(new CommandDefinition("SELECT hash || '.' || ext FROM media", cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);
        var mediaCopies = (await conn.QueryAsync<(string Hash, string Ext, string Widths)>(new CommandDefinition("SELECT hash, ext, widths FROM media", cancellationToken: ct)))
            .SelectMany(m => System.Text.Json.JsonSerializer.Deserialize<int[]>(m.Widths)!.Select(w => $"{m.Hash}-{w}.{m.Ext}")).ToHashSet(StringComparer.Ordinal);
        var codes = columns.ToDictionary(c => c.Code, c => c.Id, StringComparer.Ordinal);

        bool Resolves(string path)
        {
            var m = MediaStore.UrlPattern().Match(path);
            if (m.Success && m.Index == 0)
                return mediaHashes.Contains(path[7..]) || mediaCopies.Contains(path[7..]);
            var p = PortalAddress().Match(path);
            if (p.Success)
            {
                if (!codes.ContainsKey(p.Groups["code"].Value))
                    return false;
                if (!p.Groups["id"].Success)
                    return true;
                var id = long.Parse(p.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture);
                // an imported article's address carries its legacy id, others their own id
                return conn.ExecuteScalar<long>(
                    "SELECT count(*) FROM articles a WHERE (a.id = @id OR a.legacy_id = @legacy) AND a.status = 'published' AND a.publish_at <= @now",
                    new { id, legacy = p.Groups["id"].Value, now = nowText }) > 0;
            }
            if (path is "/" or "/index.shtml" or "/index.html" or "/search.html" || path.StartsWith("/leader/", StringComparison.Ordinal) || path.StartsWith("/api/", StringComparison.Ordinal) || path.StartsWith("/feeds/", StringComparison.Ordinal))
                return true;
            // anything else on the site: a file of the portal (web/uploads, css …)
            var file = path.Split('?', '#')[0];
            return webRoot is not null && !file.Contains("..", StringComparison.Ordinal) && File.Exists(Path.Combine(webRoot, file.TrimStart('/')));
        }

        void Scan(string entity, long id, string title, string? html, IEnumerable<(string Url, string? Alt)>? images = null)
        {
            foreach (Match m in Link().Matches(html ?? ""))
            {
                var tag = m.Groups[1].Value.ToLowerInvariant();
                var url = WebUtility.HtmlDecode(m.Groups[3].Value).Trim();
                if (tag == "img" && !HasAlt().IsMatch(m.Value) && noAlt.Count < MaxPerList)
                    noAlt.Add(new ContentIssue { Entity = entity, Id = id, Title = title, Url = url, Reason = "img 没有替代文字 / no alt text" });
                Check(entity, id, title, url);
            }
            foreach (var (url, alt) in images ?? [])
            {
                if (string.IsNullOrWhiteSpace(url))
                    continue;
                if (string.IsNullOrWhiteSpace(alt) && noAlt.Count < MaxPerList)
                    noAlt.Add(new ContentIssue { Entity = entity, Id = id, Title = title, Url = url, Reason = "图片没有替代文字 / no alt text" });
                Check(entity, id, title, url);
            }
        }

        void Check(string entity, long id, string title, string url)
        {
            if (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                external[url] = external.GetValueOrDefault(url) + 1;
                return;
            }
            if (!url.StartsWith('/') || url.StartsWith("//", StringComparison.Ordinal) || url.StartsWith("/#", StringComparison.Ordinal))
                return;
            if (!Resolves(url.Split('#')[0]) && dead.Count < MaxPerList)
                dead.Add(new ContentIssue { Entity = entity, Id = id, Title = title, Url = url, Reason = "站内地址不存在 / leads nowhere on this site" });
        }

        // published articles, streamed in id order (a large site holds millions)
        long after = 0;
        while (true)
        {
            var batch = (await conn.QueryAsync<(long Id, string Title, string BodyHtml, string? Source, string? CoverImageUrl, string? CoverImageAlt, string? Files)>(new CommandDefinition(
                $"""
                SELECT a.id, a.title, a.body_html, a.source, a.cover_image_url, a.cover_image_alt,
                       (SELECT {Sql.Joined("url", "' '")} FROM attachments f WHERE f.article_id = a.id)
                FROM articles a WHERE a.id > @after AND a.status = 'published' AND a.publish_at <= @now ORDER BY a.id LIMIT 2000
                """, new { after, now = nowText }, cancellationToken: ct))).ToList();
            if (batch.Count == 0)
                break;
            foreach (var a in batch)
            {
                Scan("article", a.Id, a.Title, a.BodyHtml, a.CoverImageUrl is null ? null : [(a.CoverImageUrl, a.CoverImageAlt)]);
                foreach (var f in (a.Files ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    Check("article", a.Id, a.Title, f);
                if (string.IsNullOrWhiteSpace(a.Source) && noSource.Count < MaxPerList)
                    noSource.Add(new ContentIssue { Entity = "article", Id = a.Id, Title = a.Title, Reason = "没有文章来源 / no 文章来源" });
            }
            after = batch[^1].Id;
        }
        var noSourceTotal = await conn.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM articles WHERE status = 'published' AND publish_at <= @now AND coalesce(trim(source), '') = ''", new { now = nowText }, cancellationToken: ct));

        foreach (var c in columns.Where(c => !c.IsHidden && c.Kind == "page"))
            Scan("category", c.Id, c.Name, c.PageBodyHtml);
        foreach (var m in await conn.QueryAsync<(long Id, string Title, string BodyHtml, string? PhotoUrl, string? PhotoAlt)>(new CommandDefinition(
            "SELECT id, title, body_html, photo_url, photo_alt FROM leadership_messages WHERE publish_at <= @now", new { now = nowText }, cancellationToken: ct)))
            Scan("leadershipMessage", m.Id, m.Title, m.BodyHtml, m.PhotoUrl is null ? null : [(m.PhotoUrl, m.PhotoAlt)]);
        if (settingsRow is not null)
            Scan("settings", 1, "站点设置", $"{settingsRow["party_gov_label_html"]} {settingsRow["disclaimer_html"]}");
        foreach (var f in await conn.QueryAsync<(long Id, string Title, string ImageUrl, string? ImageAlt, string? LinkUrl)>(new CommandDefinition(
            "SELECT id, title, image_url, image_alt, link_url FROM focus_items", cancellationToken: ct)))
        {
            Scan("focusItem", f.Id, f.Title, null, [(f.ImageUrl, f.ImageAlt)]);
            if (f.LinkUrl is { Length: > 0 } link)
                Check("focusItem", f.Id, f.Title, link);
        }
        foreach (var p in await conn.QueryAsync<(long Id, string Name, string? Url, string? LogoUrl, string? LogoAlt)>(new CommandDefinition(
            "SELECT id, name, url, logo_url, logo_alt FROM partners WHERE is_enabled = 1", cancellationToken: ct)))
        {
            Scan("partner", p.Id, p.Name, null, p.LogoUrl is null ? null : [(p.LogoUrl, p.LogoAlt)]);
            if (p.Url is { Length: > 0 } url)
                Check("partner", p.Id, p.Name, url);
        }
        foreach (var l in await conn.QueryAsync<(long Id, string Name, string Url)>(new CommandDefinition(
            "SELECT id, name, url FROM related_links WHERE is_enabled = 1", cancellationToken: ct)))
            Check("link", l.Id, l.Name, l.Url);

        var externalLinks = external.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(MaxPerList)
            .Select(kv => new ExternalLink { Url = kv.Key, Uses = kv.Value }).ToList();
        if (options.CheckExternalLinks)
            externalLinks = await ExternalLinks.CheckAsync(externalLinks, ct);

        return new SiteHealthReport
        {
            GeneratedAt = now,
            Summary = new SiteHealthSummary
            {
                BlankColumns = blank.Count, StaleColumns = stale.Count, DeadLinks = dead.Count, ImagesWithoutAlt = noAlt.Count,
                MissingSettings = missing.Count, ArticlesWithoutSource = noSourceTotal, ExternalLinks = external.Count,
                Passed = blank.Count + stale.Count + dead.Count + noAlt.Count + missing.Count + noSourceTotal == 0,
            },
            BlankColumns = blank, StaleColumns = stale, DeadLinks = dead, ImagesWithoutAlt = noAlt, MissingSettings = missing,
            ArticlesWithoutSource = noSource, ExternalLinks = externalLinks,
        };
    }
}

/// <summary>
/// Fetching external links, when an admin turned it on: HEAD, five seconds, and never a private, loopback, link-local
/// or otherwise internal address, checked on the address actually connected to (so a name that resolves inward, or
/// re-resolves between check and connect, is refused all the same). Redirects are not followed.
/// </summary>
public static class ExternalLinks
{
    public static bool IsPublic(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6)
            ip = ip.MapToIPv4();
        if (IPAddress.IsLoopback(ip) || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) || ip.Equals(IPAddress.Broadcast))
            return false;
        if (ip.AddressFamily == AddressFamily.InterNetworkV6)
            return !(ip.IsIPv6LinkLocal || ip.IsIPv6SiteLocal || ip.IsIPv6Multicast || ip.IsIPv6UniqueLocal || ip.Equals(IPAddress.IPv6Loopback));
        var b = ip.GetAddressBytes();
        return !(b[0] == 10 || b[0] == 127 || b[0] == 0 || (b[0] == 169 && b[1] == 254) || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168) || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) || b[0] >= 224);
    }

    public static async Task<List<ExternalLink>> CheckAsync(List<ExternalLink> links, CancellationToken ct)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            ConnectCallback = async (context, token) =>
            {
                var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, token);
                var target = addresses.FirstOrDefault(IsPublic) ?? throw new HttpRequestException($"{context.DnsEndPoint.Host} has no public address");
                if (addresses.Any(a => !IsPublic(a)))
                    throw new HttpRequestException($"{context.DnsEndPoint.Host} resolves to an internal address");
                var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(target, context.DnsEndPoint.Port), token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("cms-site-health/1");
        var checkedLinks = new List<ExternalLink>();
        foreach (var link in links.Take(200))
        {
            int status;
            string? note = null;
            try
            {
                using var res = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, link.Url), ct);
                status = (int)res.StatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or SocketException)
            {
                status = 0;
                note = e.Message;
            }
            checkedLinks.Add(new ExternalLink { Url = link.Url, Uses = link.Uses, Status = status, Note = note });
        }
        return checkedLinks.Concat(links.Skip(200)).ToList();
    }
}
