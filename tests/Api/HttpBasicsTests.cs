using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cms.Api.Features.Articles;
using Cms.Api.Http;

namespace Cms.Tests.Api;

/// <summary>HEAD, bodiless requests with a Content-Type, null members, Vary: Origin, one problem shape, edits that keep content public.</summary>
[TestFixture]
public sealed class HttpBasicsTests
{
    private static readonly string[] PublicGets =
    [
        "/api/v1/site", "/api/v1/categories", "/api/v1/categories/c", "/api/v1/articles?category=c",
        "/api/v1/articles/legacy/20210503064097", "/api/v1/leadership-messages/current", "/api/v1/partners", "/api/v1/links",
        "/api/v1/focus-items", "/api/v1/search?q=%E6%8A%95%E8%B5%84", "/api/v1/sync", "/feeds/rss.xml", "/feeds/c/atom.xml",
        "/feeds/feed.json", "/sitemap.xml", "/robots.txt", "/healthz",
    ];

    [TestCaseSource(nameof(PublicGets))]
    public async Task Head_answers_like_get_without_a_body(string url)
    {
        using var get = await App.Client.GetAsync(url);
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK), url);
        using var again = await App.Client.GetAsync(url);
        using var head = await App.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK), url);
        Assert.That((await head.Content.ReadAsByteArrayAsync()).Length, Is.Zero);
        Assert.That(head.Content.Headers.ContentType?.MediaType, Is.EqualTo(get.Content.Headers.ContentType?.MediaType));
        if (Equals(again.Headers.ETag, get.Headers.ETag))   // the sync API signs a fresh cursor on every answer
            Assert.That(head.Headers.ETag, Is.EqualTo(get.Headers.ETag), url);
    }

    [Test]
    public async Task Head_works_on_staff_reads_and_keeps_auth()
    {
        using var anonymous = await App.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/v1/admin/articles"));
        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        using var head = await App.Editor.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/v1/admin/articles"));
        Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(head.Headers.CacheControl?.NoStore, Is.True);
    }

    [Test]
    public async Task Head_on_a_missing_article_is_404()
    {
        using var head = await App.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/v1/articles/no-such-article-here"));
        Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    private static HttpRequestMessage Bodiless(HttpMethod method, string url, string? ifMatch = null)
    {
        var req = new HttpRequestMessage(method, url) { Content = new ByteArrayContent([]) };
        req.Content.Headers.ContentType = new("application/json");
        if (ifMatch is not null)
            req.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return req;
    }

    [Test]
    public async Task A_bodiless_request_with_a_json_content_type_is_fine()
    {
        var draft = await Given.DraftAsync();
        using var publish = await App.Editor.SendAsync(Bodiless(HttpMethod.Post, $"/api/v1/admin/articles/{draft.Id}/publish"));
        Assert.That(publish.StatusCode, Is.EqualTo(HttpStatusCode.OK), await publish.Content.ReadAsStringAsync());
        using var offline = await App.Editor.SendAsync(Bodiless(HttpMethod.Post, $"/api/v1/admin/articles/{draft.Id}/offline"));
        Assert.That(offline.StatusCode, Is.EqualTo(HttpStatusCode.OK), await offline.Content.ReadAsStringAsync());
        var version = (await offline.Content.ReadFromJsonAsync<AdminArticle>(ApiJson.Options))!.Version;
        using var delete = await App.Editor.SendAsync(Bodiless(HttpMethod.Delete, $"/api/v1/admin/articles/{draft.Id}", IfMatch.ETag(version)));
        Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await delete.Content.ReadAsStringAsync());

        // public GETs, cache miss (a query never asked before) and hit alike
        var url = $"/api/v1/articles?category=c&pageSize={Random.Shared.Next(30, 99)}";
        for (var i = 0; i < 2; i++)
        {
            using var get = await App.Client.SendAsync(Bodiless(HttpMethod.Get, url));
            Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK), await get.Content.ReadAsStringAsync());
        }
        using var adminGet = await App.Editor.SendAsync(Bodiless(HttpMethod.Get, "/api/v1/admin/articles"));
        Assert.That(adminGet.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_create_with_an_empty_body_is_a_400_naming_the_body()
    {
        using var res = await App.Editor.SendAsync(Bodiless(HttpMethod.Post, "/api/v1/admin/articles"));
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = (await res.Content.ReadFromJsonAsync<ApiProblem>(ApiJson.Options))!;
        Assert.That(problem.Errors.Select(e => e.Name), Does.Contain("body"));
    }

    [TestCase("tags")]
    [TestCase("extraCategoryIds")]
    [TestCase("attachments")]
    [TestCase("title")]
    [TestCase("bodyHtml")]
    [TestCase("categoryId")]
    [TestCase("articleType")]
    public async Task Null_for_a_required_member_is_a_400_naming_it(string member)
    {
        var body = JsonSerializer.SerializeToNode(Given.ArticleBody(), ApiJson.Options)!.AsObject();
        body[member] = null;
        var before = await Count();
        using var res = await Given.SendAsync(App.Editor, HttpMethod.Post, "/api/v1/admin/articles", body.ToJsonString());
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await res.Content.ReadAsStringAsync());
        Assert.That(res.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = (await res.Content.ReadFromJsonAsync<ApiProblem>(ApiJson.Options))!;
        Assert.That(problem.Errors.Select(e => e.Name), Does.Contain(member));
        Assert.That(await Count(), Is.EqualTo(before));
    }

    [Test]
    public async Task Null_for_a_nullable_member_is_accepted()
    {
        var body = JsonSerializer.SerializeToNode(Given.ArticleBody(), ApiJson.Options)!.AsObject();
        body["coverImage"] = null;
        body["validity"] = null;
        body["summary"] = null;
        using var res = await Given.SendAsync(App.Editor, HttpMethod.Post, "/api/v1/admin/articles", body.ToJsonString());
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.Created), await res.Content.ReadAsStringAsync());
    }

    private static async Task<long> Count()
    {
        var page = await App.Admin.GetFromJsonAsync<JsonObject>("/api/v1/admin/articles?pageSize=1");
        return page!["page"]!["totalItems"]!.GetValue<long>();
    }

    [Test]
    public async Task Every_problem_has_one_type_base_a_detail_and_errors()
    {
        var answers = new List<HttpResponseMessage>
        {
            await App.Client.GetAsync("/api/v1/no-such-route"),                                        // 404 from routing
            await App.Client.DeleteAsync("/api/v1/site"),                                              // 405
            await App.Editor.PostAsync("/api/v1/admin/articles", new StringContent("x", Encoding.UTF8, "text/plain")), // 415
            await App.Editor.PostAsJsonAsync("/api/v1/admin/articles", new { title = "" }),            // 400 validation
            await App.Client.GetAsync("/api/v1/admin/articles"),                                       // 401
            await App.Author.PostAsync("/api/v1/admin/articles/1/publish", null),                      // 403
            await App.Client.GetAsync("/api/v1/articles/no-such-article-at-all"),                      // 404 from the endpoint
            await App.Editor.PutAsJsonAsync("/api/v1/admin/articles/1", Given.ArticleBody()),          // 428
        };
        foreach (var res in answers)
        {
            var text = await res.Content.ReadAsStringAsync();
            Assert.That(res.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), text);
            var body = JsonNode.Parse(text)!.AsObject();
            Assert.That(body["type"]!.GetValue<string>(), Does.StartWith(Problems.TypeBase), text);
            Assert.That(body["status"]!.GetValue<int>(), Is.EqualTo((int)res.StatusCode), text);
            Assert.That(body["detail"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, text);
            Assert.That(body["errors"], Is.InstanceOf<JsonArray>(), text);
            Assert.That(text, Does.Not.Contain("System.").And.Not.Contain("   at "), text);
            res.Dispose();
        }
    }

    [TestCase("/api/v1/site")]
    [TestCase("/api/v1/articles?category=c")]
    [TestCase("/feeds/rss.xml")]
    [TestCase("/api/v1/no-such-thing")]
    public async Task Public_answers_vary_on_origin_with_or_without_one(string url)
    {
        using var plain = await App.Client.GetAsync(url);
        Assert.That(plain.Headers.Vary, Does.Contain("Origin"), url);
        var req = new HttpRequestMessage(HttpMethod.Get, url);
        req.Headers.Add("Origin", App.PartnerOrigin);
        using var cors = await App.Client.SendAsync(req);
        Assert.That(cors.Headers.Vary.Count(v => v == "Origin"), Is.EqualTo(1), url);
    }

    [Test]
    public async Task Staff_routes_never_carry_cors_headers()
    {
        var req = new HttpRequestMessage(HttpMethod.Get, "/api/v1/admin/articles");
        req.Headers.Add("Origin", App.PartnerOrigin);
        req.Headers.Add("X-Api-Key", App.EditorKey);
        using var res = await App.Client.SendAsync(req);
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(res.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/admin/articles");
        preflight.Headers.Add("Origin", App.PartnerOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        using var pre = await App.Client.SendAsync(preflight);
        Assert.That(pre.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }

    [Test]
    public async Task No_server_header()
    {
        using var res = await App.Client.GetAsync("/api/v1/site");
        Assert.That(res.Headers.Contains("Server"), Is.False);
    }

    [Test]
    public async Task A_put_without_publish_at_keeps_a_published_article_public()
    {
        var published = await Given.PublishedAsync();
        var body = JsonSerializer.SerializeToNode(Given.ArticleBody(slug: published.Slug, title: "修改后的标题"), ApiJson.Options)!.AsObject();
        body.Remove("publishAt");
        using var put = await Given.SendAsync(App.Editor, HttpMethod.Put, $"/api/v1/admin/articles/{published.Id}", body.ToJsonString(),
            ifMatch: IfMatch.ETag(published.Version));
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
        var after = (await put.Content.ReadFromJsonAsync<AdminArticle>(ApiJson.Options))!;
        Assert.That(after.Status, Is.EqualTo(ArticleStatus.Published));
        Assert.That(after.PublishAt, Is.EqualTo(published.PublishAt));
        using var pub = await App.Client.GetAsync($"/api/v1/articles/{published.Slug}");
        Assert.That(pub.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await pub.Content.ReadFromJsonAsync<PublicArticle>(ApiJson.Options))!.Title, Is.EqualTo("修改后的标题"));
    }
}

/// <summary>Feeds and partners use ids in GUIDs and mirrors: a deleted id never comes back.</summary>
[TestFixture]
public sealed class IdsTests
{
    private static async Task<long> CreateAsync(string url, object body)
    {
        using var res = await App.Admin.PostAsJsonAsync(url, body);
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.Created), await res.Content.ReadAsStringAsync());
        return (await res.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
    }

    private static async Task DeleteAsync(string url)
    {
        using var get = await App.Admin.GetAsync(url);
        using var del = await Given.SendAsync(App.Admin, HttpMethod.Delete, url, ifMatch: get.Headers.ETag?.Tag ?? "*");
        Assert.That(del.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await del.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_deleted_article_id_is_never_given_again()
    {
        var a = await Given.DraftAsync();
        await DeleteAsync($"/api/v1/admin/articles/{a.Id}");
        var b = await Given.DraftAsync();
        Assert.That(b.Id, Is.GreaterThan(a.Id));
    }

    [Test]
    public async Task A_deleted_partner_link_or_column_id_is_never_given_again()
    {
        var cases = new (string Url, Func<object> Body)[]
        {
            ("/api/v1/admin/partners", () => new { name = "伙伴" + Guid.NewGuid().ToString("N")[..6], url = "https://www.mofcom.gov.cn/" }),
            ("/api/v1/admin/links", () => new { group = "政府网站", name = "链接", url = "https://www.gov.cn/" }),
            ("/api/v1/admin/categories", () => new { code = "i" + Guid.NewGuid().ToString("N")[..8], name = "栏目", kind = "list" }),
        };
        foreach (var (url, body) in cases)
        {
            var first = await CreateAsync(url, body());
            await DeleteAsync($"{url}/{first}");
            var second = await CreateAsync(url, body());
            Assert.That(second, Is.GreaterThan(first), url);
        }
    }
}

/// <summary>SQLite's own migration history (PostgreSQL starts from one migration, postgres/001).</summary>
[TestFixture]
[Category("SqliteOnly")]
public sealed class MigrationTests
{
    [Test]
    public void An_existing_database_keeps_its_rows_and_never_reuses_a_deleted_id()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cms-migrate-{Guid.NewGuid():N}.db");
        var db = new Cms.Api.Data.Db($"Data Source={path}");
        try
        {
            using (var conn = db.Open())
            {
                // the schema as it was before ids became AUTOINCREMENT: migrations 001 to 004 only
                var asm = typeof(Cms.Api.Data.Migrator).Assembly;
                Dapper.SqlMapper.Execute(conn, "CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
                foreach (var name in asm.GetManifestResourceNames().Where(n => n.StartsWith("Cms.Migrations.00", StringComparison.Ordinal)).Order()
                             .Where(n => string.CompareOrdinal(n, "Cms.Migrations.005") < 0))
                {
                    using var reader = new StreamReader(asm.GetManifestResourceStream(name)!);
                    Dapper.SqlMapper.Execute(conn, reader.ReadToEnd());
                    Dapper.SqlMapper.Execute(conn, "INSERT INTO schema_migrations VALUES (@n, '2026-01-01T00:00:00.000Z')", new { n = name["Cms.Migrations.".Length..] });
                }
                Dapper.SqlMapper.Execute(conn, """
                    INSERT INTO categories (id, code, name, kind, created_at, updated_at) VALUES (1, 'c', '工作动态', 'list', 'x', 'x');
                    INSERT INTO articles (id, slug, category_id, title, body_html, article_type, status, publish_at, created_at, updated_at)
                    VALUES (1, 'a-one', 1, '一', '<p>一</p>', 'original', 'published', '2021-05-03T00:00:00.000Z', 'x', 'x'),
                           (2, 'a-two', 1, '二', '<p>二</p>', 'original', 'draft', NULL, 'x', 'x');
                    INSERT INTO article_tags (article_id, tag, sort_order) VALUES (1, '投资', 0);
                    INSERT INTO changes (entity, entity_id, op, at) VALUES ('article', 1, 'upsert', 'x'), ('article', 2, 'upsert', 'x'), ('article', 3, 'delete', 'x');
                    """);
            }
            Assert.That(Cms.Api.Data.Migrator.Apply(db), Does.Contain("005_ids_never_reused.sql"));
            using var after = db.Open();
            Assert.That(Dapper.SqlMapper.Query<string>(after, "SELECT title FROM articles ORDER BY id"), Is.EqualTo(new[] { "一", "二" }));
            Assert.That(Dapper.SqlMapper.ExecuteScalar<long>(after, "SELECT count(*) FROM article_tags"), Is.EqualTo(1), "children survive the rebuild");
            Assert.That(Dapper.SqlMapper.Query<long>(after, "SELECT article_id FROM search_docs"), Is.EqualTo(new[] { 1L }), "the search index holds the public article only");
            Dapper.SqlMapper.Execute(after, "DELETE FROM articles WHERE id = 2");
            var id = Dapper.SqlMapper.ExecuteScalar<long>(after, """
                INSERT INTO articles (slug, category_id, title, body_html, article_type, status, created_at, updated_at)
                VALUES ('a-new', 1, '新', '<p>新</p>', 'original', 'draft', 'x', 'x') RETURNING id
                """);
            Assert.That(id, Is.EqualTo(4), "above 2 (deleted now) and 3 (deleted before the migration, known from the change log)");
            Assert.That(Dapper.SqlMapper.Query(after, "PRAGMA foreign_key_check"), Is.Empty);
            Assert.That(Dapper.SqlMapper.ExecuteScalar<string>(after, "PRAGMA integrity_check"), Is.EqualTo("ok"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in new[] { path, path + "-wal", path + "-shm" })
                File.Delete(f);
        }
    }
}

[TestFixture]
public sealed class CompressionTests
{
    private static async Task<HttpResponseMessage> GetAsync(string url, string? acceptEncoding, HttpClient? client = null)
    {
        var req = new HttpRequestMessage(HttpMethod.Get, url);
        if (acceptEncoding is not null)
            req.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        return await (client ?? App.Client).SendAsync(req);
    }

    private static byte[] Decode(byte[] body, string? encoding) => encoding switch
    {
        "br" => Decompress(new System.IO.Compression.BrotliStream(new MemoryStream(body), System.IO.Compression.CompressionMode.Decompress)),
        "gzip" => Decompress(new System.IO.Compression.GZipStream(new MemoryStream(body), System.IO.Compression.CompressionMode.Decompress)),
        _ => body,
    };

    private static byte[] Decompress(Stream s)
    {
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    [TestCase("/api/v1/site", "br", "br")]
    [TestCase("/api/v1/site", "gzip", "gzip")]
    [TestCase("/api/v1/site", "gzip;q=1, br;q=0.5", "gzip")]
    [TestCase("/api/v1/site", "br;q=0, gzip;q=0", null)]
    [TestCase("/feeds/rss.xml", "gzip, deflate, br", "br")]
    [TestCase("/api/v1/articles?category=c", "*", "br")]
    public async Task Cached_answers_come_compressed_and_decode_to_the_same_bytes(string url, string accept, string? expected)
    {
        using var plain = await GetAsync(url, null);
        var identity = await plain.Content.ReadAsByteArrayAsync();
        Assert.That(plain.Content.Headers.ContentEncoding, Is.Empty);
        for (var i = 0; i < 2; i++)   // miss, then hit
        {
            using var res = await GetAsync(url, accept);
            Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var encoding = res.Content.Headers.ContentEncoding.SingleOrDefault();
            Assert.That(encoding, Is.EqualTo(expected), url);
            Assert.That(res.Headers.Vary, Does.Contain("Accept-Encoding"));
            var body = await res.Content.ReadAsByteArrayAsync();
            Assert.That(res.Content.Headers.ContentLength, Is.EqualTo(body.Length));
            Assert.That(Decode(body, encoding), Is.EqualTo(identity), url);
            if (expected is not null)
            {
                Assert.That(body.Length, Is.LessThan(identity.Length));
                Assert.That(res.Headers.ETag, Is.Not.EqualTo(plain.Headers.ETag), "each encoding is its own representation");
            }
        }
    }

    [Test]
    public async Task If_none_match_with_the_tag_of_any_encoding_is_a_304()
    {
        using var br = await GetAsync("/api/v1/site", "br");
        using var plain = await GetAsync("/api/v1/site", null);
        foreach (var (tag, accept) in new[] { (br.Headers.ETag!, (string?)null), (plain.Headers.ETag!, "br"), (br.Headers.ETag!, "gzip") })
        {
            var req = new HttpRequestMessage(HttpMethod.Get, "/api/v1/site");
            req.Headers.IfNoneMatch.Add(tag);
            if (accept is not null)
                req.Headers.TryAddWithoutValidation("Accept-Encoding", accept);
            using var res = await App.Client.SendAsync(req);
            Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.NotModified), $"{tag} with {accept}");
        }
    }

    [Test]
    public async Task Small_answers_stay_uncompressed()
    {
        using var res = await GetAsync("/robots.txt", "br, gzip");
        Assert.That(res.Content.Headers.ContentEncoding, Is.Empty);
    }

    [Test]
    public async Task Staff_reads_and_problems_are_compressed_too()
    {
        using var res = await GetAsync("/api/v1/admin/articles?pageSize=50", "gzip", App.Editor);
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(res.Content.Headers.ContentEncoding, Is.EqualTo(new[] { "gzip" }));
        var json = JsonNode.Parse(Decode(await res.Content.ReadAsByteArrayAsync(), "gzip"))!;
        Assert.That(json["items"], Is.InstanceOf<JsonArray>());
    }
}
