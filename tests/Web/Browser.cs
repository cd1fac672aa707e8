using Microsoft.Data.Sqlite;
using Cms.Tests.Api;
using Microsoft.Playwright;

namespace Cms.Tests.Web;

/// <summary>The real app on a loopback port over its own temp database, and Debian's Chromium driven by Playwright.</summary>
public sealed class BrowserHost : IAsyncDisposable
{
    private readonly string _dbPath = Path.Combine(Path.GetTempPath(), $"cms-web-{Guid.NewGuid():N}.db");
    private CmsFactory? _factory;

    public string BaseUrl { get; private set; } = "";
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public static string ChromiumPath => Environment.GetEnvironmentVariable("CMS_CHROMIUM") ?? "/usr/bin/chromium";

    public static async Task<BrowserHost> StartAsync()
    {
        var host = new BrowserHost();
        host._factory = new CmsFactory(host._dbPath);
        host.BaseUrl = host._factory.StartOnLoopback();
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
    }
}
