using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Revisions;

public sealed class ListRevisionsRequest : IPaged
{
    public long Id { get; set; } = 1;
    public int Page { get; set; } = 1;
    public int PageSize { get; set; } = 20;
}

public sealed class ListRevisionsValidator : Validator<ListRevisionsRequest>
{
    public ListRevisionsValidator() => this.AddPagingRules();
}

public sealed class ListRevisions(Db db) : Endpoint<ListRevisionsRequest, Results<Ok<Paged<RevisionInfo>>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get(RevisionAccess.Routes(""));
        Roles(Role.AtLeastAuthor);
        Description(b => b.WithTags("Admin: Revisions").ProducesProblems(401, 403, 404));
        Summary(s =>
        {
            s.Summary = "修订记录,最新在前 / Revisions of an item, newest first";
            s.Description = "每次保存一条:谁、何时、产生的版本。" + RevisionAccess.Who + " Every save keeps one: who, when, the version it made (Cms:Revisions:Keep per item).";
        });
    }

    public override async Task<Results<Ok<Paged<RevisionInfo>>, ProblemHttpResult>> ExecuteAsync(ListRevisionsRequest req, CancellationToken ct)
    {
        var (kind, problem) = await RevisionAccess.CheckAsync(db, HttpContext, req.Id, ct);
        if (problem is not null)
            return problem;
        await using var conn = await db.OpenAsync(ct);
        var args = new { kind!.Entity, req.Id, limit = req.PageSize, offset = req.Offset() };
        var total = await conn.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM revisions WHERE entity = @Entity AND entity_id = @Id", args, cancellationToken: ct));
        var rows = await conn.QueryAsync<RevisionRow>(new CommandDefinition(
            $"SELECT {RevisionRow.Columns} FROM revisions WHERE entity = @Entity AND entity_id = @Id ORDER BY id DESC LIMIT @limit OFFSET @offset",
            args, cancellationToken: ct));
        return TypedResults.Ok(Paged<RevisionInfo>.Of(rows.Select(r => r.Info()).ToList(), req.Page, req.PageSize, total));
    }
}
