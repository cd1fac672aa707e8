using Cms.Api.Data;
using Cms.Api.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Links;

public sealed class UpdateLinkRequest : LinkInput;

public sealed class UpdateLinkValidator : Validator<UpdateLinkRequest>
{
    public UpdateLinkValidator() => Include(new LinkInputValidator());
}

public sealed class UpdateLink(Db db) : Endpoint<UpdateLinkRequest, Results<Ok<AdminLink>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Put("/api/v1/admin/links/{id}");
        Roles(Role.AtLeastEditor);
        Description(b => b.WithTags("Admin: Links").ProducesProblems(401, 403, 404, 412, 428));
        Summary(s =>
        {
            s.Summary = "修改相关链接 / Replace a related link";
            s.Description = "需 If-Match。Needs If-Match with the ETag of your last read.";
            s.ExampleRequest = LinkInput.Example<UpdateLinkRequest>();
        });
    }

    public override Task<Results<Ok<AdminLink>, ProblemHttpResult>> ExecuteAsync(UpdateLinkRequest req, CancellationToken ct) =>
        SaveAsync(db, HttpContext, Route<long>("id"), req, ct);

    /// <summary>The replace; PATCH merges its patch into the current fields and ends here too.</summary>
    public static async Task<Results<Ok<AdminLink>, ProblemHttpResult>> SaveAsync(Db db, HttpContext http, long id, UpdateLinkRequest req, CancellationToken ct)
    {
        var (row, problem) = await Editable.UpdateAsync<LinkRow>(db, http, "related_links", id,
            $"""
            UPDATE related_links SET group_name = @Group, name = @Name, url = @Url, sort_order = @SortOrder, is_enabled = @IsEnabled,
                open_in_new_window = @OpenInNewWindow, version = version + 1, updated_at = @now
            WHERE id = @id RETURNING {LinkSql.Columns}
            """, LinkSql.Values(req), Changes.Link, ct);
        return problem ?? (Results<Ok<AdminLink>, ProblemHttpResult>)TypedResults.Ok(AdminLink.From(row!));
    }
}
