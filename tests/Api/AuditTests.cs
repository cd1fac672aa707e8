using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cms.Api.Data;
using Dapper;
using Cms.Api.Features.Articles;
using Cms.Api.Http;
using Microsoft.Data.Sqlite;

namespace Cms.Tests.Api;

/// <summary>The audit log: every staff write and failed authentication, chained by hash, never changed.</summary>
[TestFixture]
public sealed class AuditTests
{
    private static async Task<JsonElement[]> AuditAsync(string query)
    {
        var res = await App.Admin.GetAsync("/api/v1/admin/audit?" + query);
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.OK), await res.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement.GetProperty("items").EnumerateArray().ToArray();
    }

    [Test]
    public async Task A_create_and_an_update_are_recorded_with_key_role_and_versions()
    {
        var created = await App.Editor.PostAsJsonAsync("/api/v1/admin/articles", Given.ArticleBody(title: "审计：新建"), ApiJson.Options);
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var a = (await created.Content.ReadFromJsonAsync<AdminArticle>(ApiJson.Options))!;
        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/admin/articles/{a.Id}") { Content = JsonContent.Create(Given.ArticleBody(title: "审计：修改"), options: ApiJson.Options) };
        put.Headers.TryAddWithoutValidation("If-Match", IfMatch.ETag(a.Version));
        Assert.That((await App.Editor.SendAsync(put)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var rows = await AuditAsync($"entity=articles&entityId={a.Id}");
        Assert.That(rows, Has.Length.EqualTo(2));
        var (update, create) = (rows[0], rows[1]);   // newest first
        Assert.That(create.GetProperty("action").GetString(), Is.EqualTo("POST /api/v1/admin/articles"));
        Assert.That(create.GetProperty("status").GetInt32(), Is.EqualTo(201));
        Assert.That(create.GetProperty("keyName").GetString(), Is.EqualTo("编辑甲"));
        Assert.That(create.GetProperty("role").GetString(), Is.EqualTo("editor"));
        Assert.That(create.GetProperty("versionAfter").GetInt64(), Is.EqualTo(a.Version));
        Assert.That(update.GetProperty("action").GetString(), Is.EqualTo("PUT /api/v1/admin/articles/{id}"));
        Assert.That(update.GetProperty("versionBefore").GetInt64(), Is.EqualTo(a.Version));
        Assert.That(update.GetProperty("versionAfter").GetInt64(), Is.EqualTo(a.Version + 1));
        Assert.That(update.GetProperty("clientIp").GetString(), Is.Not.Empty);
        Assert.That(update.GetProperty("requestId").GetString(), Is.Not.Empty);
        Assert.That(update.GetProperty("hash").GetString(), Does.Match("^[0-9a-f]{64}$"));
    }

    [Test]
    public async Task A_refused_key_is_recorded_and_reads_are_not()
    {
        using var wrong = App.WithKey("cms_not-a-key-of-this-site-000000000000");
        Assert.That((await wrong.GetAsync("/api/v1/admin/articles?pageSize=1")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var failed = await AuditAsync("authFailed=true&pageSize=5");
        Assert.That(failed.Select(r => r.GetProperty("action").GetString()), Has.Some.EqualTo("auth.failed GET /api/v1/admin/articles"));
        Assert.That(failed[0].GetProperty("keyId").ValueKind, Is.EqualTo(JsonValueKind.Null));

        var before = (await AuditAsync("pageSize=1"))[0].GetProperty("id").GetInt64();
        Assert.That((await App.Editor.GetAsync("/api/v1/admin/articles?pageSize=1")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var after = (await AuditAsync("pageSize=1"))[0].GetProperty("id").GetInt64();
        Assert.That(after, Is.EqualTo(before), "a read adds no row");
    }

    [Test]
    public async Task Only_admins_read_the_log_and_its_filters_are_checked()
    {
        Assert.That((await App.Editor.GetAsync("/api/v1/admin/audit")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await App.Client.GetAsync("/api/v1/admin/audit")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var bad = await App.Admin.GetAsync("/api/v1/admin/audit?pageSize=1000");
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await bad.Content.ReadAsStringAsync(), Does.Contain("pageSize"));
        Assert.That((await App.Admin.GetAsync("/api/v1/admin/audit?nosuch=1")).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task The_chain_holds_rows_cannot_be_changed_and_a_changed_row_is_found()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cms-audit-{Guid.NewGuid():N}.db");
        try
        {
            using (var factory = new CmsFactory(path))
            {
                using var admin = factory.CreateClient();
                admin.DefaultRequestHeaders.Add("X-Api-Key", App.AdminKey);
                for (var i = 0; i < 5; i++)
                    Assert.That((await admin.PostAsJsonAsync("/api/v1/admin/articles", Given.ArticleBody(title: $"链{i}"), ApiJson.Options)).StatusCode, Is.EqualTo(HttpStatusCode.Created));
            }
            SqliteConnection.ClearAllPools();
            var db = TestStore.Db(path);
            Assert.That(await AuditTrail.VerifyAsync(db, CancellationToken.None), Is.EqualTo((5L, (long?)null)));
            Assert.That(Verify(path), Does.StartWith("0 audit log intact: 5 rows"));

            await using (var conn = await db.OpenAsync())
            {
                Assert.That(() => conn.Execute("UPDATE audit_log SET key_name = '别人' WHERE id = 3"),
                    Throws.InstanceOf<System.Data.Common.DbException>().With.Message.Contains("never changed"));
                Assert.That(() => conn.Execute("DELETE FROM audit_log WHERE id = 2"),
                    Throws.InstanceOf<System.Data.Common.DbException>().With.Message.Contains("never deleted"));
                // someone with the database itself: drops the guard and rewrites a row
                conn.Execute($"DROP TRIGGER audit_log_no_update{(TestStore.Postgres ? " ON audit_log" : "")}");
                conn.Execute("UPDATE audit_log SET key_name = '别人' WHERE id = 3");
            }
            Assert.That(await AuditTrail.VerifyAsync(db, CancellationToken.None), Is.EqualTo((2L, (long?)3)));
            Assert.That(Verify(path), Does.StartWith("1 audit log BROKEN at row 3"));
            db.Dispose();
        }
        finally
        {
            TestStore.Drop(path);
        }
    }

    /// <summary>`audit verify` from the command line: "exit-code output".</summary>
    private static string Verify(string db)
    {
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(Repo.Root, "api", "bin", "Debug", "net10.0", "Cms.Api.dll"), "audit", "verify"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.UseStore(db);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        Assert.That(p.WaitForExit(TimeSpan.FromMinutes(1)), Is.True);
        return $"{p.ExitCode} {output.Trim()}";
    }
}
