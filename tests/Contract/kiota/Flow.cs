// The editorial flow through the C# client Kiota generates from openapi.yaml: no hand-written HTTP.
// Usage: dotnet run -- BASE_URL ADMIN_KEY. Prints one line per step; the exit code is the number of failed steps.
using Cms.Client;
using Cms.Client.Models;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

var baseUrl = args[0];
var key = args[1];
var failures = 0;

// Kiota's own API-key provider insists on https; the key goes as a default header of Kiota's HTTP client instead
var http = KiotaClientFactory.Create();
http.DefaultRequestHeaders.Add("X-Api-Key", key);
var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = baseUrl };
var client = new CmsClient(adapter);

async Task Step(string name, Func<Task> body)
{
    try
    {
        await body();
        Console.WriteLine($"ok   {name}");
    }
    catch (ApiProblem e)
    {
        failures++;
        Console.WriteLine($"FAIL {name}: {e.ResponseStatusCode} {e.Detail} {string.Join("; ", (e.Errors ?? []).Select(x => $"{x.Name}: {x.Reason}"))}");
    }
    catch (Exception e)
    {
        failures++;
        Console.WriteLine($"FAIL {name}: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
    }
}

static void Expect(bool condition, string what)
{
    if (!condition)
        throw new InvalidOperationException(what);
}

// response headers (the ETag) come through Kiota's headers inspection option
static (Action<RequestConfiguration<DefaultQueryParameters>> Configure, HeadersInspectionHandlerOption Seen) Headers(string? ifMatch = null, string? ifNoneMatch = null)
{
    var seen = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
    return (c =>
    {
        c.Options.Add(seen);
        if (ifMatch is not null)
            c.Headers.Add("If-Match", ifMatch);
        if (ifNoneMatch is not null)
            c.Headers.Add("If-None-Match", ifNoneMatch);
    }, seen);
}

static string ETag(HeadersInspectionHandlerOption seen) =>
    seen.ResponseHeaders.TryGetValue("ETag", out var values) ? values.First() : throw new InvalidOperationException("no ETag header");

const string SeedTitle = "“产城融合•场景营城”——2021中博会•产城中国市长论坛成功举办";
string seedETag = "";
long id = 0;
string etag = "";
string staleETag = "";
var slug = "kiota-flow-" + Guid.NewGuid().ToString("N")[..8];

await Step("read the site", async () =>
{
    var site = await client.Api.V1.Site.GetAsync();
    Expect(site?.Settings?.SiteName == "商务部投资促进事务局", $"site name {site?.Settings?.SiteName}");
    Expect(site!.Navigation!.Count > 0, "navigation");
});
await Step("list column c", async () =>
{
    var page = await client.Api.V1.Articles.GetAsync(c =>
    {
        c.QueryParameters.Category = "c";
        c.QueryParameters.PageSize = 10;
    });
    Expect(page!.Items!.Count > 0 && page.Page!.TotalItems > 0, "items");
    Expect(page.Items.All(i => i.Category!.Code == "c"), "column");
});
await Step("read the seed article, nulls included", async () =>
{
    var (configure, seen) = Headers();
    var a = await client.Api.V1.Articles["2021-cczg-mayors-forum"].GetAsync(configure);
    Expect(a!.Title == SeedTitle, $"title {a.Title}");
    Expect(a.LegacyId == "20210503064097" && a.Source == "商务部投资促进事务局" && a.ArticleType == ArticleType.Original, "provenance");
    Expect(a.Subtitle is null && a.Validity is null && a.CoverImage is null, "null fields read as null");
    Expect(a.Breadcrumb!.Count > 0 && a.Category!.Code == "c", "breadcrumb");
    seedETag = ETag(seen);
});
await Step("conditional GET answers 304", async () =>
{
    var (configure, _) = Headers(ifNoneMatch: seedETag);
    try
    {
        var again = await client.Api.V1.Articles["2021-cczg-mayors-forum"].GetAsync(configure);
        Expect(again is null, "304 has no body");
    }
    catch (ApiException e) when (e.ResponseStatusCode == 304)
    {
    }
});
await Step("create a draft", async () =>
{
    var (configure, seen) = Headers();
    var created = await client.Api.V1.Admin.Articles.PostAsync(new CreateArticleRequest
    {
        Slug = slug,
        CategoryId = 2,
        Title = "“产城中国”投资联盟在太原成立",
        BodyHtml = "<p>5月21日下午,2021中博会•产城中国市长论坛在山西太原市成功举办。</p>",
        Source = "商务部投资促进事务局",
        ArticleType = ArticleType.Original,
        Tags = ["中博会", "产城中国"],
    }, configure);
    Expect(created!.Status == ArticleStatus.Draft && created.Title == "“产城中国”投资联盟在太原成立", "stored as sent");
    id = created.Id!.Value;
    etag = ETag(seen);
});
await Step("publish", async () =>
{
    var (configure, seen) = Headers();
    var published = await client.Api.V1.Admin.Articles[id].Publish.PostAsync(configure);
    Expect(published!.Status == ArticleStatus.Published, "published");
    staleETag = etag;
    etag = ETag(seen);
});
await Step("replace with PUT and If-Match", async () =>
{
    var (configure, seen) = Headers(ifMatch: etag);
    var put = await client.Api.V1.Admin.Articles[id].PutAsync(new UpdateArticleRequest
    {
        Slug = slug,
        CategoryId = 2,
        Title = "“产城中国”投资联盟成立",
        BodyHtml = "<p>会上成立了产城中国投资联盟。</p>",
        Source = "商务部投资促进事务局",
        ArticleType = ArticleType.Original,
        Tags = ["中博会"],
    }, configure);
    Expect(put!.Title == "“产城中国”投资联盟成立" && put.Status == ArticleStatus.Published, "replaced and still public");
    etag = ETag(seen);
});
await Step("change one field with PATCH and If-Match", async () =>
{
    var (configure, seen) = Headers(ifMatch: etag);
    var patched = await client.Api.V1.Admin.Articles[id].PatchAsync(new ArticlePatch { Summary = "产城中国投资联盟成立。" }, configure);
    Expect(patched!.Summary == "产城中国投资联盟成立。", "summary");
    Expect(patched.Title == "“产城中国”投资联盟成立" && patched.Tags!.SequenceEqual(["中博会"]), "the other fields untouched");
    etag = ETag(seen);
});
await Step("a stale If-Match is a typed 412", async () =>
{
    var (configure, _) = Headers(ifMatch: staleETag);
    try
    {
        await client.Api.V1.Admin.Articles[id].PatchAsync(new ArticlePatch { Title = "不该写入" }, configure);
        throw new InvalidOperationException("expected 412");
    }
    catch (ApiProblem e) when (e.ResponseStatusCode == 412)
    {
        Expect(e.Status == 412 && e.Errors!.Any(x => x.Name == "If-Match"), "problem names If-Match");
    }
});
await Step("take offline", async () =>
{
    var (configure, seen) = Headers();
    var offline = await client.Api.V1.Admin.Articles[id].Offline.PostAsync(configure);
    Expect(offline!.Status == ArticleStatus.Offline, "offline");
    etag = ETag(seen);
});
await Step("delete", async () =>
{
    var (configure, _) = Headers(ifMatch: etag);
    await client.Api.V1.Admin.Articles[id].DeleteAsync(configure);
    try
    {
        await client.Api.V1.Admin.Articles[id].GetAsync();
        throw new InvalidOperationException("still there");
    }
    catch (ApiProblem e) when (e.ResponseStatusCode == 404)
    {
    }
});

Console.WriteLine($"{11 - failures} of 11 steps passed");
return failures;
