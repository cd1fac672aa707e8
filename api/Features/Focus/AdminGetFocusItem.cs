using Cms.Api.Data;
using Cms.Api.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Focus;

public sealed class AdminGetFocusItem(Db db) : Endpoint<IdRequest, Results<Ok<AdminFocusItem>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/api/v1/admin/focus-items/{id}");
        Roles(Role.AtLeastAuthor);
        Description(b => b.WithTags("Admin: Focus items").ProducesProblems(401, 403, 404));
        Summary(s => s.Summary = "读取一个焦点图 / One focus item, with its ETag");
    }

    public override async Task<Results<Ok<AdminFocusItem>, ProblemHttpResult>> ExecuteAsync(IdRequest req, CancellationToken ct) =>
        await Editable.GetAsync<FocusRow>(db, HttpContext, $"SELECT {FocusSql.Columns} FROM focus_items WHERE id = @id", req.Id, ct) is { } row
            ? TypedResults.Ok(AdminFocusItem.From(row))
            : Problems.NotFound();
}
