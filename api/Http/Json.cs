using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cms.Api.Http;

public static class Json
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>camelCase, enums as lowercase strings, unknown and duplicate members rejected, Chinese unescaped.</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        o.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        o.AllowDuplicateProperties = false;
        o.NumberHandling = JsonNumberHandling.Strict;
        o.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        // null for a member that is not nullable ("tags": null) is a 400 naming it, not a null that fails later
        o.RespectNullableAnnotations = true;
        // Chinese text and HTML bodies go out as written, readable in Swagger UI and curl. Safe here: every JSON
        // response carries nosniff and CSP default-src 'none', and nothing embeds it in an HTML page.
        o.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        return o;
    }

    public static string EnumText<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    public static T ParseEnum<T>(string value) where T : struct, Enum => Enum.Parse<T>(value, ignoreCase: true);
}
