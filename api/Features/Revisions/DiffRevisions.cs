using System.Text.Json.Nodes;
using Cms.Api.Data;
using Cms.Api.Http;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Revisions;

public sealed class DiffRevisionsRequest
{
    public long Id { get; set; } = 1;
    /// <summary>The earlier revision's id.</summary>
    public long From { get; set; }
    /// <summary>The later revision's id; absent: the newest.</summary>
    public long? To { get; set; }
}

public sealed class DiffRevisionsValidator : Validator<DiffRevisionsRequest>
{
    public DiffRevisionsValidator()
    {
        RuleFor(x => x.From).GreaterThan(0);
        RuleFor(x => x.To).GreaterThan(0).When(x => x.To is not null);
    }
}

public sealed class DiffRevisions(Db db) : Endpoint<DiffRevisionsRequest, Results<Ok<RevisionDiff>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get(RevisionAccess.Routes("/diff"));
        Roles(Role.AtLeastAuthor);
        Description(b => b.WithTags("Admin: Revisions").ProducesProblems(401, 403, 404));
        Summary(s =>
        {
            s.Summary = "比较两条修订 / Compare two revisions";
            s.Description = "列出值不同的字段,并逐段比较正文文字(DiffPlex)。" + RevisionAccess.Who +
                " Lists the fields whose values differ and compares the body's text paragraph by paragraph (DiffPlex). to defaults to the newest revision.";
        });
    }

    public override async Task<Results<Ok<RevisionDiff>, ProblemHttpResult>> ExecuteAsync(DiffRevisionsRequest req, CancellationToken ct)
    {
        var (kind, problem) = await RevisionAccess.CheckAsync(db, HttpContext, req.Id, ct);
        if (problem is not null)
            return problem;
        var from = await RevisionAccess.FindAsync(db, kind!, req.Id, req.From, ct);
        if (from is null)
            return Problems.Make(404, "Not Found", "No such revision of this item.", "from");
        RevisionRow? to;
        if (req.To is { } toId)
            to = await RevisionAccess.FindAsync(db, kind!, req.Id, toId, ct);
        else
        {
            await using var conn = await db.OpenAsync(ct);
            to = await Dapper.SqlMapper.QueryFirstOrDefaultAsync<RevisionRow>(conn, new Dapper.CommandDefinition(
                $"SELECT {RevisionRow.Columns} FROM revisions WHERE entity = @Entity AND entity_id = @Id ORDER BY id DESC LIMIT 1",
                new { kind!.Entity, req.Id }, cancellationToken: ct));
        }
        if (to is null)
            return Problems.Make(404, "Not Found", "No such revision of this item.", "to");

        var (a, b) = (from.Detail().Content, to.Detail().Content);
        var fields = a.Select(kv => kv.Key).Union(b.Select(kv => kv.Key)).Distinct()
            .Where(name => !JsonNode.DeepEquals(a[name], b[name]))
            .Select(name => new FieldChange { Name = name, Before = a[name]?.DeepClone(), After = b[name]?.DeepClone() })
            .ToList();
        var diff = InlineDiffBuilder.Diff(Revisions.Text(a[kind!.Body]?.GetValue<string>()), Revisions.Text(b[kind.Body]?.GetValue<string>()), ignoreWhiteSpace: false);
        var lines = diff.Lines.Where(l => l.Type != ChangeType.Imaginary).Select(l => new TextLine
        {
            Change = l.Type switch { ChangeType.Inserted => "inserted", ChangeType.Deleted => "deleted", _ => "unchanged" },
            Text = l.Text,
        }).ToList();
        return TypedResults.Ok(new RevisionDiff { From = from.Info(), To = to.Info(), Fields = fields, BodyText = lines });
    }
}
