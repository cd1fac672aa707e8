using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;

namespace Cms.Api.Features.Articles;

public sealed class CreateArticleRequest : ArticleInput;

public sealed class CreateArticleValidator : Validator<CreateArticleRequest>
{
    public CreateArticleValidator() => Include(new ArticleInputValidator());
}

public sealed class CreateArticle(Db db) : Endpoint<CreateArticleRequest, Results<Created<AdminArticle>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/api/v1/admin/articles");
        Roles(Role.AtLeastAuthor);
        Description(b => b.WithTags("Admin: Articles").ClearDefaultProduces(200).ProducesProblems(401, 403, 409));
        Summary(s =>
        {
            s.Summary = "新建文章(草稿) / Create an article as a draft";
            s.Description = "新文章总是草稿,发布请调用 …/publish。正文 HTML 按白名单清洗,响应中是保留下的内容。不填 slug 时自动生成。" +
                " A new article is always a draft; publish it with …/publish. bodyHtml is sanitized against an allowlist and the response shows what was kept. A slug is generated when none is given.";
            s.ExampleRequest = ArticleInput.Example<CreateArticleRequest>();
        });
    }

    public override async Task<Results<Created<AdminArticle>, ProblemHttpResult>> ExecuteAsync(CreateArticleRequest req, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginWriteAsync(ct);
        if (await ArticleWrite.CheckReferencesAsync(conn, tx, req, ct) is { } bad)
            return bad;
        long id;
        try
        {
            id = await conn.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO articles (slug, legacy_id, category_id, title, subtitle, summary, body_html, source, article_type,
                    content_category, author, original_url, cover_image_url, cover_image_alt, is_focus, is_pinned, validity,
                    validity_note, publish_at, status, created_by, created_at, updated_at)
                VALUES (@Slug, @LegacyId, @CategoryId, @Title, @Subtitle, @Summary, @BodyHtml, @Source, @ArticleType,
                    @ContentCategory, @Author, @OriginalUrl, @CoverImageUrl, @CoverImageAlt, @IsFocus, @IsPinned, @Validity,
                    @ValidityNote, @PublishAt, 'draft', @createdBy, @now, @now)
                RETURNING id
                """,
                new DynamicParameters(ArticleWrite.Columns(req, req.Slug ?? ArticleWrite.NewSlug()))
                    .With(new { createdBy = User.KeyId(), now = UtcTime.Now() }),
                tx, cancellationToken: ct));
        }
        catch (System.Data.Common.DbException e) when (ArticleWrite.Conflict(e) is { } conflict)
        {
            return conflict;
        }
        await ArticleWrite.SaveChildrenAsync(conn, tx, id, req, ct);
        var row = (await ArticleSql.ByIdAsync(conn, id, ct, tx))!;
        var tags = ArticleCacheTags.Of(id, null, await ArticleCacheTags.SnapshotAsync(conn, tx, id, ct));
        await Changes.AppendAsync(conn, tx, Changes.Article, id, ct: ct, slug: row.Slug, tags: tags);
        var body = await ArticleSql.AdminResponseAsync(conn, row, ct, tx);
        await tx.CommitAsync(ct);
        HttpContext.Response.Headers.ETag = IfMatch.ETag(row.Version);
        return TypedResults.Created($"/api/v1/admin/articles/{id}", body);
    }
}
