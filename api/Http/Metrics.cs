using System.Diagnostics.Metrics;
using Cms.Api.Data;
using Dapper;
using OpenTelemetry.Metrics;

namespace Cms.Api.Http;

/// <summary>
/// Metrics in Prometheus format at /metrics (OpenTelemetry): request rate and latency per route from ASP.NET Core's
/// instrumentation, and the app's own: public cache hits, misses and entries, database busy answers, scheduled
/// articles waiting to be published. Cms:Metrics=false turns the endpoint off; keep it off the public proxy.
/// </summary>
public sealed class CmsMetrics
{
    public const string MeterName = "Cms";

    public Counter<long> CacheHits { get; }
    public Counter<long> CacheMisses { get; }
    public Counter<long> DatabaseBusy { get; }

    public CmsMetrics(IMeterFactory meters, Db db, PublicCache cache)
    {
        var meter = meters.Create(MeterName);
        CacheHits = meter.CreateCounter<long>("cms.cache.hits", description: "Public answers served from the memory cache");
        CacheMisses = meter.CreateCounter<long>("cms.cache.misses", description: "Public answers computed because the cache had none");
        DatabaseBusy = meter.CreateCounter<long>("cms.sqlite.busy", description: "Requests answered 503 because the database stayed busy past its timeout");
        meter.CreateObservableGauge("cms.cache.entries", () => (long)cache.Count, description: "Public answers held in the memory cache");
        meter.CreateObservableGauge("cms.publish.queue", () =>
        {
            using var conn = db.Open();
            return conn.ExecuteScalar<long>("SELECT count(*) FROM articles WHERE status = 'published' AND publish_at > @now", new { now = UtcTime.Now() });
        }, description: "Articles published for a future time, not yet public");
    }
}

public static class CmsMetricsSetup
{
    public static IServiceCollection AddCmsMetrics(this IServiceCollection services, IConfiguration config)
    {
        services.AddMetrics();
        services.AddSingleton<CmsMetrics>();
        if (config.GetValue("Cms:Metrics", true))
        {
            services.AddOpenTelemetry().WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddMeter(CmsMetrics.MeterName)
                .AddPrometheusExporter());
        }
        return services;
    }

    public static void MapCmsMetrics(this WebApplication app)
    {
        app.Services.GetRequiredService<CmsMetrics>();   // the gauges exist before the first scrape
        if (app.Configuration.GetValue("Cms:Metrics", true))
            app.MapPrometheusScrapingEndpoint("/metrics").WithMetadata(new Microsoft.AspNetCore.Routing.ExcludeFromDescriptionAttribute());
    }
}
