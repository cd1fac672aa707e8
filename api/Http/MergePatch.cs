using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Http;

/// <summary>
/// PATCH with JSON Merge Patch (RFC 7396): the patch is merged into the resource's current writable fields, and the
/// result goes through the same validator and the same write as PUT, If-Match included. A member set to null removes
/// an optional field (or is a 400 where the field is required); a member the resource does not have is a 400.
/// </summary>
public static class MergePatch
{
    public const string MediaType = "application/merge-patch+json";

    public const string Description =
        "只发送要改的字段(JSON Merge Patch,RFC 7396,Content-Type: application/merge-patch+json);字段设为 null 表示清空。" +
        "需 If-Match(读取时的 ETag):他人已修改返回 412,缺少返回 428。校验规则与整体替换(PUT)相同。" +
        " Send only the fields to change (JSON Merge Patch, RFC 7396, Content-Type: application/merge-patch+json); null clears a field." +
        " Needs If-Match with the ETag of your last read: 412 when someone changed it since, 428 without it. The same rules as PUT apply.";

    /// <summary>
    /// Reads the patch, merges it into <paramref name="current"/> (the resource as staff read it, adapted to the input's
    /// member names by <paramref name="adapt"/>), binds and validates the result as <typeparamref name="TInput"/>.
    /// </summary>
    public static async Task<(TInput? Input, ProblemHttpResult? Problem)> MergeAsync<TInput>(
        HttpContext http, object current, long currentVersion, IValidator<TInput> validator, CancellationToken ct,
        Action<JsonObject>? adapt = null) where TInput : class
    {
        var (ifMatch, precondition) = IfMatch.Read(http);
        if (precondition is not null)
            return (null, precondition);
        if (!ifMatch!.Matches(currentVersion))
            return (null, Problems.PreconditionFailed());
        // "*" was checked against the version merged here: the write must find that same version
        http.Request.Headers.IfMatch = IfMatch.ETag(currentVersion);

        var mediaType = http.Request.ContentType?.Split(';')[0].Trim();
        if (!string.Equals(mediaType, MediaType, StringComparison.OrdinalIgnoreCase) && !string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
            return (null, Problems.Make(415, "Unsupported Media Type", $"Send the patch as {MediaType}."));
        JsonNode? patch;
        try
        {
            patch = await JsonNode.ParseAsync(http.Request.Body, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }, cancellationToken: ct);
        }
        catch (JsonException)
        {
            return (null, Problems.BadRequest("body", "The patch is not valid JSON."));
        }
        if (patch is not JsonObject patchObject)
            return (null, Problems.BadRequest("body", "A merge patch is a JSON object naming the fields to change."));

        var target = JsonSerializer.SerializeToNode(current, current.GetType(), Json.Options)!.AsObject();
        adapt?.Invoke(target);
        var writable = typeof(TInput).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (var name in target.Select(kv => kv.Key).Where(k => !writable.Contains(k)).ToList())
            target.Remove(name);

        var merged = Apply(target, patchObject);
        TInput? input;
        try
        {
            input = merged.Deserialize<TInput>(Json.Options);
        }
        catch (JsonException e)
        {
            var failure = Startup.JsonError(e);
            return (null, Problems.BadRequest(failure.PropertyName, failure.ErrorMessage));
        }
        if (input is null)
            return (null, Problems.BadRequest("body", "A merge patch is a JSON object naming the fields to change."));
        var result = await validator.ValidateAsync(input, ct);
        return result.IsValid ? (input, null) : (null, Problems.Invalid(result.Errors));
    }

    /// <summary>RFC 7396 §2: objects merge member by member, null removes, anything else replaces.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
            return patch?.DeepClone();
        var result = target is JsonObject t ? t.DeepClone().AsObject() : new JsonObject();
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
                result.Remove(name);
            else
                result[name] = Apply(result[name], value);
        }
        return result;
    }
}

/// <summary>
/// Endpoint metadata naming the PUT body a PATCH merges into, for the OpenAPI document. (Accepts metadata would make
/// routing answer a missing Content-Type with a bare 415 before the endpoint could say what is wrong.)
/// </summary>
public sealed record MergePatchBody(Type Input);
