using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cms.Api.Data;
using Cms.Api.Features.Articles;
using Cms.Api.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.Tests.Api;

/// <summary>Backup and restore on a site of their own, while it runs: verified copies, ids never reused, a new sync epoch.</summary>
[TestFixture]
[NonParallelizable]
public sealed class BackupTests
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"cms-backup-{Guid.NewGuid():N}");
    private string Db => Path.Combine(_dir, "cms.db");
    private CmsFactory _site = null!;
    private HttpClient _admin = null!;
    private HttpClient _public = null!;

    [OneTimeSetUp]
    public void Start()
    {
        Directory.CreateDirectory(_dir);
        _site = new CmsFactory(Db);
        _public = _site.CreateClient();
        _admin = _site.CreateClient();
        _admin.DefaultRequestHeaders.Add("X-Api-Key", App.AdminKey);
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _admin.Dispose();
        _public.Dispose();
        _site.Dispose();
        TestStore.Drop(Db);
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<AdminArticle> PublishedAsync(string title)
    {
        var res = await _admin.PostAsJsonAsync("/api/v1/admin/articles", Given.ArticleBody(title: title));
        Assert.That(res.StatusCode, Is.EqualTo(HttpStatusCode.Created), await res.Content.ReadAsStringAsync());
        var a = (await res.Content.ReadFromJsonAsync<AdminArticle>(ApiJson.Options))!;
        var pub = await _admin.PostAsync($"/api/v1/admin/articles/{a.Id}/publish", null);
        return (await pub.Content.ReadFromJsonAsync<AdminArticle>(ApiJson.Options))!;
    }

    private async Task<string> CursorAsync()
    {
        string? cursor = null;
        for (var i = 0; i < 100; i++)
        {
            var page = (await _public.GetFromJsonAsync<JsonObject>("/api/v1/sync?limit=500" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))))!;
            cursor = page["nextCursor"]!.GetValue<string>();
            if (!page["hasMore"]!.GetValue<bool>())
                break;
        }
        return cursor!;
    }

    [Test]
    public async Task A_restore_brings_back_the_backup_keeps_ids_unique_and_starts_a_new_sync_epoch()
    {
        var db = _site.Services.GetRequiredService<Db>();
        var kept = await PublishedAsync("备份前的文章");
        var file = Path.Combine(_dir, "before.db");
        var manifest = await Backups.BackupAsync(db, file);
        Assert.That(manifest.Tables["articles"].Rows, Is.GreaterThan(0));
        Assert.That(await Backups.VerifyAsync(file), Is.Null);

        var later = await PublishedAsync("备份后的文章");
        var oldCursor = await CursorAsync();
        Assert.That((await _public.GetAsync($"/api/v1/articles/{later.Slug}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));   // cached now

        await Backups.RestoreAsync(db, file);

        // the running site drops its cached answers within the watcher's second
        HttpStatusCode status = HttpStatusCode.OK;
        for (var i = 0; i < 30 && status == HttpStatusCode.OK; i++, await Task.Delay(100))
            status = (await _public.GetAsync($"/api/v1/articles/{later.Slug}")).StatusCode;
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound), "written after the backup: gone");
        Assert.That((await _public.GetAsync($"/api/v1/articles/{kept.Slug}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var stale = await _public.GetAsync("/api/v1/sync?cursor=" + Uri.EscapeDataString(oldCursor));
        var problem = await Problem.AssertAsync(stale, HttpStatusCode.Gone, "cursor");
        Assert.That(problem.Detail, Does.Contain("fresh snapshot"));
        var snapshot = (await _public.GetFromJsonAsync<JsonObject>("/api/v1/sync"))!;
        Assert.That(snapshot["snapshot"]!.GetValue<bool>(), Is.True);

        var next = await PublishedAsync("恢复后的文章");
        Assert.That(next.Id, Is.GreaterThan(later.Id), "an id given out before the restore is never given again");
        using var conn = TestStore.Open(Db);
        if (!TestStore.Postgres)
            Assert.That(Dapper.SqlMapper.ExecuteScalar<string>(conn, "PRAGMA integrity_check"), Is.EqualTo("ok"));
        else   // every foreign key holds after the restore (PostgreSQL checks them as rows come back)
            Assert.That(Dapper.SqlMapper.ExecuteScalar<long>(conn, "SELECT count(*) FROM articles a LEFT JOIN categories c ON c.id = a.category_id WHERE c.id IS NULL"), Is.Zero);
    }

    [Test]
    public async Task A_damaged_backup_is_refused_and_nothing_changes()
    {
        var db = _site.Services.GetRequiredService<Db>();
        var file = Path.Combine(_dir, "damaged.db");
        await Backups.BackupAsync(db, file);
        var marker = await PublishedAsync("损坏备份测试");
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[^100] ^= 0xFF;
        await File.WriteAllBytesAsync(file, bytes);
        Assert.That(await Backups.VerifyAsync(file), Does.Contain("SHA-256"));
        await Assert.ThrowsAsync<InvalidDataException>(() => Backups.RestoreAsync(db, file));
        Assert.That((await _public.GetAsync($"/api/v1/articles/{marker.Slug}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await Assert.ThrowsAsync<IOException>(() => Backups.BackupAsync(db, file), "never overwrites a file");
    }

    [Test]
    public void The_backup_command_writes_a_verified_copy_and_its_manifest()
    {
        var file = Path.Combine(_dir, "cli.db");
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(Repo.Root, "api", "bin", "Debug", "net10.0", "Cms.Api.dll"), "backup", file])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.UseStore(Db);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        Assert.That(p.WaitForExit(TimeSpan.FromMinutes(1)), Is.True);
        Assert.That(p.ExitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("integrity ok"));
        Assert.That(File.Exists(Backups.ManifestPath(file)), Is.True);
        Assert.That(JsonNode.Parse(File.ReadAllText(Backups.ManifestPath(file)))!["tables"]!["articles"]!["rows"]!.GetValue<long>(), Is.GreaterThan(0));
        // the media library's files beside it: the demo's photo (and its two copies) and PDF
        var media = JsonNode.Parse(File.ReadAllText(Backups.ManifestPath(file)))!["media"]!;
        Assert.That(media["files"]!.GetValue<long>(), Is.EqualTo(4));
        Assert.That(output, Does.Contain("Media: 4 files"));
        var live = Cms.Api.Features.Media.MediaOptions.DefaultRoot(Db);
        var photo = Directory.GetFiles(live, "*.jpg", SearchOption.AllDirectories).Single(f => !Path.GetFileName(f).Contains('-'));
        Assert.That(File.ReadAllBytes(Path.Combine(Backups.MediaPath(file), Path.GetRelativePath(live, photo))), Is.EqualTo(File.ReadAllBytes(photo)));
    }

    [Test]
    public async Task A_restore_puts_back_media_files_and_a_backup_missing_one_is_refused()
    {
        var file = Path.Combine(_dir, $"media-{Guid.NewGuid():N}.db");
        var live = Cms.Api.Features.Media.MediaOptions.DefaultRoot(Db);
        var db = _site.Services.GetRequiredService<Db>();
        await Backups.BackupAsync(db, file, mediaRoot: live);
        var pdf = Directory.GetFiles(live, "*.pdf", SearchOption.AllDirectories).Single();
        var bytes = File.ReadAllBytes(pdf);
        File.Delete(pdf);
        await Backups.RestoreAsync(db, file, mediaRoot: live);
        Assert.That(File.ReadAllBytes(pdf), Is.EqualTo(bytes), "the file came back from the backup");

        File.Delete(Path.Combine(Backups.MediaPath(file), Path.GetRelativePath(live, pdf)));
        Assert.That(await Backups.VerifyAsync(file), Does.Contain("files"));
        await Assert.ThrowsAsync<InvalidDataException>(() => Backups.RestoreAsync(db, file, mediaRoot: live));
    }

    [Test]
    public async Task Scheduled_backups_keep_the_newest_few()
    {
        var folder = Path.Combine(_dir, "scheduled");
        await using (var site = new CmsFactory(Path.Combine(_dir, "scheduled.db"), new Dictionary<string, string>
        {
            ["Cms:Backup:Folder"] = folder,
            ["Cms:Backup:Every"] = "00:00:01",
            ["Cms:Backup:Keep"] = "2",
        }))
        {
            using var client = site.CreateClient();
            await client.GetAsync("/healthz");
            for (var i = 0; i < 60 && (!Directory.Exists(folder) || Directory.GetFiles(folder, "cms-*.db").Length < 2); i++)
                await Task.Delay(100);
            await Task.Delay(1500);
        }   // stopped: no backup is written or pruned while they are checked
        var backups = Directory.GetFiles(folder, "cms-*.db");
        Assert.That(backups, Has.Length.EqualTo(2));
        foreach (var b in backups)
            Assert.That(await Backups.VerifyAsync(b), Is.Null, b);
    }
}
