using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SfPredictor.LocalOrg.Api;

namespace SfPredictor.LocalOrg.Auth;

/// <summary>
/// The identity URL a token response points to (<c>/id/{orgId}/{userId}</c>) and the OpenID Connect
/// <c>/services/oauth2/userinfo</c>, for the session's user. A missing or expired token gets 403
/// <c>Bad_OAuth_Token</c>, as Salesforce's identity service answers.
/// </summary>
internal static class IdentityEndpoints
{
    private const string LatestVersion = "66.0";

    public static void MapIdentity(this WebApplication app, LocalOrgRuntime runtime)
    {
        app.MapGet("/id/{orgId}/{userId}", context => IdentityAsync(context, runtime, userInfo: false));
        app.MapGet("/services/oauth2/userinfo", context => IdentityAsync(context, runtime, userInfo: true));
        app.MapPost("/services/oauth2/userinfo", context => IdentityAsync(context, runtime, userInfo: true));
    }

    private static async Task IdentityAsync(HttpContext context, LocalOrgRuntime runtime, bool userInfo)
    {
        if (!runtime.Tokens.IsValid(ApiGate.BearerToken(context.Request)))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("Bad_OAuth_Token", context.RequestAborted);
            return;
        }

        var path = context.Request.Path.Value!;
        if (!userInfo && path != $"/id/{runtime.OrgId}/{runtime.UserId}")
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("Bad_Id", context.RequestAborted);
            return;
        }

        var user = runtime.Store.Read(() => UserFields(runtime));
        var baseUrl = runtime.BaseUri.ToString().TrimEnd('/');
        var identity = $"{baseUrl}/id/{runtime.OrgId}/{runtime.UserId}";
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            if (userInfo)
            {
                writer.WriteString("sub", identity);
                writer.WriteString("user_id", runtime.UserId);
                writer.WriteString("organization_id", runtime.OrgId);
                writer.WriteString("preferred_username", user.Username);
                writer.WriteString("nickname", user.Alias);
                writer.WriteString("name", user.Name);
                writer.WriteString("email", user.Email);
                writer.WriteBoolean("email_verified", true);
                writer.WriteString("given_name", user.FirstName);
                writer.WriteString("family_name", user.LastName);
                writer.WriteString("zoneinfo", "GMT");
                writer.WriteString("profile", $"{baseUrl}/{runtime.UserId}");
            }
            else
            {
                writer.WriteString("id", identity);
                writer.WriteBoolean("asserted_user", true);
                writer.WriteString("user_id", runtime.UserId);
                writer.WriteString("organization_id", runtime.OrgId);
                writer.WriteString("username", user.Username);
                writer.WriteString("nick_name", user.Alias);
                writer.WriteString("display_name", user.Name);
                writer.WriteString("email", user.Email);
                writer.WriteBoolean("email_verified", true);
                writer.WriteString("first_name", user.FirstName);
                writer.WriteString("last_name", user.LastName);
                writer.WriteString("timezone", "GMT");
            }

            writer.WriteStartObject("urls");
            foreach (var (name, template) in (ReadOnlySpan<(string, string)>)[
                ("enterprise", "/services/Soap/c/{version}/{org}"), ("metadata", "/services/Soap/m/{version}/{org}"),
                ("partner", "/services/Soap/u/{version}/{org}"), ("rest", "/services/data/v{version}/"),
                ("sobjects", "/services/data/v{version}/sobjects/"), ("search", "/services/data/v{version}/search/"),
                ("query", "/services/data/v{version}/query/"), ("recent", "/services/data/v{version}/recent/"),
                ("tooling_soap", "/services/Soap/T/{version}/{org}"), ("tooling_rest", "/services/data/v{version}/tooling/"),
                ("profile", "/{user}"), ("limits", "/services/data/v{version}/limits/"), ("custom_domain", "")])
            {
                writer.WriteString(name, baseUrl + template.Replace("{version}", LatestVersion, StringComparison.Ordinal)
                    .Replace("{org}", runtime.OrgId, StringComparison.Ordinal).Replace("{user}", runtime.UserId, StringComparison.Ordinal));
            }

            writer.WriteEndObject();
            writer.WriteBoolean("active", true);
            writer.WriteString("user_type", "STANDARD");
            writer.WriteString("language", "en_US");
            writer.WriteString("locale", "en_US");
            writer.WriteNumber("utcOffset", 0);
            writer.WriteString(userInfo ? "updated_at" : "last_modified_date", user.Modified);
            writer.WriteEndObject();
        });
    }

    private static (string? Username, string? Alias, string? Name, string? Email, string? FirstName, string? LastName, string Modified) UserFields(LocalOrgRuntime runtime)
    {
        var users = runtime.Store.FindTable("User");
        var row = -1;
        var found = users is not null && users.TryFindRow(runtime.UserId, out row);
        string? Field(string name) => found ? users!.Find(name)?[row] : null;
        var first = Field("FirstName");
        var last = Field("LastName");
        var name = Field("Name") ?? (first is null ? last : last is null ? first : $"{first} {last}");
        var username = Field("Username") ?? "localorg@example.com";
        var modified = runtime.Time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'.000+0000'", System.Globalization.CultureInfo.InvariantCulture);
        return (username, Field("Alias") ?? username.Split('@')[0], name ?? username, Field("Email") ?? username, first, last ?? name, modified);
    }
}
