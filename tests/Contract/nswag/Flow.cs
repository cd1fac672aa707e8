// The editorial flow through the C# client NSwag generates from openapi.yaml: no hand-written HTTP.
// Usage: dotnet run -- BASE_URL ADMIN_KEY. Prints one line per step; the exit code is the number of failed steps.
using Cms.Client;

var baseUrl = args[0];
var key = args[1];
var failures = 0;

using var http = new HttpClient();
http.DefaultRequestHeaders.Add("X-Api-Key", key);
var client = new CmsClient(http) { BaseUrl = baseUrl };

async Task Step(string name, Func<Task> body)
{
    try
    {
        await body();
        Console.WriteLine($"ok   {name}");
    }
    catch (CmsApiException<ApiProblem> e)
    {
        failures++;
        Console.WriteLine($"FAIL {name}: {e.StatusCode} {e.Result.Detail} {string.Join("; ", e.Result.Errors.Select(x => $"{x.Name}: {x.Reason}"))}");
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

static string ETag(SwaggerResponse r) =>
    r.Headers.FirstOrDefault(h => h.Key.Equals("ETag", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault()
    ?? throw new InvalidOperationException("no ETag header");

const string SeedTitle = "“产城融合•场景营城”——2021中博会•产城中国市长论坛成功举办";
string seedETag = "";
long id = 0;
string etag = "";
string staleETag = "";
var slug = "nswag-flow-" + Guid.NewGuid().ToString("N")[..8];

await Step("read the site", async () =>
{
    var site = (await client.GetSiteAsync()).Result;
    Expect(site.Settings?.SiteName == "商务部投资促进事务局", $"site name {site.Settings?.SiteName}");
    Expect(site.Navigation.Count > 0, "navigation");
});
await Step("list column c", async () =>
{
    var page = (await client.ListArticlesAsync(category: "c", page: 1, pageSize: 10)).Result;
    Expect(page.Items.Count > 0 && page.Page.TotalItems > 0, "items");
    Expect(page.Items.All(i => i.Category.Code == "c"), "column");
});
await Step("read the seed article, nulls included", async () =>
{
    var response = await client.GetArticleAsync("2021-cczg-mayors-forum");
    var a = response.Result;
    Expect(a.Title == SeedTitle, $"title {a.Title}");
    Expect(a.LegacyId == "20210503064097" && a.Source == "商务部投资促进事务局" && a.ArticleType == ArticleType.Original, "provenance");
    Expect(a.Subtitle is null && a.Validity is null && a.CoverImage is null, "null fields read as null");
    Expect(a.Breadcrumb.Count > 0 && a.Category.Code == "c", "breadcrumb");
    seedETag = ETag(response);
});
await Step("conditional GET answers 304", async () =>
{
    try
    {
        await client.GetArticleAsync("2021-cczg-mayors-forum", if_None_Match: seedETag);
        throw new InvalidOperationException("expected 304");
    }
    catch (CmsApiException e) when (e.StatusCode == 304)
    {
    }
});
await Step("create a draft", async () =>
{
    var created = await client.CreateArticleAsync(new CreateArticleRequest
    {
        Slug = slug,
        CategoryId = 2,
        Title = "“产城中国”投资联盟在太原成立",
        BodyHtml = "<p>5月21日下午,2021中博会•产城中国市长论坛在山西太原市成功举办。</p>",
        Source = "商务部投资促进事务局",
        ArticleType = ArticleType.Original,
        Tags = ["中博会", "产城中国"],
    });
    Expect(created.StatusCode == 201, $"status {created.StatusCode}");
    Expect(created.Result.Status == ArticleStatus.Draft && created.Result.Title == "“产城中国”投资联盟在太原成立", "stored as sent");
    id = created.Result.Id;
    etag = ETag(created);
});
await Step("publish", async () =>
{
    var published = await client.PublishArticleAsync(id);
    Expect(published.Result.Status == ArticleStatus.Published, "published");
    staleETag = etag;
    etag = ETag(published);
});
await Step("replace with PUT and If-Match", async () =>
{
    var put = await client.UpdateArticleAsync(id, etag, new UpdateArticleRequest
    {
        Slug = slug,
        CategoryId = 2,
        Title = "“产城中国”投资联盟成立",
        BodyHtml = "<p>会上成立了产城中国投资联盟。</p>",
        Source = "商务部投资促进事务局",
        ArticleType = ArticleType.Original,
        Tags = ["中博会"],
    });
    Expect(put.Result.Title == "“产城中国”投资联盟成立" && put.Result.Status == ArticleStatus.Published, "replaced and still public");
    etag = ETag(put);
});
await Step("change one field with PATCH and If-Match", async () =>
{
    var patched = await client.PatchArticleAsync(id, etag, new ArticlePatch { Summary = "产城中国投资联盟成立。" });
    Expect(patched.Result.Summary == "产城中国投资联盟成立。", "summary");
    Expect(patched.Result.Title == "“产城中国”投资联盟成立" && patched.Result.Tags.SequenceEqual(["中博会"]), "the other fields untouched");
    etag = ETag(patched);
});
await Step("a stale If-Match is a typed 412", async () =>
{
    try
    {
        await client.PatchArticleAsync(id, staleETag, new ArticlePatch { Title = "不该写入" });
        throw new InvalidOperationException("expected 412");
    }
    catch (CmsApiException<ApiProblem> e) when (e.StatusCode == 412)
    {
        Expect(e.Result.Status == 412 && e.Result.Errors.Any(x => x.Name == "If-Match"), "problem names If-Match");
    }
});
await Step("take offline", async () =>
{
    var offline = await client.TakeArticleOfflineAsync(id);
    Expect(offline.Result.Status == ArticleStatus.Offline, "offline");
    etag = ETag(offline);
});
await Step("delete", async () =>
{
    var deleted = await client.DeleteArticleAsync(id, etag);
    Expect(deleted.StatusCode == 204, $"status {deleted.StatusCode}");
    try
    {
        await client.AdminGetArticleAsync(id);
        throw new InvalidOperationException("still there");
    }
    catch (CmsApiException<ApiProblem> e) when (e.StatusCode == 404)
    {
    }
});

Console.WriteLine($"{11 - failures} of 11 steps passed");
return failures;
