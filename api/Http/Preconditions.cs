using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cms.Api.Http;

/// <summary>
/// ETags of editable resources are derived from their version ("v3"). Updates and deletes send If-Match:
/// none → 428, malformed → 400, no listed tag equal to the current one → 412. Weak tags never match (RFC 9110
/// strong comparison); "*" matches any current version.
/// </summary>
public sealed class IfMatch
{
    private readonly HashSet<long> _versions = [];
    private bool _any;

    public bool Present { get; private init; }

    public static string ETag(long version) => $"\"v{version.ToString(CultureInfo.InvariantCulture)}\"";

    public static (IfMatch? Value, ProblemHttpResult? Problem) Read(HttpContext ctx, bool required = true)
    {
        var raw = ctx.Request.Headers.IfMatch.ToString().Trim();
        if (raw.Length == 0)
            return required ? (null, Problems.PreconditionRequired()) : (new IfMatch(), null);
        var result = new IfMatch { Present = true };
        if (raw == "*")
        {
            result._any = true;
            return (result, null);
        }
        foreach (var part in raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var tag = part.StartsWith("W/", StringComparison.Ordinal) ? part[2..] : part;
            if (tag.Length < 2 || tag[0] != '"' || tag[^1] != '"' || tag[1..^1].Contains('"'))
                return (null, Problems.BadRequest("If-Match", "If-Match must be a quoted ETag such as \"v3\", a list of them, or *."));
            if (part.StartsWith("W/", StringComparison.Ordinal))
                continue;
            var inner = tag[1..^1];
            if (inner.StartsWith('v') && long.TryParse(inner.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var v))
                result._versions.Add(v);
        }
        return (result, null);
    }

    /// <summary>True when the write may go ahead against <paramref name="currentVersion"/>.</summary>
    public bool Matches(long currentVersion) => !Present || _any || _versions.Contains(currentVersion);
}
