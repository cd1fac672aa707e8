using Cms.Api.Data;
using Cms.Api.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Focus;

public sealed class PatchFocusItem(Db db) : EndpointWithoutRequest<Results<Ok<AdminFocusItem>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Patch("/api/v1/admin/focus-items/{id}");
        Roles(Role.AtLeastEditor);
        Description(b => b.WithTags("Admin: Focus items").WithMetadata(new MergePatchBody(typeof(UpdateFocusItemRequest))).ProducesProblems(400, 401, 403, 404, 412, 415, 428));
        Summary(s =>
        {
            s.Summary = "修改焦点图的部分字段 / Change some of a focus item's fields";
            s.Description = MergePatch.Description;
            s.ExampleRequest = new { sortOrder = 1 };
        });
    }

    public override async Task<Results<Ok<AdminFocusItem>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var id = Route<long>("id");
        if (await Editable.GetAsync<FocusRow>(db, HttpContext, $"SELECT {FocusSql.Columns} FROM focus_items WHERE id = @id", id, ct) is not { } row)
            return Problems.NotFound();
        var (req, problem) = await MergePatch.MergeAsync(HttpContext, AdminFocusItem.From(row), row.Version, new UpdateFocusItemValidator(), ct);
        return problem ?? await UpdateFocusItem.SaveAsync(db, HttpContext, id, req!, ct);
    }
}
