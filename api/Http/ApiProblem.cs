using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Http;

/// <summary>The RFC 9457 problem body every error uses; a plain POCO so OpenAPI shows it.</summary>
public sealed class ApiProblem
{
    public string Type { get; init; } = "about:blank";
    public string Title { get; init; } = "";
    public int Status { get; init; }
    public string Instance { get; init; } = "";
    public string TraceId { get; init; } = "";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Detail { get; init; }
    public List<ApiProblemError> Errors { get; init; } = [];
}

public sealed class ApiProblemError
{
    public string Name { get; init; } = "";
    public string Reason { get; init; } = "";
}

/// <summary>Typed problem+json results for the expected failures (not found, conflict, preconditions).</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string detail = "No such resource.") => Make(404, "Not Found", detail);
    public static ProblemHttpResult Conflict(string field, string reason) => Make(409, "Conflict", reason, field);
    public static ProblemHttpResult BadRequest(string field, string reason) => Make(400, "Bad Request", reason, field);
    public static ProblemHttpResult Forbidden(string detail) => Make(403, "Forbidden", detail);
    public static ProblemHttpResult PreconditionFailed() =>
        Make(412, "Precondition Failed", "The resource was changed since you read it: GET it again and retry with its current ETag.", "If-Match");
    public static ProblemHttpResult PreconditionRequired() =>
        Make(428, "Precondition Required", "Send If-Match with the ETag from your last GET of this resource.", "If-Match");

    public static ProblemHttpResult Make(int status, string title, string detail, string? field = null)
    {
        var pd = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Type = TypeFor(status),
            Title = title,
            Status = status,
            Detail = detail,
        };
        pd.Extensions["errors"] = field is null ? Array.Empty<object>() : new[] { new ApiProblemError { Name = field, Reason = detail } };
        return TypedResults.Problem(pd);
    }

    public static string TypeFor(int status) => status switch
    {
        400 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
        401 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2",
        403 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4",
        404 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5",
        409 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10",
        412 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.13",
        413 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14",
        415 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.16",
        428 => "https://www.rfc-editor.org/rfc/rfc6585#section-3",
        503 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4",
        _ => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.1",
    };

    /// <summary>Writes a problem body directly, for middleware that runs outside an endpoint.</summary>
    public static async Task WriteAsync(HttpContext ctx, int status, string title, string detail, string? field = null)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/problem+json; charset=utf-8";
        var body = new ApiProblem
        {
            Type = TypeFor(status),
            Title = title,
            Status = status,
            Instance = ctx.Request.Path,
            TraceId = ctx.TraceIdentifier,
            Detail = detail,
            Errors = field is null ? [] : [new ApiProblemError { Name = field, Reason = detail }],
        };
        await JsonSerializer.SerializeAsync(ctx.Response.Body, body, Json.Options, ctx.RequestAborted);
    }
}
