using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cms.Api.Features.Health;
using Cms.Api.Http;

namespace Cms.Tests.Api;

/// <summary>政府网站检查: the inspection report finds what an inspector would, and never fetches an internal address.</summary>
[TestFixture]
public sealed class SiteHealthTests
{
    private static async Task<SiteHealthReport> ReportAsync(HttpClient client)
    {
        var res = await client.GetAsync("/api/v1/admin/site-health");
        var text = await res.Content.ReadAsStringAsync();
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonSerializer.Deserialize<SiteHealthReport>(text, ApiJson.Options)!;
    }

    [Test]
    public async Task Dead_links_images_without_alt_articles_without_source_and_missing_settings_are_found()
    {
        var body = "<p>见<a href=\"/article/c/202101/99999999.shtml\">已删除的旧文</a>和<a href=\"/article/nosuchcolumn/\">不存在的栏目</a>，" +
            "<a href=\"/article/c/202105/20210503064097.shtml\">论坛报道</a>、<a href=\"http://www.mofcom.gov.cn/article/ae/\">商务部</a>。</p>" +
            "<p><img src=\"/media/0123456789abcdef0123456789abcdef.jpg\"><img src=\"/uploads/none.png\" alt=\"不存在的图片\"></p>";
        var a = await Given.DraftAsync(App.Editor, Given.ArticleBody(title: "检查：含死链的稿件", bodyHtml: body, source: null));
        Assert.That((await App.Editor.PostAsync($"/api/v1/admin/articles/{a.Id}/publish", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var report = await ReportAsync(App.Editor);
        var dead = report.DeadLinks.Where(d => d.Id == a.Id).Select(d => d.Url).ToList();
        Assert.That(dead, Is.EquivalentTo(new[] { "/article/c/202101/99999999.shtml", "/article/nosuchcolumn/", "/media/0123456789abcdef0123456789abcdef.jpg", "/uploads/none.png" }),
            "the seed article's address resolves; the rest lead nowhere");
        Assert.That(report.ImagesWithoutAlt.Where(i => i.Id == a.Id).Select(i => i.Url), Is.EqualTo(new[] { "/media/0123456789abcdef0123456789abcdef.jpg" }));
        Assert.That(report.ArticlesWithoutSource.Select(x => x.Id), Has.Member(a.Id));
        Assert.That(report.ExternalLinks.Select(l => l.Url), Has.Member("http://www.mofcom.gov.cn/article/ae/"));
        Assert.That(report.ExternalLinks.All(l => l.Status is null), Is.True, "listed, not fetched");
        Assert.That(report.MissingSettings.Select(m => m.Label), Has.Member("网站标识码"), "the demo settings have no 网站标识码");
        Assert.That(report.BlankColumns.Select(c => c.Name), Has.Member("局情介绍"), "a page column without a body");
        Assert.That(report.Summary.Passed, Is.False);
        Assert.That((await App.Author.GetAsync("/api/v1/admin/site-health")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Columns_are_stale_by_their_own_limit_and_the_command_reports_the_same()
    {
        var db = Path.Combine(Path.GetTempPath(), $"cms-health-{Guid.NewGuid():N}.db");
        try
        {
            using (var factory = new CmsFactory(db, new Dictionary<string, string> { ["Cms:SiteHealth:StaleDays"] = "100000", ["Cms:SiteHealth:StaleDaysByColumn:c"] = "14" }))
            {
                using var admin = factory.CreateClient();
                admin.DefaultRequestHeaders.Add("X-Api-Key", App.AdminKey);
                var report = await ReportAsync(admin);
                var stale = report.StaleColumns.Single();
                Assert.That((stale.Code, stale.LimitDays), Is.EqualTo(("c", 14)), "工作动态 every two weeks; the others within their (long) limit");
                Assert.That(stale.DaysSince, Is.GreaterThan(14));
                Assert.That(report.BlankColumns.Select(c => c.Code), Is.EquivalentTo(new[] { "jqjs", "dwtz", "zcfg", "zt_cczg" }));
            }
            var psi = new System.Diagnostics.ProcessStartInfo("dotnet", ["run", "--no-build", "--project", Path.Combine(Repo.Root, "api"), "--", "site-health"])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, Environment = { ["Cms__SiteHealth__StaleDaysByColumn__c"] = "14", ["Cms__SiteHealth__StaleDays"] = "100000" },
            };
            psi.UseStore(db);
            var run = System.Diagnostics.Process.Start(psi)!;
            var output = await run.StandardOutput.ReadToEndAsync();
            await run.WaitForExitAsync();
            Assert.That(run.ExitCode, Is.EqualTo(1), output + await run.StandardError.ReadToEndAsync());
            Assert.That(output, Does.Contain("更新不及时 stale columns:        1  工作动态(").And.Contain("网站标识码").And.Contain("needs attention"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in new[] { db, db + "-wal", db + "-shm" })
                File.Delete(f);
            var media = Cms.Api.Features.Media.MediaOptions.DefaultRoot(db);
            if (Directory.Exists(media))
                Directory.Delete(media, recursive: true);
        }
    }

    [TestCase("127.0.0.1", false)]
    [TestCase("10.1.2.3", false)]
    [TestCase("172.20.0.1", false)]
    [TestCase("192.168.1.1", false)]
    [TestCase("169.254.169.254", false)]
    [TestCase("100.64.0.1", false)]
    [TestCase("0.0.0.0", false)]
    [TestCase("::1", false)]
    [TestCase("fe80::1", false)]
    [TestCase("fd00::1", false)]
    [TestCase("::ffff:127.0.0.1", false)]
    [TestCase("202.108.22.5", true)]
    [TestCase("2400:da00::6666", true)]
    public void Only_public_addresses_are_ever_fetched(string address, bool isPublic) =>
        Assert.That(ExternalLinks.IsPublic(IPAddress.Parse(address)), Is.EqualTo(isPublic));

    [Test]
    public async Task With_fetching_on_an_internal_address_is_refused_before_any_request_reaches_it()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var links = await ExternalLinks.CheckAsync([new ExternalLink { Url = $"http://127.0.0.1:{port}/admin", Uses = 1 }, new ExternalLink { Url = $"http://localhost:{port}/", Uses = 1 }], CancellationToken.None);
        Assert.That(links.Select(l => l.Status), Is.All.EqualTo(0));
        Assert.That(links.Select(l => l.Note), Is.All.Contain("address"));
        Assert.That(listener.Pending(), Is.False, "nothing connected to the internal address");
    }
}
