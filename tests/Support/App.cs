using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cms.Api.Features.Keys;
using Cms.Api.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.Tests;

/// <summary>The real app in-process over a temp SQLite file, built once for the whole run, with a client per role.</summary>
[SetUpFixture]
public sealed class App
{
    public const string AdminKey = "cms_test-admin-key-for-the-suite-0001";
    public const string PartnerOrigin = "https://partner.example.gov.cn";

    public static CmsFactory Factory { get; private set; } = null!;
    public static string DbPath { get; private set; } = "";
    /// <summary>No key: what the public and partners see.</summary>
    public static HttpClient Client { get; private set; } = null!;
    public static HttpClient Admin { get; private set; } = null!;
    public static HttpClient Editor { get; private set; } = null!;
    public static HttpClient Author { get; private set; } = null!;
    /// <summary>A second author, for "own drafts only".</summary>
    public static HttpClient OtherAuthor { get; private set; } = null!;
    public static string EditorKey { get; private set; } = "";
    public static string AuthorKey { get; private set; } = "";

    [OneTimeSetUp]
    public async Task Start()
    {
        DbPath = Path.Combine(Path.GetTempPath(), $"cms-test-{Guid.NewGuid():N}.db");
        Factory = new CmsFactory(DbPath);
        Client = NewClient();
        Admin = WithKey(AdminKey);
        EditorKey = await NewKeyAsync("编辑甲", KeyRole.Editor);
        AuthorKey = await NewKeyAsync("作者乙", KeyRole.Author);
        Editor = WithKey(EditorKey);
        Author = WithKey(AuthorKey);
        OtherAuthor = WithKey(await NewKeyAsync("作者丙", KeyRole.Author));
    }

    [OneTimeTearDown]
    public void Stop()
    {
        var line = $"contract: {Contract.Validated} responses validated against openapi.yaml, {Contract.ViolationCount} violations";
        TestContext.Progress.WriteLine(line);
        Directory.CreateDirectory(Path.Combine(Api.Repo.Root, "TestResults"));
        File.WriteAllText(Path.Combine(Api.Repo.Root, "TestResults", "contract.txt"), line + "\n");
        Client?.Dispose();
        Admin?.Dispose();
        Editor?.Dispose();
        Author?.Dispose();
        OtherAuthor?.Dispose();
        Factory?.Dispose();
        TestStore.Drop(DbPath);
        var media = Cms.Api.Features.Media.MediaOptions.DefaultRoot(DbPath);
        if (Directory.Exists(media))
            Directory.Delete(media, recursive: true);
    }

    /// <summary>A client whose every answer is checked against openapi.yaml (ContractCheck).</summary>
    public static HttpClient NewClient() =>
        Factory.CreateDefaultClient(new Microsoft.AspNetCore.Mvc.Testing.Handlers.RedirectHandler(), new ContractRecorder());

    public static HttpClient WithKey(string key)
    {
        var c = NewClient();
        c.DefaultRequestHeaders.Add("X-Api-Key", key);
        return c;
    }

    public static HttpClient WithBearer(string key)
    {
        var c = NewClient();
        c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return c;
    }

    public static async Task<string> NewKeyAsync(string name, KeyRole role)
    {
        var res = await Admin.PostAsJsonAsync("/api/v1/admin/keys", new { name, role = ApiJson.EnumText(role) });
        res.EnsureSuccessStatusCode();
        return (await res.Content.ReadFromJsonAsync<CreatedKey>(ApiJson.Options))!.Key;
    }
}

/// <summary>The app over a temp file; <paramref name="environment"/> Production keeps the product's own defaults (no Swagger UI, no demo content).</summary>
public sealed class CmsFactory(string dbPath, IReadOnlyDictionary<string, string>? settings = null, string environment = "Testing") : WebApplicationFactory<Program>
{
    /// <summary>Starts the real app on a free loopback port (Kestrel) and returns its base address, e.g. http://127.0.0.1:41234.</summary>
    public string StartOnLoopback()
    {
        UseKestrel(0);
        StartServer();
        return Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First()
            .Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1").TrimEnd('/');
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (k, v) in settings ?? new Dictionary<string, string>())
            builder.UseSetting(k, v);
        builder.UseEnvironment(environment);
        foreach (var (k, v) in TestStore.Settings(dbPath))
        {
            if (settings?.ContainsKey(k) != true)
                builder.UseSetting(k, v);
        }
        builder.UseSetting("Cms:AdminKey", App.AdminKey);
        builder.UseSetting("Cms:CorsOrigins", App.PartnerOrigin);
        if (environment != "Production" && settings?.ContainsKey("Cms:SwaggerUi") != true)
            builder.UseSetting("Cms:SwaggerUi", "on");
        if (environment != "Production" && settings?.ContainsKey("Cms:DemoContent") != true)
            builder.UseSetting("Cms:DemoContent", "true");
        // the suite writes and searches far faster than any person; RateLimitTests checks the limits on a site of its own
        foreach (var limit in new[] { "AuthFailuresPerMinute", "WritesPerMinute", "SearchAndSyncPerMinute" })
        {
            if (settings?.ContainsKey($"Cms:RateLimits:{limit}") != true)
                builder.UseSetting($"Cms:RateLimits:{limit}", "1000000");
        }
    }
}
