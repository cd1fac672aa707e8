using System.Reflection;
using Cms.Api.Cli;
using Cms.Api.Data;
using Cms.Api.Http;
using FastEndpoints;
using FluentValidation.Results;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.OpenApi;

if (args.Length > 0 && args[0] == "keys")
    return await KeysCommand.RunAsync(args[1..]);
if (args.Length > 0 && args[0] is "backup" or "restore")
    return await BackupCommand.RunAsync(args);
if (args.Length > 0 && args[0] == "audit")
    return await AuditCommand.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "store-copy")
    return await StoreCopyCommand.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "site-health")
    return await SiteHealthCommand.RunAsync(args[1..]);

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    WebRootPath = Startup.WebRoot(),
});

// validation messages name the member as it is spelled in JSON ('categoryId', not 'Category Id')
FluentValidation.ValidatorOptions.Global.DisplayNameResolver = (_, member, _) => member is null ? null : Problems.FieldName(member.Name);

// one line per request (RequestLog) instead of the framework's several; a failed start is one line too (below)
// Cms:JsonLogs=true: one JSON object per line, for a log collector
if (builder.Configuration.GetValue("Cms:JsonLogs", false))
    builder.Logging.ClearProviders().AddJsonConsole(o => o.IncludeScopes = false);
else
    builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);

var db = Startup.OpenDb(builder.Configuration);
if (db.IsPostgres)
{
    // the public read paths run their SQL synchronously (ReadConnection): in-process and quick on SQLite, but each
    // waits on the network on PostgreSQL, so the thread pool must not grow one thread at a time under a burst
    ThreadPool.GetMinThreads(out var workers, out var io);
    ThreadPool.SetMinThreads(Math.Max(workers, Cms.Api.Data.Db.PostgresReadThreads), io);
}
builder.Services.AddSingleton(_ => db);   // a factory registration, so the container disposes it (its read pool) at shutdown
builder.Services.AddAuthentication(ApiKeyAuth.SchemeName)
    .AddScheme<AuthenticationSchemeOptions, ApiKeyAuth>(ApiKeyAuth.SchemeName, null);
builder.Services.AddAuthorization();
builder.Services.AddPublicCors(builder.Configuration);
builder.Services.AddSingleton<PublicCache>();
var revisionsKept = builder.Configuration.GetValue("Cms:Revisions:Keep", 100);
var mediaStore = new Cms.Api.Features.Media.MediaStore(Cms.Api.Features.Media.MediaOptions.From(builder.Configuration, db.FilePath));
builder.Services.AddSingleton(mediaStore);
builder.Services.AddSingleton(Cms.Api.Features.Health.SiteHealthOptions.From(builder.Configuration));
builder.Services.AddCmsCompression();
builder.Services.AddCmsRateLimits(builder.Configuration);
builder.Services.AddCmsMetrics(builder.Configuration);
if (!Startup.UnderOpenApiTool())
{
    builder.Services.AddHostedService<ChangeWatcher>();
    builder.Services.AddHostedService<ScheduledBackups>();
    builder.Services.AddHostedService<SearchIndexMaintenance>();
    builder.Services.AddHostedService<PublisherProcess>();
}
builder.Services.AddFastEndpoints();
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
{
    // framework answers (unknown route, 405, 415) get the same type base, detail and errors as the API's own
    var status = c.ProblemDetails.Status ?? c.HttpContext.Response.StatusCode;
    c.ProblemDetails.Type = Problems.TypeFor(status);
    c.ProblemDetails.Instance ??= c.HttpContext.Request.Path;
    c.ProblemDetails.Detail ??= Problems.DefaultDetail(status);
    c.ProblemDetails.Extensions["traceId"] = c.HttpContext.TraceIdentifier;
    c.ProblemDetails.Extensions.TryAdd("errors", Array.Empty<ApiProblemError>());
});
builder.Services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
builder.Services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o => Json.Configure(o.JsonSerializerOptions));
builder.Services.AddEndpointsApiExplorer();
builder.Services.AddSwaggerGen(o =>
{
    o.SwaggerDoc("v1", new OpenApiInfo
    {
        Title = "Cms API",
        Version = "v1",
        License = new OpenApiLicense { Name = "Proprietary", Identifier = "LicenseRef-Proprietary" },
        Description = "内容管理接口:文章、栏目、局长致辞、站点设置、合作伙伴、相关链接、焦点图。" +
            " Content API of the portal: articles, columns, leadership messages, site settings, partners, links, focus items." +
            " Staff routes under /api/v1/admin need an API key (Authorize: X-Api-Key or Bearer).",
    });
    // a revision's content and a field's values are any JSON (the fields of whichever item it is)
    o.MapType<System.Text.Json.Nodes.JsonNode>(() => new OpenApiSchema { Description = "Any JSON value" });
    o.MapType<System.Text.Json.Nodes.JsonObject>(() => new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalPropertiesAllowed = true });
    o.OperationFilter<OpenApiFilter>();
    o.SchemaFilter<ValidatorSchemaFilter>();
    o.DocumentFilter<OpenApiContract>();
    o.SupportNonNullableReferenceTypes();
    o.UseAllOfToExtendReferenceSchemas();   // a nullable reference is allOf [$ref] + nullable in OpenAPI 3.0
    o.CustomOperationIds(OpenApiContract.OperationId);
    o.AddServer(new OpenApiServer { Url = "/", Description = "This API's own origin (make run: http://127.0.0.1:5080)" });
    o.TagActionsBy(api => api.ActionDescriptor.EndpointMetadata.OfType<ITagsMetadata>().FirstOrDefault()?.Tags.ToList() ?? ["Other"]);
    o.CustomSchemaIds(Startup.SchemaId);
    o.AddSecurityDefinition(ApiKeyAuth.SchemeName, new OpenApiSecurityScheme
    {
        Type = SecuritySchemeType.ApiKey,
        In = ParameterLocation.Header,
        Name = ApiKeyAuth.HeaderName,
        Description = "API key / 接口密钥",
    });
    o.AddSecurityDefinition("Bearer", new OpenApiSecurityScheme
    {
        Type = SecuritySchemeType.Http,
        Scheme = "bearer",
        Description = "The same API key as a bearer token / 以 Bearer 方式发送同一密钥",
    });
});
builder.WebHost.ConfigureKestrel(k =>
{
    k.Limits.MaxRequestBodySize = BodyLimit.MaxBytes;
    k.AddServerHeader = false;
});

var app = builder.Build();

string? newAdminKey = null;
if (!Startup.UnderOpenApiTool())
{
    if (!db.IsPostgres && Path.GetDirectoryName(db.FilePath) is { Length: > 0 } dir)
        Directory.CreateDirectory(dir);
    Migrator.Apply(db);
    if (app.Configuration.GetValue("Cms:DemoContent", app.Environment.IsDevelopment()))
        DemoContent.LoadIfEmpty(db, mediaStore);
    newAdminKey = await Startup.EnsureKeysAsync(db, app.Configuration, app.Environment);
    // the cache applies changes logged from here on
    await app.Services.GetRequiredService<PublicCache>().CatchUpAsync(db, CancellationToken.None);
}

app.Use((ctx, next) =>
{
    Cms.Api.Features.Media.MediaHtml.Use(db);   // library images in HTML written by this request
    Cms.Api.Features.Revisions.Revisions.UseKeep(revisionsKept);
    return next(ctx);
});
app.UseForwardedHeaders();   // X-Forwarded-For only from Cms:TrustedProxies
app.UseMiddleware<RequestLog>();
app.UseMiddleware<ErrorHandling>();
if (app.Configuration.GetValue("Cms:Hsts", false))
    app.UseHsts();   // behind TLS only: browsers then refuse plain http for the site
app.UseMiddleware<RequestShape>();   // HEAD as GET: before routing sees it
// answers the public cache sends are already compressed (once, when cached); this covers the rest
app.UseWhen(ctx => !ctx.Request.Path.StartsWithSegments("/api/v1/admin/keys"), b => b.UseResponseCompression());
app.UseRouting();
app.Use(RequestShape.DropBodilessContentType);
app.UseMiddleware<ResponseHeaders>();
app.UseStatusCodePages();   // empty 404/405/415 answers become problem+json too
app.UseMiddleware<BodyLimit>();
// the published site (Cms:Site, the folder the publisher writes) when there is one, else web/ as it is
var siteRoot = Startup.SiteRoot(app.Configuration);
var portalFiles = siteRoot is not null ? new Microsoft.Extensions.FileProviders.PhysicalFileProvider(siteRoot) : app.Environment.WebRootFileProvider;
app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = portalFiles, DefaultFileNames = ["index.html"] });
app.UseStaticFiles(StaticPages.Options(portalFiles));
if (siteRoot is not null)
    app.UseMiddleware<PortalRedirects>();
// GET/HEAD only, no credentials, no key headers, and never on staff routes: they stay same-origin
app.UseWhen(ctx => !ctx.Request.Path.StartsWithSegments("/api/v1/admin"), b => b.UseCors(Cors.PublicPolicy));
app.UseMiddleware<PublicCacheMiddleware>();
app.UseMiddleware<PortalNotFound>(portalFiles);
app.UseMiddleware<AuditTrail>();   // every staff write and failed authentication, once the request is done
app.UseMiddleware<RateLimits.AuthFailureGate>();
app.UseAuthentication();
app.UseAuthorization();
app.Use((ctx, next) =>
{
    // revisions name the key that saved them
    if (ctx.User.Identity?.IsAuthenticated == true)
        Cms.Api.Features.Revisions.Revisions.Actor(ctx.User.KeyId(), ctx.User.Identity.Name ?? "");
    return next(ctx);
});
app.UseRateLimiter();   // after the cache: cached reads are never limited
app.UseFastEndpoints(c =>
{
    Json.Configure(c.Serializer.Options);
    c.Errors.ContentType = "application/problem+json";
    c.Errors.ResponseBuilder = (failures, ctx, status) => Problems.FromFailures(failures, ctx, status);
    c.Errors.ProducesMetadataType = typeof(ApiProblem);
    c.Binding.JsonExceptionTransformer = Startup.JsonError;
    c.Binding.FailureMessage = Startup.BindingError;
    c.Endpoints.Configurator = ep => ep.PreProcessors(Order.Before, new QueryAllowlist());
});
app.UseSwagger(o => o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1);
app.MapCmsMetrics();
// Swagger UI is the staff tool: Cms:SwaggerUi on, off, or a host name it answers on only (a staff origin whose storage
// the public portal never shares); on by default in Development only. The document itself stays public.
var swaggerUi = app.Configuration["Cms:SwaggerUi"] ?? (app.Environment.IsDevelopment() ? "on" : "off");
app.UseWhen(ctx => swaggerUi == "on" || (swaggerUi != "off" && string.Equals(ctx.Request.Host.Host, swaggerUi, StringComparison.OrdinalIgnoreCase)),
    b => b.UseSwaggerUI(o =>
    {
        o.DocumentTitle = "Cms API · 内容管理接口";
        // the key stays in the tab's memory unless asked for: a script on the same origin could read localStorage
        if (app.Configuration.GetValue("Cms:SwaggerUiPersistKey", false))
            o.EnablePersistAuthorization();
        o.EnableTryItOutByDefault();
    }));

app.Lifetime.ApplicationStarted.Register(() =>
{
    var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
    var url = addresses.FirstOrDefault()?.Replace("0.0.0.0", "127.0.0.1").Replace("[::]", "127.0.0.1");
    if (url is null)
        return;
    Console.WriteLine();
    Console.WriteLine($"  Cms is running on {db.Describe}");
    Console.WriteLine($"  API:         {url}/api/v1/site");
    Console.WriteLine($"  Swagger UI:  {url}/swagger");
    if (app.Environment.WebRootPath is { } web && File.Exists(Path.Combine(web, "index.html")))
        Console.WriteLine($"  Portal:      {url}/");
    Console.WriteLine(newAdminKey is not null
        ? $"  Admin key:   {newAdminKey}   (shown on this first start only: keep it; Swagger UI → Authorize)"
        : Startup.HasKeys(db)
            ? "  Admin key:   made earlier; make another with: dotnet run --project api -- keys create --role admin --name 管理员"
            : "  Admin key:   none yet; make one with: dotnet run --project api -- keys create --role admin --name 管理员");
    Console.WriteLine();
});

try
{
    await app.RunAsync();
}
catch (IOException e) when (e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
    || e.InnerException?.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) == true)
{
    Console.Error.WriteLine($"Cms could not start: {e.Message.TrimEnd('.')}. Stop the other process or choose another port (make run PORT=5081).");
    return 1;
}
catch (Exception e) when (e is IOException or InvalidOperationException or FormatException or UriFormatException)
{
    Console.Error.WriteLine($"Cms could not start: {e.Message}");
    return 1;
}
return 0;

/// <summary>Start-up decisions kept out of the composition above.</summary>
internal static class Startup
{
    /// <summary>
    /// The store (Cms:Store: sqlite, the default, or postgres) over ConnectionStrings:Cms; SQLite without a connection
    /// string uses CMS_DB, else data/cms.db.
    /// </summary>
    public static Db OpenDb(IConfiguration config)
    {
        var store = config["Cms:Store"]?.Trim().ToLowerInvariant() switch
        {
            null or "" or "sqlite" => StoreKind.Sqlite,
            "postgres" or "postgresql" => StoreKind.Postgres,
            var other => throw new InvalidOperationException($"Cms:Store must be sqlite or postgres (got '{other}')."),
        };
        if (store == StoreKind.Postgres && string.IsNullOrEmpty(config.GetConnectionString("Cms")))
            throw new InvalidOperationException("Cms:Store=postgres needs ConnectionStrings:Cms (e.g. Host=127.0.0.1;Port=5432;Database=cms;Username=cms).");
        return new Db(ConnectionString(config), store);
    }

    public static string ConnectionString(IConfiguration config)
    {
        var cs = config.GetConnectionString("Cms");
        if (!string.IsNullOrEmpty(cs))
            return cs;
        // the file lives outside web/, which is the only folder served as static files
        var path = Environment.GetEnvironmentVariable("CMS_DB") is { Length: > 0 } p ? Path.GetFullPath(p) : Path.Combine(Home(), "data", "cms.db");
        return $"Data Source={path}";
    }

    /// <summary>
    /// The checkout (the folder holding Cms.sln, found upwards from the current one) or else the current folder, so
    /// that make run, dotnet run --project api and the keys command all use the same data/ and web/.
    /// </summary>
    public static string Home()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cms.sln")))
                return dir.FullName;
        }
        return Environment.CurrentDirectory;
    }

    /// <summary>
    /// Cms:Site (or CMS_SITE): the folder of published pages the publisher writes, served at /; null when the API
    /// serves web/ as it is (pages rendered by script).
    /// </summary>
    public static string? SiteRoot(IConfiguration config) =>
        (config["Cms:Site"] ?? Environment.GetEnvironmentVariable("CMS_SITE")) is { Length: > 0 } s
            ? Directory.CreateDirectory(Path.GetFullPath(s)).FullName : null;

    /// <summary>CMS_WEB, else web/ in the checkout; null when there is none.</summary>
    public static string? WebRoot()
    {
        var dir = Environment.GetEnvironmentVariable("CMS_WEB") is { Length: > 0 } w ? Path.GetFullPath(w) : Path.Combine(Home(), "web");
        return Directory.Exists(dir) ? dir : null;
    }

    /// <summary>The Swashbuckle CLI boots Program to read the document; it must not migrate or seed anything.</summary>
    public static bool UnderOpenApiTool() =>
        Assembly.GetEntryAssembly()?.GetName().Name is "dotnet-swagger" or "Swashbuckle.AspNetCore.Cli"
        || Environment.GetEnvironmentVariable("CMS_OPENAPI_ONLY") == "1";

    /// <summary>Cms:AdminKey makes sure that key exists (tests, automated installs); Development creates one on the first run.</summary>
    public static async Task<string?> EnsureKeysAsync(Db db, IConfiguration config, IWebHostEnvironment env)
    {
        await using var conn = await db.OpenAsync();
        var configured = config["Cms:AdminKey"];
        if (!string.IsNullOrEmpty(configured))
        {
            var exists = await Dapper.SqlMapper.ExecuteScalarAsync<long>(conn, "SELECT count(*) FROM api_keys WHERE key_hash = @h", new { h = ApiKeys.Hash(configured) });
            if (exists == 0)
                await ApiKeys.CreateAsync(db, "configured admin", Role.Admin, configured);
            return null;
        }
        var any = await Dapper.SqlMapper.ExecuteScalarAsync<long>(conn, "SELECT count(*) FROM api_keys");
        if (any > 0 || !env.IsDevelopment())
            return null;
        // shown before it is stored: a start killed in between leaves no key, and the next start makes and shows one;
        // the other order could store a key nobody ever saw
        var key = ApiKeys.NewKey();
        Console.WriteLine($"  First-run admin key: {key}");
        Console.Out.Flush();
        await ApiKeys.CreateAsync(db, "first-run admin", Role.Admin, key);
        return key;
    }

    public static bool HasKeys(Db db)
    {
        using var conn = db.Open();
        return Dapper.SqlMapper.ExecuteScalar<long>(conn, "SELECT count(*) FROM api_keys") > 0;
    }

    /// <summary>Malformed JSON names the offending member (or "body"), never the parser's internals.</summary>
    public static ValidationFailure JsonError(System.Text.Json.JsonException ex)
    {
        var path = ex.Path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : "body";
        var reason = ex.Message.Contains("could not be mapped", StringComparison.Ordinal) ? $"Unknown field '{path}'."
            : ex.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase) ? "Duplicate JSON property."
            : ex.Message.Contains("allow setting null", StringComparison.Ordinal) || ex.Message.Contains("null values", StringComparison.Ordinal) ? $"'{path}' must not be null."
            : path == "body" ? "The request body is not valid JSON for this operation."
            : $"'{path}' has a value of the wrong type or format.";
        return new ValidationFailure(path, reason);
    }

    /// <summary>A query or route value of the wrong type, said in words, without echoing it or naming .NET types.</summary>
    public static string BindingError(Type type, string name, Microsoft.Extensions.Primitives.StringValues value)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        var expected = t.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(t).Select(n => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(n)))
            : t == typeof(int) || t == typeof(long) ? "a whole number"
            : t == typeof(bool) ? "true or false"
            : t == typeof(DateOnly) ? "a date such as 2021-05-24"
            : t == typeof(DateTimeOffset) || t == typeof(DateTime) ? "an ISO 8601 time such as 2021-05-24T10:00:00+08:00"
            : "a valid value";
        return $"'{System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name)}' must be {expected}.";
    }

    public static string SchemaId(Type t)
    {
        var name = t.IsNested ? $"{t.DeclaringType!.Name}.{t.Name}" : t.Name;
        if (!t.IsGenericType)
            return name;
        return name[..name.IndexOf('`')] + "Of" + string.Concat(t.GetGenericArguments().Select(SchemaId));
    }
}
