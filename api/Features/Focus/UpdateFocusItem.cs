using Cms.Api.Data;
using Cms.Api.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Focus;

public sealed class UpdateFocusItemRequest : FocusInput;

public sealed class UpdateFocusItemValidator : Validator<UpdateFocusItemRequest>
{
    public UpdateFocusItemValidator() => Include(new FocusInputValidator());
}

public sealed class UpdateFocusItem(Db db) : Endpoint<UpdateFocusItemRequest, Results<Ok<AdminFocusItem>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Put("/api/v1/admin/focus-items/{id}");
        Roles(Role.AtLeastEditor);
        Description(b => b.WithTags("Admin: Focus items").ProducesProblems(401, 403, 404, 412, 428));
        Summary(s =>
        {
            s.Summary = "修改焦点图 / Replace a focus item";
            s.Description = "需 If-Match。Needs If-Match with the ETag of your last read.";
            s.ExampleRequest = FocusInput.Example<UpdateFocusItemRequest>();
        });
    }

    public override Task<Results<Ok<AdminFocusItem>, ProblemHttpResult>> ExecuteAsync(UpdateFocusItemRequest req, CancellationToken ct) =>
        SaveAsync(db, HttpContext, Route<long>("id"), req, ct);

    /// <summary>The replace; PATCH merges its patch into the current fields and ends here too.</summary>
    public static async Task<Results<Ok<AdminFocusItem>, ProblemHttpResult>> SaveAsync(Db db, HttpContext http, long id, UpdateFocusItemRequest req, CancellationToken ct)
    {
        if (await FocusSql.MissingArticleAsync(db, req, ct) is { } missing)
            return missing;
        var (row, problem) = await Editable.UpdateAsync<FocusRow>(db, http, "focus_items", id,
            $"""
            UPDATE focus_items SET title = @Title, image_url = @ImageUrl, image_alt = @ImageAlt, article_id = @ArticleId, link_url = @LinkUrl,
                sort_order = @SortOrder, is_enabled = @IsEnabled, start_at = @StartAt, end_at = @EndAt, version = version + 1, updated_at = @now
            WHERE id = @id RETURNING {FocusSql.Columns}
            """, FocusSql.Values(req), Changes.FocusItem, ct);
        return problem ?? (Results<Ok<AdminFocusItem>, ProblemHttpResult>)TypedResults.Ok(AdminFocusItem.From(row!));
    }
}
