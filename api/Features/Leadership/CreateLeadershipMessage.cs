using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Leadership;

public sealed class CreateLeadershipMessageRequest : LeadershipInput;

public sealed class CreateLeadershipMessageValidator : Validator<CreateLeadershipMessageRequest>
{
    public CreateLeadershipMessageValidator() => Include(new LeadershipInputValidator());
}

public sealed class CreateLeadershipMessage(Db db) : Endpoint<CreateLeadershipMessageRequest, Created<LeadershipMessage>>
{
    public override void Configure()
    {
        Post("/api/v1/admin/leadership-messages");
        Roles(Role.AtLeastEditor);
        Description(b => b.WithTags("Admin: Leadership").ClearDefaultProduces(200).ProducesProblems(401, 403));
        Summary(s =>
        {
            s.Summary = "新建局长致辞 / Create a leadership message";
            s.Description = "第一篇自动成为当前致辞;之后用 …/make-current 切换。The first message becomes current; switch later with …/make-current.";
            s.ExampleRequest = LeadershipInput.Example<CreateLeadershipMessageRequest>();
        });
    }

    public override async Task<Created<LeadershipMessage>> ExecuteAsync(CreateLeadershipMessageRequest req, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginWriteAsync(ct);
        var row = await conn.QuerySingleAsync<LeadershipRow>(new CommandDefinition(
            $"""
            INSERT INTO leadership_messages (title, leader_name, leader_title, photo_url, photo_alt, excerpt, body_html, publish_at,
                is_current, created_at, updated_at)
            VALUES (@Title, @LeaderName, @LeaderTitle, @PhotoUrl, @PhotoAlt, @Excerpt, @BodyHtml, @PublishAt,
                CASE WHEN EXISTS (SELECT 1 FROM leadership_messages WHERE is_current = 1) THEN 0 ELSE 1 END, @now, @now)
            RETURNING {LeadershipSql.Columns}
            """, new DynamicParameters(LeadershipSql.Values(req)).With(new { now = UtcTime.Now() }), tx, cancellationToken: ct));
        await Changes.AppendAsync(conn, tx, Changes.LeadershipMessage, row.Id, ct: ct);
        await tx.CommitAsync(ct);
        HttpContext.Response.Headers.ETag = IfMatch.ETag(row.Version);
        return TypedResults.Created($"/api/v1/admin/leadership-messages/{row.Id}", LeadershipMessage.From(row));
    }
}
