using Microsoft.Data.Sqlite;
using Cms.Tests.Api;
using Microsoft.Playwright;

namespace Cms.Tests.Web;

/// <summary>
/// The real app on a loopback port over its own temp database, and Debian's Chromium driven by Playwright. Published
/// (the default): the app runs the publisher into a temp folder and serves it, as make run does; otherwise it serves
/// web/ as it is and pages render by script.
/// </summary>
public sealed class BrowserHost : IAsyncDisposable
{
    private readonly string _dbPath = Path.Combine(Path.GetTempPath(), $"cms-web-{Guid.NewGuid():N}.db");
    private CmsFactory? _factory;

    public string BaseUrl { get; private set; } = "";
    /// <summary>The folder of published pages; null when web/ is served as it is.</summary>
    public string? SiteDir { get; private set; }
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public static string ChromiumPath => Environment.GetEnvironmentVariable("CMS_CHROMIUM") ?? "/usr/bin/chromium";

    public static async Task<BrowserHost> StartAsync(bool published = true)
    {
        var host = new BrowserHost();
        var settings = new Dictionary<string, string>();
        if (published)
        {
            host.SiteDir = Path.Combine(Path.GetTempPath(), $"cms-site-{Guid.NewGuid():N}");
            settings["Cms:Site"] = host.SiteDir;
            settings["Cms:Publisher:Run"] = "true";
        }
        host._factory = new CmsFactory(host._dbPath, settings);
        host.BaseUrl = host._factory.StartOnLoopback();
        if (published)
            await host.WaitForPageAsync("/", "data-rendered", TimeSpan.FromSeconds(60));
        if (!File.Exists(ChromiumPath))
            Assert.Fail($"{ChromiumPath} is missing: install Debian's chromium (make deps). Browser tests never skip.");
        host.Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        host.Browser = await host.Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
        return host;
    }

    /// <summary>Waits until the page at path answers 200 holding text (the publisher has caught up); fails after the timeout.</summary>
    public async Task<string> WaitForPageAsync(string path, string text, TimeSpan? timeout = null)
    {
        var body = "";
        await PollAsync(path, timeout, $"did not hold '{text}'", async res =>
            res.IsSuccessStatusCode && (body = await res.Content.ReadAsStringAsync()).Contains(text, StringComparison.Ordinal));
        return body;
    }

    /// <summary>Waits until the page at path no longer holds text (the publisher rewrote it).</summary>
    public Task WaitForPageWithoutAsync(string path, string text, TimeSpan? timeout = null) =>
        PollAsync(path, timeout, $"still held '{text}'", async res =>
            res.IsSuccessStatusCode && !(await res.Content.ReadAsStringAsync()).Contains(text, StringComparison.Ordinal));

    /// <summary>Waits until path answers 404 (the publisher removed it).</summary>
    public Task WaitForGoneAsync(string path, TimeSpan? timeout = null) =>
        PollAsync(path, timeout, "was not removed", res => Task.FromResult(res.StatusCode == System.Net.HttpStatusCode.NotFound));

    /// <summary>GETs path every 100 ms until done says so; fails naming the last status after the timeout (20 s unless given).</summary>
    private async Task PollAsync(string path, TimeSpan? timeout, string failure, Func<HttpResponseMessage, Task<bool>> done)
    {
        using var http = new HttpClient();
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        var last = "";
        while (DateTime.UtcNow < until)
        {
            using var res = await http.GetAsync(BaseUrl + path);
            last = ((int)res.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (await done(res))
                return;
            await Task.Delay(100);
        }
        Assert.Fail($"{path} {failure} in time (last answer {last})");
    }

    public static string ArtifactPath(string name)
    {
        var dir = Path.Combine(Repo.Root, "tests", "artifacts");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        Playwright?.Dispose();
        _factory?.Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var f in new[] { _dbPath, _dbPath + "-wal", _dbPath + "-shm" })
            File.Delete(f);
        if (SiteDir is not null && Directory.Exists(SiteDir))
            Directory.Delete(SiteDir, recursive: true);
    }
}
