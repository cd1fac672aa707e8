using FluentValidation;

namespace Cms.Api.Http;

/// <summary>Shared validation rules for text and URLs.</summary>
public static class TextRules
{
    public const string SlugPattern = "^[a-z0-9]+(-[a-z0-9]+)*$";

    /// <summary>No C0 controls (tab, CR, LF allowed only where <paramref name="multiLine"/>), no DEL, no lone surrogates, no U+FFFE/U+FFFF.</summary>
    public static bool IsCleanText(string? value, bool multiLine)
    {
        if (value is null)
            return true;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c < 0x20 && !(multiLine && c is '\t' or '\n' or '\r'))
                return false;
            if (c == 0x7F || c == '\uFFFE' || c == '\uFFFF')
                return false;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                    return false;
                i++;
            }
            else if (char.IsLowSurrogate(c))
                return false;
        }
        return true;
    }

    public static bool IsHttpUrl(string? value) =>
        value is null || (Uri.TryCreate(value, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps) && !value.Any(char.IsWhiteSpace));

    /// <summary>An absolute http(s) URL or a site-relative path ("/uploads/…"), never "//host" or another scheme.</summary>
    public static bool IsHttpOrSitePath(string? value) =>
        value is null || IsHttpUrl(value) || (value.StartsWith('/') && !value.StartsWith("//", StringComparison.Ordinal) && !value.Contains('\\') && !value.Any(char.IsWhiteSpace));

    public static IRuleBuilderOptions<T, string?> Line<T>(this IRuleBuilder<T, string?> rule, int max) =>
        rule.MaximumLength(max).Must(v => IsCleanText(v, multiLine: false)).WithMessage("'{PropertyName}' must not contain control characters, line breaks or invalid Unicode.");

    public static IRuleBuilderOptions<T, string?> Text<T>(this IRuleBuilder<T, string?> rule, int max) =>
        rule.MaximumLength(max).Must(v => IsCleanText(v, multiLine: true)).WithMessage("'{PropertyName}' must not contain control characters or invalid Unicode.");

    public static IRuleBuilderOptions<T, string?> HttpUrl<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(2000).Must(IsHttpUrl).WithMessage("'{PropertyName}' must be an absolute http or https URL.");

    public static IRuleBuilderOptions<T, string?> HttpOrSitePath<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(2000).Must(IsHttpOrSitePath).WithMessage("'{PropertyName}' must be an http or https URL or a path starting with /.");
}
