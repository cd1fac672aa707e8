using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Cms.Tests.Api;

/// <summary>
/// openapi.yaml judged by third-party tools: Redocly's linter, and three clients generated from it (NSwag and Kiota
/// for C#, @hey-api/openapi-ts for TypeScript, type-checked with tsc --strict), each running the editorial flow
/// against the real app on a loopback port. The tools come from .config/dotnet-tools.json and tests/Contract's npm lock
/// (make test restores both).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ContractTests
{
    private static string Tools => Path.Combine(Repo.Root, "tests", "Contract");
    private static string OpenApi => Path.Combine(Repo.Root, "openapi.yaml");

    private readonly string _db = Path.Combine(Path.GetTempPath(), $"cms-contract-{Guid.NewGuid():N}.db");
    private CmsFactory _site = null!;
    private string _baseUrl = "";

    [OneTimeSetUp]
    public void Start()
    {
        _site = new CmsFactory(_db);
        _baseUrl = _site.StartOnLoopback();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _site.Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var f in new[] { _db, _db + "-wal", _db + "-shm" })
            File.Delete(f);
    }

    private static (int Code, string Output) Run(string workDir, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["KIOTA_OFFLINE_ENABLED"] = "true";   // no update check against the internet
        psi.Environment["NO_COLOR"] = "1";
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        Assert.That(p.WaitForExit(TimeSpan.FromMinutes(4)), Is.True, $"{file} {string.Join(' ', args)} did not finish");
        return (p.ExitCode, stdout + stderr.Result);
    }

    private static void Succeeds(string what, (int Code, string Output) run)
    {
        TestContext.Out.WriteLine($"== {what}\n{run.Output}");
        Assert.That(run.Code, Is.Zero, $"{what} failed:\n{run.Output}");
    }

    /// <summary>Runs a flow program and asserts every one of its steps passed.</summary>
    private static void FlowPasses(string client, (int Code, string Output) run)
    {
        TestContext.Out.WriteLine($"== {client} flow\n{run.Output}");
        Assert.That(run.Output, Does.Contain("11 of 11 steps passed"), $"{client}:\n{run.Output}");
        Assert.That(run.Code, Is.Zero, $"{client}:\n{run.Output}");
        TestContext.Progress.WriteLine($"contract: {client} client ran the editorial flow, 11 of 11 steps passed");
    }

    [Test]
    public void Redocly_recommended_rules_find_no_error_and_no_warning()
    {
        var (code, output) = Run(Tools, Path.Combine(Tools, "node_modules", ".bin", "redocly"), "lint", "--extends", "recommended", "--format", "summary", OpenApi);
        TestContext.Out.WriteLine(output);
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("Your API description is valid"));
        Assert.That(output, Does.Not.Match(@"(?m)^\s*(error|warning)\s"), "no rule reports anything, warnings included");
        Assert.That(output, Does.Not.Contain("You have"), "no warnings summary");
    }

    [Test]
    public void Nswag_csharp_client_runs_the_editorial_flow()
    {
        var dir = Path.Combine(Tools, "nswag");
        Succeeds("nswag openapi2csclient", Run(dir, "dotnet", "nswag", "openapi2csclient", $"/input:{OpenApi}", "/output:Generated/CmsClient.cs",
            "/namespace:Cms.Client", "/className:CmsClient", "/operationGenerationMode:SingleClientFromOperationId",
            "/generateOptionalParameters:true", "/generateOptionalPropertiesAsNullable:true", "/wrapResponses:true", "/exceptionClass:CmsApiException"));
        Succeeds("dotnet build (NSwag flow)", Run(dir, "dotnet", "build", "-nologo", "-v", "quiet", "-clp:ErrorsOnly"));
        FlowPasses("NSwag", Run(dir, "dotnet", Path.Combine(dir, "bin", "Debug", "net10.0", "NSwagFlow.dll"), _baseUrl, App.AdminKey));
    }

    [Test]
    public void Kiota_csharp_client_runs_the_editorial_flow()
    {
        var dir = Path.Combine(Tools, "kiota");
        Succeeds("kiota generate", Run(dir, "dotnet", "kiota", "generate", "-l", "CSharp", "-d", OpenApi, "-o", "Generated",
            "-c", "CmsClient", "-n", "Cms.Client", "--clean-output", "--exclude-backward-compatible"));
        Succeeds("dotnet build (Kiota flow)", Run(dir, "dotnet", "build", "-nologo", "-v", "quiet", "-clp:ErrorsOnly"));
        FlowPasses("Kiota", Run(dir, "dotnet", Path.Combine(dir, "bin", "Debug", "net10.0", "KiotaFlow.dll"), _baseUrl, App.AdminKey));
    }

    [Test]
    public void Typescript_client_type_checks_strictly_and_runs_the_editorial_flow()
    {
        var dir = Path.Combine(Tools, "ts");
        var bin = Path.Combine(Tools, "node_modules", ".bin");
        Succeeds("openapi-ts", Run(dir, Path.Combine(bin, "openapi-ts"), "-f", "openapi-ts.config.mjs"));
        if (Directory.Exists(Path.Combine(dir, "dist")))
            Directory.Delete(Path.Combine(dir, "dist"), recursive: true);
        Succeeds("tsc --strict", Run(dir, Path.Combine(bin, "tsc"), "-p", "tsconfig.json"));
        FlowPasses("TypeScript", Run(dir, "node", Path.Combine(dir, "dist", "flow.js"), _baseUrl, App.AdminKey));
    }
}
