using Cms.Api.Data;
using Cms.Api.Http;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Feeds;

public sealed class FeedRequest
{
    /// <summary>Column code; absent for the whole site.</summary>
    public string? Code { get; set; }
}

public sealed class FeedValidator : Validator<FeedRequest>
{
    public FeedValidator() => RuleFor(x => x.Code).MaximumLength(32);
}

/// <summary>The three formats differ only in how the same content is written.</summary>
public abstract class FeedEndpoint(Db db) : Endpoint<FeedRequest, Results<FileContentHttpResult, ProblemHttpResult>>
{
    protected abstract string File { get; }
    protected abstract string MediaType { get; }
    protected abstract string Name { get; }
    protected abstract byte[] Write(FeedContent content);

    public override void Configure()
    {
        Get($"/feeds/{File}", $"/feeds/{{code}}/{File}");
        AllowAnonymous();
        Description(b => b.WithTags("Feeds").ClearDefaultProduces().Produces(200, typeof(string), MediaType).ProducesProblems(404));
        Summary(s =>
        {
            s.Summary = $"{Name} 订阅 / {Name} feed of the whole site or of one column";
            s.Description = "最新发布的文章(条数见站点设置),含全文、作者、栏目,以及文章来源与文章类型(cms:source、cms:articleType;JSON Feed 中为 _cms)。" +
                " The latest published articles (count from the site settings) with full body, author, column, and 文章来源/文章类型 " +
                $"(cms:source, cms:articleType in namespace {FeedWriter.CmsNamespace}; _cms in JSON Feed). Supports ETag/Last-Modified.";
        });
    }

    public override async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExecuteAsync(FeedRequest req, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var content = await FeedContent.LoadAsync(conn, req.Code, ct);
        if (content is null)
            return Problems.NotFound(req.Code is null ? "The site has no settings yet." : $"No list column with code '{req.Code}'.");
        HttpContext.Response.Headers.LastModified = content.Updated.ToString("R");
        return TypedResults.File(Write(content), MediaType + "; charset=utf-8");
    }
}

public sealed class GetRssFeed(Db db) : FeedEndpoint(db)
{
    protected override string File => "rss.xml";
    protected override string MediaType => "application/rss+xml";
    protected override string Name => "RSS 2.0";
    protected override byte[] Write(FeedContent content) => FeedWriter.Rss(content);
}

public sealed class GetAtomFeed(Db db) : FeedEndpoint(db)
{
    protected override string File => "atom.xml";
    protected override string MediaType => "application/atom+xml";
    protected override string Name => "Atom 1.0";
    protected override byte[] Write(FeedContent content) => FeedWriter.Atom(content);
}

public sealed class GetJsonFeed(Db db) : FeedEndpoint(db)
{
    protected override string File => "feed.json";
    protected override string MediaType => "application/feed+json";
    protected override string Name => "JSON Feed 1.1";
    protected override byte[] Write(FeedContent content) => FeedWriter.JsonFeed(content);
}
