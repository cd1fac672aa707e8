using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Cms.Tests.Api;

namespace Cms.Tests.Web;

/// <summary>
/// The nginx configuration README.md gives for production, as written (only its ports, folder and certificate line
/// changed for loopback): nginx serves the published folder with the portal's headers and passes the API through.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class NginxConfigTests
{
    [Test]
    public async Task The_readme_nginx_configuration_serves_the_site_and_passes_the_api_through()
    {
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));
        var block = Regex.Match(readme, "```nginx\n(server \\{.*?\n\\})\n```", RegexOptions.Singleline);
        Assert.That(block.Success, Is.True, "README.md has the nginx server block");

        await using var host = await BrowserHost.StartAsync();
        var api = new Uri(host.BaseUrl);
        var port = CmsFactory.FreePort();
        var prefix = Path.Combine(Path.GetTempPath(), $"cms-nginx-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(prefix, "tmp"));
        var server = block.Groups[1].Value
            .Replace("listen 443 ssl http2;", $"listen 127.0.0.1:{port};")
            .Replace("root /srv/cms/site;", $"root {host.SiteDir};")
            .Replace("127.0.0.1:5080", $"127.0.0.1:{api.Port}");
        File.WriteAllText(Path.Combine(prefix, "nginx.conf"), $$"""
            worker_processes 1;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/error.log warn;
            events { worker_connections 64; }
            http {
              access_log off;
              client_body_temp_path {{prefix}}/tmp; proxy_temp_path {{prefix}}/tmp; fastcgi_temp_path {{prefix}}/tmp;
              uwsgi_temp_path {{prefix}}/tmp; scgi_temp_path {{prefix}}/tmp;
            {{server}}
            }
            """);
        var nginx = File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";
        var user = Environment.UserName;
        using (var p = Process.Start(new ProcessStartInfo(nginx, ["-p", prefix, "-c", Path.Combine(prefix, "nginx.conf"), "-g", $"user {user};"]) { RedirectStandardError = true })!)
        {
            var err = await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.That(p.ExitCode, Is.Zero, "nginx refused the README's configuration: " + err);
        }
        try
        {
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None });
            var baseUrl = $"http://127.0.0.1:{port}";
            for (var i = 0; i < 50 && !File.Exists(Path.Combine(prefix, "nginx.pid")); i++)
                await Task.Delay(100);

            var home = await http.GetAsync(baseUrl + "/");
            Assert.That(home.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await home.Content.ReadAsStringAsync(), Does.Contain("data-rendered=\"publisher\""));
            Assert.That(home.Headers.GetValues("Content-Security-Policy").First(), Does.Contain("require-trusted-types-for 'script'"));
            Assert.That(home.Headers.CacheControl?.NoCache, Is.True);

            var article = await http.GetAsync(baseUrl + PortalTests.SeedUrl);
            Assert.That(article.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(article.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
            Assert.That(await article.Content.ReadAsStringAsync(), Does.Contain(Given.SeedTitle));

            // the home page's focus image: a file the publisher copied beside the pages, served from disk for a year
            var image = Regex.Match(await home.Content.ReadAsStringAsync(), "/media/[0-9a-f]{32}\\.jpg").Value;
            Assert.That(image, Is.Not.Empty, "the home page shows the uploaded focus image");
            var media = await http.GetAsync(baseUrl + image);
            Assert.That(media.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(media.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/jpeg"));
            Assert.That(media.Headers.CacheControl?.ToString(), Does.Contain("immutable"));
            Assert.That(media.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));

            var column = await http.GetAsync(baseUrl + "/article/c/");
            Assert.That(column.StatusCode, Is.EqualTo(HttpStatusCode.OK));

            var old = await http.GetAsync(baseUrl + "/article.html?a=2021-cczg-mayors-forum");
            Assert.That(old.StatusCode, Is.EqualTo(HttpStatusCode.MovedPermanently));
            Assert.That(old.Headers.Location?.ToString(), Does.EndWith(PortalTests.SeedUrl));

            var missing = await http.GetAsync(baseUrl + "/no/such/page.html");
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await missing.Content.ReadAsStringAsync(), Does.Contain("页面不存在"));

            var site = await http.GetAsync(baseUrl + "/api/v1/site");
            Assert.That(site.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await site.Content.ReadAsStringAsync(), Does.Contain("京ICP备14022686号-4"));
            Assert.That((await http.GetAsync(baseUrl + "/feeds/rss.xml")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await http.GetAsync(baseUrl + "/robots.txt")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await http.GetAsync(baseUrl + "/swagger/index.html")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

            var css = await http.GetAsync(baseUrl + "/css/site.css");
            Assert.That(css.Headers.CacheControl?.MaxAge, Is.EqualTo(TimeSpan.FromHours(1)));
            // module scripts load only with a JavaScript type (nosniff)
            foreach (var script in new[] { "/js/pages/article.js", "/vendor/purify.es.mjs" })
            {
                var res = await http.GetAsync(baseUrl + script);
                Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK), script);
                Assert.That(res.Content.Headers.ContentType?.MediaType, Does.EndWith("javascript"), script);
            }
        }
        finally
        {
            if (File.Exists(Path.Combine(prefix, "nginx.pid")))
                Process.Start("kill", File.ReadAllText(Path.Combine(prefix, "nginx.pid")).Trim())!.WaitForExit();
            await Task.Delay(200);
            Directory.Delete(prefix, recursive: true);
        }
    }
}
