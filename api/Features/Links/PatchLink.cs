using Cms.Api.Data;
using Cms.Api.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Links;

public sealed class PatchLink(Db db) : EndpointWithoutRequest<Results<Ok<AdminLink>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Patch("/api/v1/admin/links/{id}");
        Roles(Role.AtLeastEditor);
        Description(b => b.WithTags("Admin: Links").WithMetadata(new MergePatchBody(typeof(UpdateLinkRequest))).ProducesProblems(400, 401, 403, 404, 412, 415, 428));
        Summary(s =>
        {
            s.Summary = "修改相关链接的部分字段 / Change some of a link's fields";
            s.Description = MergePatch.Description;
            s.ExampleRequest = new { name = "中国政府网" };
        });
    }

    public override async Task<Results<Ok<AdminLink>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var id = Route<long>("id");
        if (await Editable.GetAsync<LinkRow>(db, HttpContext, $"SELECT {LinkSql.Columns} FROM related_links WHERE id = @id", id, ct) is not { } row)
            return Problems.NotFound();
        var (req, problem) = await MergePatch.MergeAsync(HttpContext, AdminLink.From(row), row.Version, new UpdateLinkValidator(), ct);
        return problem ?? await UpdateLink.SaveAsync(db, HttpContext, id, req!, ct);
    }
}
