using Cms.Api.Data;
using Cms.Api.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Features.Health;

public sealed class GetSiteHealth(Db db, SiteHealthOptions options, IWebHostEnvironment env) : EndpointWithoutRequest<Ok<SiteHealthReport>>
{
    public override void Configure()
    {
        Get("/api/v1/admin/site-health");
        Roles(Role.AtLeastEditor);
        Description(b => b.WithTags("Admin: Site health").ProducesProblems(401, 403));
        Summary(s =>
        {
            s.Summary = "网站检查报告 / The site inspection report (政府网站检查)";
            s.Description = "空白栏目、更新不及时的栏目(Cms:SiteHealth:StaleDays,按栏目 StaleDaysByColumn)、站内死链与失效媒体、无替代文字的图片、缺少的备案与标识设置、无文章来源的已发布文章,以及外部链接(仅列出;管理员开启 CheckExternalLinks 后才访问,且不访问内网地址)。" +
                " Blank columns, columns not updated in time (Cms:SiteHealth:StaleDays, per column StaleDaysByColumn), links and media on this site that lead" +
                " nowhere, images without alt text, missing filing and identification settings (ICP, 公安备案, 网站标识码, 主办单位), published articles without 文章来源," +
                " and external links: listed, fetched only when an admin sets Cms:SiteHealth:CheckExternalLinks (never private, loopback or link-local addresses)." +
                " Also as a command: dotnet run --project api -- site-health.";
        });
    }

    public override async Task<Ok<SiteHealthReport>> ExecuteAsync(CancellationToken ct) =>
        TypedResults.Ok(await SiteHealth.RunAsync(db, options, env.WebRootPath, ct));
}
