using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Leadership;

public sealed class PatchLeadershipMessage(Db db) : EndpointWithoutRequest<Results<Ok<LeadershipMessage>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Patch("/api/v1/admin/leadership-messages/{id}");
        Roles(Role.AtLeastEditor);
        Description(b => b.WithTags("Admin: Leadership").WithMetadata(new MergePatchBody(typeof(UpdateLeadershipMessageRequest))).ProducesProblems(400, 401, 403, 404, 412, 415, 428));
        Summary(s =>
        {
            s.Summary = "修改局长致辞的部分字段 / Change some of a leadership message's fields";
            s.Description = MergePatch.Description;
            s.ExampleRequest = new { excerpt = "欢迎访问商务部投资促进事务局网站。" };
        });
    }

    public override async Task<Results<Ok<LeadershipMessage>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var id = Route<long>("id");
        LeadershipRow? row;
        await using (var conn = await db.OpenAsync(ct))
        {
            row = await conn.QuerySingleOrDefaultAsync<LeadershipRow>(new CommandDefinition(
                $"SELECT {LeadershipSql.Columns} FROM leadership_messages WHERE id = @id", new { id }, cancellationToken: ct));
        }
        if (row is null)
            return Problems.NotFound();
        var (req, problem) = await MergePatch.MergeAsync(HttpContext, LeadershipMessage.From(row), row.Version, new UpdateLeadershipMessageValidator(), ct);
        return problem ?? await UpdateLeadershipMessage.SaveAsync(db, HttpContext, id, req!, ct);
    }
}
