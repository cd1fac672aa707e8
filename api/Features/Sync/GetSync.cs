using Cms.Api.Data;
using Cms.Api.Features.Articles;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Sync;

public sealed class SyncRequest
{
    /// <summary>The nextCursor of the previous page; absent for a full snapshot.</summary>
    public string? Cursor { get; set; }
    public int Limit { get; set; } = 100;
    /// <summary>Without a cursor: true (the default) starts with a snapshot of all public content; false starts at the current position with no items (for a mirror that was filled another way, such as the publisher's full build).</summary>
    public bool Snapshot { get; set; } = true;
}

public sealed class SyncValidator : Validator<SyncRequest>
{
    public SyncValidator()
    {
        RuleFor(x => x.Limit).InclusiveBetween(1, 500);
        RuleFor(x => x.Cursor).MaximumLength(1000);
    }
}

public sealed class SyncItem
{
    /// <summary>settings, category, leadershipMessage, partner, link, focusItem, media or article.</summary>
    public string Entity { get; init; } = "";
    public long Id { get; init; }
    /// <summary>upsert: data is the current public representation; delete: remove it (unpublished, offline, hidden or deleted).</summary>
    public string Op { get; init; } = "upsert";
    /// <summary>The article's slug (articles only), in tombstones too.</summary>
    public string? Slug { get; init; }
    public object? Data { get; init; }
}

public sealed class SyncPage
{
    public List<SyncItem> Items { get; init; } = [];
    /// <summary>Pass it back as cursor; keep it between runs.</summary>
    public string NextCursor { get; init; } = "";
    /// <summary>false when the mirror is up to date: poll again later with nextCursor.</summary>
    public bool HasMore { get; init; }
    /// <summary>
    /// true while this page is part of a snapshot (a call without a cursor and the pages after it): a mirror that took
    /// a snapshot drops everything the snapshot did not contain.
    /// </summary>
    public bool Snapshot { get; init; }
}

public sealed class GetSync(Db db) : Endpoint<SyncRequest, Results<Ok<SyncPage>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/api/v1/sync");
        AllowAnonymous();
        Description(b => b.WithTags("Sync").ProducesProblems(400, 410));
        Summary(s =>
        {
            s.Summary = "同步接口 / Every change to public content since a cursor, for mirrors";
            s.Description = "不带 cursor 时先分页给出全部公开内容,之后按顺序给出变更:upsert 附当前公开内容,delete 为墓碑(实体、编号、slug)。" +
                "合作网站逐页应用,最终与公开内容完全一致。保存 nextCursor,hasMore 为 false 时稍后再取。" +
                " Without a cursor it first pages through a snapshot of all public content, then every change in order: upserts carry the " +
                "current public representation, deletes are tombstones (entity, id, slug). A partner that applies every page ends with exactly " +
                "the public content. Keep nextCursor; when hasMore is false, poll again later. A damaged or forged cursor is a 400.";
        });
    }

    public override async Task<Results<Ok<SyncPage>, ProblemHttpResult>> ExecuteAsync(SyncRequest req, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var key = await SyncCursor.KeyAsync(conn, ct);
        var now = UtcTime.Now();
        SyncCursor cursor;
        if (req.Cursor is null)
        {
            var seq = await conn.ExecuteScalarAsync<long>(new CommandDefinition("SELECT coalesce(max(seq), 0) FROM changes", cancellationToken: ct));
            cursor = new SyncCursor { Snap = req.Snapshot, Seq = seq, At = now, AtId = long.MaxValue };
            if (!req.Snapshot)
            {
                // the current position and nothing else: changes from here on
                HttpContext.Response.Headers.CacheControl = "no-store";
                return TypedResults.Ok(new SyncPage { Items = [], NextCursor = cursor.Encode(key), HasMore = false, Snapshot = false });
            }
        }
        else if (SyncCursor.Decode(req.Cursor, key) is { } decoded && decoded.Kind < SyncEntity.All.Length)
            cursor = decoded;
        else if ((await SyncCursor.RetiredKeysAsync(conn, ct)).Any(k => SyncCursor.Decode(req.Cursor, k) is not null))
        {
            return Problems.Make(410, "Gone",
                "The site was restored from a backup after this cursor was issued: start again without a cursor (a fresh snapshot) " +
                "and drop from your copy everything the snapshot does not contain.", "cursor");
        }
        else
            return Problems.BadRequest("cursor", "The cursor is not one this API issued; start again without a cursor.");

        var (items, next, more) = cursor.Snap
            ? await SnapshotAsync(conn, cursor, req.Limit, now, ct)
            : await ChangesAsync(conn, cursor, req.Limit, now, ct);
        HttpContext.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new SyncPage { Items = items, NextCursor = next.Encode(key), HasMore = more, Snapshot = cursor.Snap });
    }

    private static async Task<(List<SyncItem>, SyncCursor, bool)> SnapshotAsync(System.Data.Common.DbConnection conn, SyncCursor c, int limit, string now, CancellationToken ct)
    {
        var items = new List<SyncItem>();
        var kind = c.Kind;
        var after = c.After;
        while (kind < SyncEntity.All.Length && items.Count < limit)
        {
            var entity = SyncEntity.All[kind];
            var ids = (await conn.QueryAsync<long>(new CommandDefinition(entity.PublicIds, new { after, limit = limit - items.Count, now }, cancellationToken: ct))).ToArray();
            var data = ids.Length == 0 ? [] : await entity.Load(conn, ids, now, ct);
            items.AddRange(ids.Where(data.ContainsKey).Select(id => Upsert(entity.Name, id, data[id])));
            if (ids.Length > 0)
                after = ids[^1];
            if (items.Count < limit)
            {
                kind++;
                after = 0;
            }
        }
        var next = kind >= SyncEntity.All.Length
            ? new SyncCursor { Snap = false, Seq = c.Seq, At = c.At, AtId = c.AtId }
            : new SyncCursor { Snap = true, Kind = kind, After = after, Seq = c.Seq, At = c.At, AtId = c.AtId };
        return (items, next, true);
    }

    private sealed class ChangeRow
    {
        public string Entity { get; init; } = "";
        public long Id { get; init; }
        public long Seq { get; init; }
        public string? Slug { get; init; }
    }

    private static async Task<(List<SyncItem>, SyncCursor, bool)> ChangesAsync(System.Data.Common.DbConnection conn, SyncCursor c, int limit, string now, CancellationToken ct)
    {
        // articles whose publishAt was reached since the last page: public now without any write
        var scheduled = (await conn.QueryAsync<(long Id, string PublishAt)>(new CommandDefinition(
            $"""
            SELECT a.id, a.publish_at FROM articles a
            WHERE {ArticleSql.Visible} AND a.publish_at >= @at AND (a.publish_at > @at OR (a.publish_at = @at AND a.id > @atId))
            ORDER BY a.publish_at, a.id LIMIT @limit
            """, new { at = c.At, atId = c.AtId, now, limit }, cancellationToken: ct))).ToList();
        // the latest change of each entity changed since the cursor
        var changes = (await conn.QueryAsync<ChangeRow>(new CommandDefinition(
            """
            SELECT c.entity, c.entity_id AS id, c.seq, c.slug FROM changes c
            WHERE c.seq > @seq AND NOT EXISTS (SELECT 1 FROM changes n WHERE n.entity = c.entity AND n.entity_id = c.entity_id AND n.seq > c.seq)
            ORDER BY c.seq LIMIT @limit
            """, new { seq = c.Seq, limit = limit - scheduled.Count }, cancellationToken: ct))).ToList();

        var scheduledFull = scheduled.Count == limit;
        var windowEnd = scheduledFull ? scheduled[^1].PublishAt : now;
        // what became public or stopped being public by time or through an article, without a write of its own:
        // focus items whose window opened or closed, leadership messages whose time came, focus items of changed articles
        var articleIds = changes.Where(x => x.Entity == Changes.Article).Select(x => x.Id).Concat(scheduled.Select(s => s.Id)).Distinct().ToArray();
        var timed = (await conn.QueryAsync<(string Entity, long Id)>(new CommandDefinition(
            $"""
            SELECT 'focusItem', id FROM focus_items
            WHERE (start_at > @from AND start_at <= @to) OR (end_at > @from AND end_at <= @to) OR article_id {Sql.InList("@articleIds")}
            UNION
            SELECT 'leadershipMessage', id FROM leadership_messages WHERE publish_at > @from AND publish_at <= @to
            """, new { from = c.At, to = windowEnd, articleIds }, cancellationToken: ct)))
            .Where(t => !changes.Any(x => x.Entity == t.Entity && x.Id == t.Id)).ToList();

        var wanted = changes.Select(x => (x.Entity, x.Id)).Concat(scheduled.Select(s => (Changes.Article, s.Id))).Concat(timed)
            .GroupBy(x => x.Item1, x => x.Item2);
        var loaded = new Dictionary<(string, long), object>();
        foreach (var g in wanted)
        {
            if (SyncEntity.Named(g.Key) is not { } entity)
                continue;
            foreach (var (id, data) in await entity.Load(conn, g.Distinct().ToArray(), now, ct))
                loaded[(g.Key, id)] = data;
        }

        var items = new List<SyncItem>();
        foreach (var s in scheduled.Where(s => loaded.ContainsKey((Changes.Article, s.Id))))
            items.Add(Upsert(Changes.Article, s.Id, loaded[(Changes.Article, s.Id)]));
        foreach (var x in changes)
        {
            items.Add(loaded.TryGetValue((x.Entity, x.Id), out var data)
                ? Upsert(x.Entity, x.Id, data)
                : new SyncItem { Entity = x.Entity, Id = x.Id, Op = "delete", Slug = x.Slug });
        }
        foreach (var t in timed)
        {
            items.Add(loaded.TryGetValue((t.Entity, t.Id), out var data)
                ? Upsert(t.Entity, t.Id, data)
                : new SyncItem { Entity = t.Entity, Id = t.Id, Op = "delete" });
        }

        var next = new SyncCursor
        {
            Seq = changes.Count > 0 ? changes[^1].Seq : c.Seq,
            At = windowEnd,
            AtId = scheduledFull ? scheduled[^1].Id : long.MaxValue,
        };
        var more = scheduledFull || changes.Count == limit - scheduled.Count;
        return (items, next, more);
    }

    private static SyncItem Upsert(string entity, long id, object data) => new()
    {
        Entity = entity,
        Id = id,
        Op = "upsert",
        Slug = data is ArticleResponse a ? a.Slug : null,
        Data = data,
    };
}
