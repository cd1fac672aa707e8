using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cms.Api.Features.Categories;
using Cms.Api.Features.Focus;
using Cms.Api.Features.Leadership;
using Cms.Api.Features.Links;
using Cms.Api.Features.Partners;
using Cms.Api.Features.Site;
using Cms.Api.Http;

namespace Cms.Tests.Api;

/// <summary>The main path of every endpoint besides articles: columns, leadership messages, settings, partners, links, focus items, keys.</summary>
[TestFixture]
public sealed class ContentTests
{
    private static async Task<T> ReadAsync<T>(HttpResponseMessage res, HttpStatusCode status)
    {
        Assert.That(res.StatusCode, Is.EqualTo(status), await res.Content.ReadAsStringAsync());
        return (await res.Content.ReadFromJsonAsync<T>(ApiJson.Options))!;
    }

    [Test]
    public async Task Healthz_answers_200()
    {
        var res = await App.Client.GetAsync("/healthz");
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = System.Text.Json.Nodes.JsonNode.Parse(await res.Content.ReadAsStringAsync())!;
        Assert.That(body["status"]!.GetValue<string>(), Is.EqualTo("ok"));
        Assert.That(body["checks"]!["database"]!.GetValue<string>(), Is.EqualTo("ok"));
    }

    [Test]
    public async Task Site_bundle_has_the_seed_footer_navigation_partners_links_focus_and_teaser()
    {
        var site = await App.Client.GetFromJsonAsync<SiteBundle>("/api/v1/site", ApiJson.Options);
        var s = site!.Settings!;
        Assert.That(s.CopyrightHolder, Is.EqualTo("商务部投资促进事务局"));
        Assert.That(s.Address, Is.EqualTo("北京市东城区安定门外大街东后巷28号1号楼"));
        Assert.That(s.Postcode, Is.EqualTo("100710"));
        Assert.That(s.TechSupport, Is.EqualTo("中国国际电子商务中心"));
        Assert.That(s.Phone, Is.EqualTo("010-85093020"));
        Assert.That(s.IcpNumber, Is.EqualTo("京ICP备14022686号-4"));
        Assert.That(s.PublicSecurityFilingText, Is.EqualTo("京公网安备 11010102004466号"));
        Assert.That(s.DisclaimerTitle, Is.EqualTo("商务部网站版权与免责声明"));
        Assert.That(s.DisclaimerHtml, Does.Contain("转载、编 译或摘编的目的在于传递更多信息"));
        Assert.That(site.Navigation.Select(n => n.Name), Is.SupersetOf(new[] { "局情介绍", "工作动态", "通知公告", "专题专栏" }));
        Assert.That(site.Navigation.Single(n => n.Code == "ztzl").Children.Select(c => c.Name), Has.Member("产城中国"));
        Assert.That(site.Partners.Select(p => p.Name), Is.SupersetOf(new[] { "全国工商联房地产商会特色小镇分会", "山西省投资促进局" }));
        Assert.That(site.Links.Select(g => g.Group), Is.SupersetOf(new[] { "政府网站", "投资促进" }));
        Assert.That(site.FocusItems.Select(f => f.Article?.Slug), Has.Member("2021-cczg-mayors-forum"));
        Assert.That(site.Leadership!.Excerpt, Does.StartWith("吸收外商直接投资与开展对外投资合作"));
    }

    [Test]
    public async Task Column_tree_and_one_column()
    {
        var tree = await App.Client.GetFromJsonAsync<List<CategoryNode>>("/api/v1/categories", ApiJson.Options);
        Assert.That(tree!.Select(c => c.Code), Is.SupersetOf(new[] { "jqjs", "c", "tzgg", "ztzl" }));
        var col = await App.Client.GetFromJsonAsync<ColumnResponse>("/api/v1/categories/ztzl", ApiJson.Options);
        Assert.That(col!.Column.Name, Is.EqualTo("专题专栏"));
        Assert.That(col.Column.Kind, Is.EqualTo(CategoryKind.TopicIndex));
        Assert.That(col.Column.Children.Select(c => c.Code), Has.Member("zt_cczg"));
        var work = await App.Client.GetFromJsonAsync<ColumnResponse>("/api/v1/categories/c", ApiJson.Options);
        Assert.That(work!.LastPublishedAt, Is.Not.Null);
        var topic = await App.Client.GetFromJsonAsync<ColumnResponse>("/api/v1/categories/zt_cczg", ApiJson.Options);
        Assert.That(topic!.Breadcrumb.Select(b => b.Name), Is.EqualTo(new[] { "专题专栏", "产城中国" }));
        await Problem.AssertAsync(await App.Client.GetAsync("/api/v1/categories/nope"), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Columns_are_created_updated_hidden_and_deleted()
    {
        var code = "x" + Guid.NewGuid().ToString("N")[..8];
        var created = await ReadAsync<AdminCategory>(await App.Editor.PostAsJsonAsync("/api/v1/admin/categories",
            new { code, name = "新栏目", kind = "list", sortOrder = 90, description = "说明" }), HttpStatusCode.Created);
        Assert.That((await App.Client.GetAsync($"/api/v1/categories/{code}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await Problem.AssertAsync(await App.Editor.PostAsJsonAsync("/api/v1/admin/categories", new { code, name = "重复", kind = "list" }),
            HttpStatusCode.Conflict, "code");

        var hidden = await ReadAsync<AdminCategory>(await Given.SendAsync(App.Editor, HttpMethod.Put, $"/api/v1/admin/categories/{created.Id}",
            JsonSerializer.Serialize(new { code, name = "改名", kind = "list", isHidden = true }), IfMatch.ETag(created.Version)), HttpStatusCode.OK);
        Assert.That(hidden.Name, Is.EqualTo("改名"));
        Assert.That((await App.Client.GetAsync($"/api/v1/categories/{code}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        var self = await Given.SendAsync(App.Editor, HttpMethod.Put, $"/api/v1/admin/categories/{created.Id}",
            JsonSerializer.Serialize(new { code, name = "环", kind = "list", parentId = created.Id }), IfMatch.ETag(hidden.Version));
        await Problem.AssertAsync(self, HttpStatusCode.BadRequest, "parentId");

        var inUse = await Given.SendAsync(App.Editor, HttpMethod.Delete, "/api/v1/admin/categories/2", ifMatch: "*");
        await Problem.AssertAsync(inUse, HttpStatusCode.Conflict);
        var del = await Given.SendAsync(App.Editor, HttpMethod.Delete, $"/api/v1/admin/categories/{created.Id}", ifMatch: IfMatch.ETag(hidden.Version));
        Assert.That(del.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await App.Editor.GetAsync($"/api/v1/admin/categories/{created.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Leadership_messages_switch_the_current_one()
    {
        var current = await App.Client.GetFromJsonAsync<LeadershipMessage>("/api/v1/leadership-messages/current", ApiJson.Options);
        Assert.That(current!.Title, Is.EqualTo("局长致辞"));
        var created = await ReadAsync<LeadershipMessage>(await App.Editor.PostAsJsonAsync("/api/v1/admin/leadership-messages",
            new { title = "新任局长致辞", leaderName = "新局长", leaderTitle = "局长", excerpt = "摘要……", bodyHtml = "<p>全文</p>", publishAt = "2020-01-01T00:00:00Z" }),
            HttpStatusCode.Created);
        Assert.That(created.IsCurrent, Is.False);
        Assert.That((await App.Client.GetFromJsonAsync<LeadershipMessage>($"/api/v1/leadership-messages/{created.Id}", ApiJson.Options))!.BodyHtml, Is.EqualTo("<p>全文</p>"));

        var made = await ReadAsync<LeadershipMessage>(await App.Editor.PostAsync($"/api/v1/admin/leadership-messages/{created.Id}/make-current", null), HttpStatusCode.OK);
        Assert.That(made.IsCurrent, Is.True);
        Assert.That((await App.Client.GetFromJsonAsync<LeadershipMessage>("/api/v1/leadership-messages/current", ApiJson.Options))!.Id, Is.EqualTo(created.Id));
        await Problem.AssertAsync(await Given.SendAsync(App.Editor, HttpMethod.Delete, $"/api/v1/admin/leadership-messages/{created.Id}", ifMatch: "*"), HttpStatusCode.Conflict);

        // put the demo message back and delete the new one
        (await App.Editor.PostAsync($"/api/v1/admin/leadership-messages/{current.Id}/make-current", null)).EnsureSuccessStatusCode();
        var again = await App.Editor.GetFromJsonAsync<LeadershipMessage>($"/api/v1/admin/leadership-messages/{created.Id}", ApiJson.Options);
        var upd = await Given.SendAsync(App.Editor, HttpMethod.Put, $"/api/v1/admin/leadership-messages/{created.Id}",
            JsonSerializer.Serialize(new { title = "改", leaderName = "新局长", leaderTitle = "局长", excerpt = "摘", bodyHtml = "<p>改</p>" }), IfMatch.ETag(again!.Version));
        Assert.That(upd.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var list = await App.Editor.GetFromJsonAsync<List<LeadershipMessage>>("/api/v1/admin/leadership-messages", ApiJson.Options);
        var version = list!.Single(m => m.Id == created.Id).Version;
        Assert.That((await Given.SendAsync(App.Editor, HttpMethod.Delete, $"/api/v1/admin/leadership-messages/{created.Id}", ifMatch: IfMatch.ETag(version))).StatusCode,
            Is.EqualTo(HttpStatusCode.NoContent));
    }

    [Test]
    public async Task Settings_are_read_and_replaced_by_admins()
    {
        var res = await App.Admin.GetAsync("/api/v1/admin/settings");
        var settings = await ReadAsync<SettingsRow>(res, HttpStatusCode.OK);
        var etag = res.Headers.ETag!.Tag;
        var input = JsonSerializer.Serialize(new
        {
            settings.SiteName, settings.SiteDomain, settings.CopyrightHolder, settings.Address, settings.Postcode, settings.TechSupport,
            settings.Phone, settings.IcpNumber, settings.IcpUrl, settings.PublicSecurityFilingText, settings.PublicSecurityRecordCode,
            siteIdCode = "1000000001", settings.DisclaimerTitle, disclaimerHtml = settings.DisclaimerHtml + "<script>x</script>",
        }, ApiJson.Options);
        var put = await Given.SendAsync(App.Admin, HttpMethod.Put, "/api/v1/admin/settings", input, etag);
        var updated = await ReadAsync<SettingsRow>(put, HttpStatusCode.OK);
        Assert.That(updated.SiteIdCode, Is.EqualTo("1000000001"));
        Assert.That(updated.DisclaimerHtml, Is.EqualTo(settings.DisclaimerHtml));
        var site = await App.Client.GetFromJsonAsync<SiteBundle>("/api/v1/site", ApiJson.Options);
        Assert.That(site!.Settings!.SiteIdCode, Is.EqualTo("1000000001"));
        await Problem.AssertAsync(await Given.SendAsync(App.Admin, HttpMethod.Put, "/api/v1/admin/settings", input, etag), HttpStatusCode.PreconditionFailed);
    }

    [Test]
    public async Task Partners_links_and_focus_items_have_full_crud()
    {
        var partner = await ReadAsync<AdminPartner>(await App.Editor.PostAsJsonAsync("/api/v1/admin/partners",
            new { name = "中国国际投资促进会", url = "http://www.ccpit.org/", logo = new { url = "/uploads/p.png", alt = "标志" } }), HttpStatusCode.Created);
        Assert.That((await App.Client.GetFromJsonAsync<List<Partner>>("/api/v1/partners", ApiJson.Options))!.Select(p => p.Id), Has.Member(partner.Id));
        var disabled = await ReadAsync<AdminPartner>(await Given.SendAsync(App.Editor, HttpMethod.Put, $"/api/v1/admin/partners/{partner.Id}",
            JsonSerializer.Serialize(new { name = "中国国际投资促进会", isEnabled = false }), IfMatch.ETag(partner.Version)), HttpStatusCode.OK);
        Assert.That((await App.Client.GetFromJsonAsync<List<Partner>>("/api/v1/partners", ApiJson.Options))!.Select(p => p.Id), Has.No.Member(partner.Id));
        Assert.That((await App.Editor.GetFromJsonAsync<AdminPartner>($"/api/v1/admin/partners/{partner.Id}", ApiJson.Options))!.IsEnabled, Is.False);
        Assert.That((await Given.SendAsync(App.Editor, HttpMethod.Delete, $"/api/v1/admin/partners/{partner.Id}", ifMatch: IfMatch.ETag(disabled.Version))).StatusCode,
            Is.EqualTo(HttpStatusCode.NoContent));

        var group = "组" + Guid.NewGuid().ToString("N")[..6];
        var link = await ReadAsync<AdminLink>(await App.Editor.PostAsJsonAsync("/api/v1/admin/links",
            new { group, name = "国家发展改革委", url = "https://www.ndrc.gov.cn/" }), HttpStatusCode.Created);
        var groups = await App.Client.GetFromJsonAsync<List<LinkGroup>>("/api/v1/links", ApiJson.Options);
        Assert.That(groups!.Single(g => g.Group == group).Links.Single().Name, Is.EqualTo("国家发展改革委"));
        var moved = await ReadAsync<AdminLink>(await Given.SendAsync(App.Editor, HttpMethod.Put, $"/api/v1/admin/links/{link.Id}",
            JsonSerializer.Serialize(new { group, name = "发改委", url = "https://www.ndrc.gov.cn/" }), IfMatch.ETag(link.Version)), HttpStatusCode.OK);
        Assert.That(moved.Name, Is.EqualTo("发改委"));
        Assert.That((await Given.SendAsync(App.Editor, HttpMethod.Delete, $"/api/v1/admin/links/{link.Id}", ifMatch: IfMatch.ETag(moved.Version))).StatusCode,
            Is.EqualTo(HttpStatusCode.NoContent));

        var draft = await Given.DraftAsync();
        var focus = await ReadAsync<AdminFocusItem>(await App.Editor.PostAsJsonAsync("/api/v1/admin/focus-items",
            new { title = "焦点", image = new { url = "/uploads/f.jpg", alt = "焦点图" }, articleId = draft.Id }), HttpStatusCode.Created);
        Assert.That((await App.Client.GetFromJsonAsync<List<FocusItem>>("/api/v1/focus-items", ApiJson.Options))!.Select(f => f.Id), Has.No.Member(focus.Id),
            "a focus item on a draft stays hidden");
        (await App.Editor.PostAsync($"/api/v1/admin/articles/{draft.Id}/publish", null)).EnsureSuccessStatusCode();
        Assert.That((await App.Client.GetFromJsonAsync<List<FocusItem>>("/api/v1/focus-items", ApiJson.Options))!.Select(f => f.Id), Has.Member(focus.Id));
        await Problem.AssertAsync(await App.Editor.PostAsJsonAsync("/api/v1/admin/focus-items",
            new { title = "坏", image = new { url = "/f.jpg", alt = "x" }, articleId = 99999999 }), HttpStatusCode.BadRequest, "articleId");
        var ended = await ReadAsync<AdminFocusItem>(await Given.SendAsync(App.Editor, HttpMethod.Put, $"/api/v1/admin/focus-items/{focus.Id}",
            JsonSerializer.Serialize(new { title = "焦点", image = new { url = "/uploads/f.jpg", alt = "焦点图" }, linkUrl = "https://www.gov.cn/", endAt = "2020-01-01T00:00:00Z" }),
            IfMatch.ETag(focus.Version)), HttpStatusCode.OK);
        Assert.That((await App.Client.GetFromJsonAsync<List<FocusItem>>("/api/v1/focus-items", ApiJson.Options))!.Select(f => f.Id), Has.No.Member(focus.Id));
        Assert.That((await App.Editor.GetFromJsonAsync<List<AdminFocusItem>>("/api/v1/admin/focus-items", ApiJson.Options))!.Select(f => f.Id), Has.Member(focus.Id));
        Assert.That((await Given.SendAsync(App.Editor, HttpMethod.Delete, $"/api/v1/admin/focus-items/{focus.Id}", ifMatch: IfMatch.ETag(ended.Version))).StatusCode,
            Is.EqualTo(HttpStatusCode.NoContent));
    }

    [Test]
    public async Task Keys_are_shown_once_stored_hashed_and_revoked_at_once()
    {
        var res = await App.Admin.PostAsJsonAsync("/api/v1/admin/keys", new { name = "脚本", role = "editor" });
        var created = JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement;
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var key = created.GetProperty("key").GetString()!;
        var id = created.GetProperty("info").GetProperty("id").GetInt64();
        var list = await App.Admin.GetStringAsync("/api/v1/admin/keys");
        Assert.That(list, Does.Not.Contain(key));
        using (var conn = TestStore.Open(App.DbPath, readOnly: true))
            Assert.That(Dapper.SqlMapper.ExecuteScalar<string>(conn, "SELECT key_hash FROM api_keys WHERE id = @id", new { id }), Is.EqualTo(ApiKeys.Hash(key)));
        using var client = App.WithKey(key);
        Assert.That((await client.GetAsync("/api/v1/admin/articles")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await App.Admin.DeleteAsync($"/api/v1/admin/keys/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await Problem.AssertAsync(await client.GetAsync("/api/v1/admin/articles"), HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task The_last_admin_key_cannot_be_revoked()
    {
        var keys = JsonDocument.Parse(await App.Admin.GetStringAsync("/api/v1/admin/keys")).RootElement.EnumerateArray()
            .Where(k => k.GetProperty("role").GetString() == "admin" && k.GetProperty("revokedAt").ValueKind == JsonValueKind.Null).ToList();
        Assert.That(keys, Has.Count.EqualTo(1));
        await Problem.AssertAsync(await App.Admin.DeleteAsync($"/api/v1/admin/keys/{keys[0].GetProperty("id").GetInt64()}"), HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Every_write_appends_to_the_change_log()
    {
        long Changes()
        {
            using var conn = TestStore.Open(App.DbPath, readOnly: true);
            return Dapper.SqlMapper.ExecuteScalar<long>(conn, "SELECT max(seq) FROM changes");
        }
        var before = Changes();
        var a = await Given.PublishedAsync();
        Assert.That(Changes(), Is.EqualTo(before + 2), "create and publish");
    }
}
