using Cms.Api.Data;
using Cms.Api.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Focus;

public sealed class CreateFocusItemRequest : FocusInput;

public sealed class CreateFocusItemValidator : Validator<CreateFocusItemRequest>
{
    public CreateFocusItemValidator() => Include(new FocusInputValidator());
}

public sealed class CreateFocusItem(Db db) : Endpoint<CreateFocusItemRequest, Results<Created<AdminFocusItem>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/api/v1/admin/focus-items");
        Roles(Role.AtLeastEditor);
        Description(b => b.WithTags("Admin: Focus items").ClearDefaultProduces(200).ProducesProblems(401, 403, 400));
        Summary(s =>
        {
            s.Summary = "新增焦点图 / Add a focus item";
            s.Description = "指向一篇文章(articleId)或一个地址(linkUrl);图片须有替代文字。It opens an article (articleId) or an address (linkUrl); the image needs alt text.";
            s.ExampleRequest = FocusInput.Example<CreateFocusItemRequest>();
        });
    }

    public override async Task<Results<Created<AdminFocusItem>, ProblemHttpResult>> ExecuteAsync(CreateFocusItemRequest req, CancellationToken ct)
    {
        if (await FocusSql.MissingArticleAsync(db, req, ct) is { } missing)
            return missing;
        var row = await Editable.CreateAsync<FocusRow>(db, HttpContext,
            $"""
            INSERT INTO focus_items (title, image_url, image_alt, article_id, link_url, sort_order, is_enabled, start_at, end_at, created_at, updated_at)
            VALUES (@Title, @ImageUrl, @ImageAlt, @ArticleId, @LinkUrl, @SortOrder, @IsEnabled, @StartAt, @EndAt, @now, @now)
            RETURNING {FocusSql.Columns}
            """, FocusSql.Values(req), Changes.FocusItem, ct);
        return TypedResults.Created($"/api/v1/admin/focus-items/{row.Id}", AdminFocusItem.From(row));
    }
}
