using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace Cms.Api.Http;

/// <summary>The RFC 9457 problem body every error uses; a plain POCO so OpenAPI shows it.</summary>
public sealed class ApiProblem
{
    public string Type { get; init; } = "about:blank";
    public string Title { get; init; } = "";
    public int Status { get; init; }
    public string Instance { get; init; } = "";
    public string TraceId { get; init; } = "";
    public string Detail { get; init; } = "";
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

    /// <summary>Validation failures outside FastEndpoints' own binding (a merged PATCH): the same body as its 400s.</summary>
    public static ProblemHttpResult Invalid(IEnumerable<FluentValidation.Results.ValidationFailure> failures)
    {
        var pd = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Type = TypeFor(400),
            Title = "Bad Request",
            Status = 400,
            Detail = "One or more fields are not valid; see errors.",
        };
        pd.Extensions["errors"] = Errors(failures);
        return TypedResults.Problem(pd);
    }

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

    /// <summary>
    /// One base for every problem type: the section of the RFC that defines the status code. The title is the
    /// status's reason phrase; detail and errors say what went wrong.
    /// </summary>
    public const string TypeBase = "https://www.rfc-editor.org/rfc/";

    public static string TypeFor(int status) => TypeBase + status switch
    {
        428 => "rfc6585#section-3",
        429 => "rfc6585#section-4",
        507 => "rfc4918#section-11.5",
        _ => $"rfc9110#status.{status}",
    };

    /// <summary>The detail of a framework answer (unknown route, wrong method or media type) that has none of its own.</summary>
    public static string DefaultDetail(int status) => status switch
    {
        400 => "The request is not valid.",
        401 => "Send a valid API key in X-Api-Key or as a Bearer token.",
        403 => "Your key's role does not allow this.",
        404 => "No such resource.",
        405 => "This method is not allowed on this resource; see the Allow header.",
        406 => "No representation matches the Accept header.",
        413 => $"The request body is larger than {BodyLimit.MaxBytes} bytes.",
        415 => "Send the body as application/json.",
        _ => ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase + "." : "The request failed.",
    };

    /// <summary>The body FastEndpoints sends for validation failures: the same shape as every other problem.</summary>
    public static ApiProblem FromFailures(IEnumerable<FluentValidation.Results.ValidationFailure> failures, HttpContext ctx, int status) => new()
    {
        Type = TypeFor(status),
        Title = ReasonPhrases.GetReasonPhrase(status),
        Status = status,
        Instance = ctx.Request.Path,
        TraceId = ctx.TraceIdentifier,
        Detail = "One or more fields are not valid; see errors.",
        Errors = Errors(failures),
    };

    /// <summary>One error per field and reason, the field named as in JSON.</summary>
    private static List<ApiProblemError> Errors(IEnumerable<FluentValidation.Results.ValidationFailure> failures) =>
        failures.GroupBy(f => (f.PropertyName, f.ErrorMessage))
            .Select(g => new ApiProblemError { Name = FieldName(g.Key.PropertyName), Reason = g.Key.ErrorMessage })
            .ToList();

    /// <summary>"CoverImage.Url" → "coverImage.url", as the member is spelled in JSON.</summary>
    public static string FieldName(string property) =>
        string.Join('.', property.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));

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
