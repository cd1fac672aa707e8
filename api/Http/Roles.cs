using System.Security.Claims;

namespace Cms.Api.Http;

public static class Role
{
    public const string Author = "author";
    public const string Editor = "editor";
    public const string Admin = "admin";

    public static readonly string[] All = [Author, Editor, Admin];
    public static readonly string[] AtLeastAuthor = [Author, Editor, Admin];
    public static readonly string[] AtLeastEditor = [Editor, Admin];
    public static readonly string[] AdminOnly = [Admin];

    public static long KeyId(this ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "0", System.Globalization.CultureInfo.InvariantCulture);

    public static bool IsAuthorOnly(this ClaimsPrincipal user) => user.IsInRole(Author) && !user.IsInRole(Editor) && !user.IsInRole(Admin);
}
