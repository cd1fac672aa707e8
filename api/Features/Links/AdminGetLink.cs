using Cms.Api.Data;
using Cms.Api.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Links;

public sealed class AdminGetLink(Db db) : Endpoint<IdRequest, Results<Ok<AdminLink>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/api/v1/admin/links/{id}");
        Roles(Role.AtLeastAuthor);
        Description(b => b.WithTags("Admin: Links").ProducesProblems(401, 403, 404));
        Summary(s => s.Summary = "读取一个相关链接 / One related link, with its ETag");
    }

    public override async Task<Results<Ok<AdminLink>, ProblemHttpResult>> ExecuteAsync(IdRequest req, CancellationToken ct) =>
        await Editable.GetAsync<LinkRow>(db, HttpContext, $"SELECT {LinkSql.Columns} FROM related_links WHERE id = @id", req.Id, ct) is { } row
            ? TypedResults.Ok(AdminLink.From(row))
            : Problems.NotFound();
}
