using Cms.Api.Data;
using Cms.Api.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Links;

public sealed class CreateLinkRequest : LinkInput;

public sealed class CreateLinkValidator : Validator<CreateLinkRequest>
{
    public CreateLinkValidator() => Include(new LinkInputValidator());
}

public sealed class CreateLink(Db db) : Endpoint<CreateLinkRequest, Created<AdminLink>>
{
    public override void Configure()
    {
        Post("/api/v1/admin/links");
        Roles(Role.AtLeastEditor);
        Description(b => b.WithTags("Admin: Links").ClearDefaultProduces(200).ProducesProblems(401, 403));
        Summary(s =>
        {
            s.Summary = "新增相关链接 / Add a related link";
            s.Description = "group 为分组名,如 政府网站。group names the block the link is shown in, e.g. 政府网站.";
            s.ExampleRequest = LinkInput.Example<CreateLinkRequest>();
        });
    }

    public override async Task<Created<AdminLink>> ExecuteAsync(CreateLinkRequest req, CancellationToken ct)
    {
        var row = await Editable.CreateAsync<LinkRow>(db, HttpContext,
            $"""
            INSERT INTO related_links (group_name, name, url, sort_order, is_enabled, open_in_new_window, created_at, updated_at)
            VALUES (@Group, @Name, @Url, @SortOrder, @IsEnabled, @OpenInNewWindow, @now, @now) RETURNING {LinkSql.Columns}
            """, LinkSql.Values(req), Changes.Link, ct);
        return TypedResults.Created($"/api/v1/admin/links/{row.Id}", AdminLink.From(row));
    }
}
