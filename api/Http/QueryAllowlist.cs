using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using FastEndpoints;
using FluentValidation.Results;

namespace Cms.Api.Http;

/// <summary>Any query parameter an endpoint's request DTO does not declare is a 400 naming it.</summary>
public sealed class QueryAllowlist : IGlobalPreProcessor
{
    private static readonly ConcurrentDictionary<EndpointDefinition, HashSet<string>> Allowed = new();

    public Task PreProcessAsync(IPreProcessorContext ctx, CancellationToken ct)
    {
        var query = ctx.HttpContext.Request.Query;
        if (query.Count == 0)
            return Task.CompletedTask;
        var def = ctx.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EndpointDefinition>();
        var allowed = def is null ? [] : Allowed.GetOrAdd(def, static d => d.ReqDtoType == typeof(EmptyRequest)
            ? []
            : d.ReqDtoType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name))
                .Where(n => !d.Routes.Any(r => r.Contains('{' + n + '}', StringComparison.OrdinalIgnoreCase)))
                .ToHashSet(StringComparer.OrdinalIgnoreCase));
        foreach (var key in query.Keys.Where(k => !allowed.Contains(k)))
            ctx.ValidationFailures.Add(new ValidationFailure(key, $"Unknown query parameter '{key}'."));
        return ctx.HasValidationFailures
            ? ctx.HttpContext.Response.SendErrorsAsync(ctx.ValidationFailures, cancellation: ct)
            : Task.CompletedTask;
    }
}
