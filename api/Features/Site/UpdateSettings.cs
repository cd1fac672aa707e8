using Cms.Api.Data;
using Cms.Api.Http;
using Dapper;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Site;

public sealed class UpdateSettingsRequest : SettingsInput;

public sealed class UpdateSettingsValidator : Validator<UpdateSettingsRequest>
{
    public UpdateSettingsValidator() => Include(new SettingsInputValidator());
}

public sealed class UpdateSettings(Db db) : Endpoint<UpdateSettingsRequest, Results<Ok<SettingsRow>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Put("/api/v1/admin/settings");
        Roles(Role.AdminOnly);
        Description(b => b.WithTags("Admin: Settings").ProducesProblems(401, 403, 412, 428));
        Summary(s =>
        {
            s.Summary = "修改站点设置 / Replace the site settings";
            s.Description = "页脚与版权声明的数据来源,前端不写死任何值。需 If-Match(首次设置时用 *)。免责声明按白名单清洗。" +
                " The footer and disclaimer on every page come from here. Needs If-Match (* when there are no settings yet). The disclaimer HTML is sanitized.";
            s.ExampleRequest = SettingsInput.Example();
        });
    }

    public override Task<Results<Ok<SettingsRow>, ProblemHttpResult>> ExecuteAsync(UpdateSettingsRequest req, CancellationToken ct) =>
        SaveAsync(db, HttpContext, req, ct);

    /// <summary>The replace; PATCH merges its patch into the current fields and ends here too.</summary>
    public static async Task<Results<Ok<SettingsRow>, ProblemHttpResult>> SaveAsync(Db db, HttpContext http, UpdateSettingsRequest req, CancellationToken ct)
    {
        var (ifMatch, precondition) = IfMatch.Read(http);
        if (precondition is not null)
            return precondition;
        req.PartyGovLabelHtml = HtmlPolicy.CleanOrNull(req.PartyGovLabelHtml);
        req.DisclaimerHtml = HtmlPolicy.Clean(req.DisclaimerHtml);
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginWriteAsync(ct);
        var version = await conn.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT version FROM site_settings WHERE id = 1", transaction: tx, cancellationToken: ct));
        if (version is { } v && !ifMatch!.Matches(v))
            return Problems.PreconditionFailed();
        var row = await conn.QuerySingleAsync<SettingsRow>(new CommandDefinition(
            $"""
            INSERT INTO site_settings (id, site_name, site_domain, copyright_holder, address, postcode, tech_support, phone, email,
                icp_number, icp_url, public_security_filing_text, public_security_record_code, site_id_code, party_gov_label_html,
                disclaimer_title, disclaimer_html, seo_keywords, seo_description, feed_item_count, version, updated_at)
            VALUES (1, @SiteName, @SiteDomain, @CopyrightHolder, @Address, @Postcode, @TechSupport, @Phone, @Email,
                @IcpNumber, @IcpUrl, @PublicSecurityFilingText, @PublicSecurityRecordCode, @SiteIdCode, @PartyGovLabelHtml,
                @DisclaimerTitle, @DisclaimerHtml, @SeoKeywords, @SeoDescription, @FeedItemCount, 1, @now)
            ON CONFLICT (id) DO UPDATE SET
                site_name = excluded.site_name, site_domain = excluded.site_domain, copyright_holder = excluded.copyright_holder,
                address = excluded.address, postcode = excluded.postcode, tech_support = excluded.tech_support, phone = excluded.phone,
                email = excluded.email, icp_number = excluded.icp_number, icp_url = excluded.icp_url,
                public_security_filing_text = excluded.public_security_filing_text,
                public_security_record_code = excluded.public_security_record_code, site_id_code = excluded.site_id_code,
                party_gov_label_html = excluded.party_gov_label_html, disclaimer_title = excluded.disclaimer_title,
                disclaimer_html = excluded.disclaimer_html, seo_keywords = excluded.seo_keywords,
                seo_description = excluded.seo_description, feed_item_count = excluded.feed_item_count, version = site_settings.version + 1, updated_at = excluded.updated_at
            RETURNING {SettingsSql.Columns}
            """,
            new DynamicParameters(req).With(new { now = UtcTime.Now() }), tx, cancellationToken: ct));
        await Changes.AppendAsync(conn, tx, Changes.Settings, 1, ct: ct);
        await tx.CommitAsync(ct);
        http.Response.Headers.ETag = IfMatch.ETag(row.Version);
        return TypedResults.Ok(row);
    }
}
