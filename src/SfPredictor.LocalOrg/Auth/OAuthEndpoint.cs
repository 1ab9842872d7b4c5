using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SfPredictor.LocalOrg.Api;

namespace SfPredictor.LocalOrg.Auth;

/// <summary>
/// <c>POST /services/oauth2/token</c> for the JWT bearer and client credentials grants, answering
/// like Salesforce: the token response on success, <c>{"error", "error_description"}</c> with 400 otherwise.
/// </summary>
internal static class OAuthEndpoint
{
    private const string JwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private const string ClientCredentialsGrant = "client_credentials";

    public static void MapOAuth(this WebApplication app, LocalOrgRuntime runtime) =>
        app.MapPost("/services/oauth2/token", context => TokenAsync(context, runtime));

    private static async Task TokenAsync(HttpContext context, LocalOrgRuntime runtime)
    {
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : FormCollection.Empty;
        var grantType = form["grant_type"].ToString();
        var refusal = grantType switch
        {
            JwtBearerGrant => CheckJwtBearer(form, runtime),
            ClientCredentialsGrant => CheckClientCredentials(form, context.Request, runtime),
            _ => ("unsupported_grant_type", "grant type not supported", "the grant type is neither JWT bearer nor client credentials"),
        };
        if (refusal is { } refused)
        {
            Log.LoginRefused(runtime.Logger, grantType.Length == 0 ? "(no grant type)" : grantType, refused.Reason);
            await ApiResponses.WriteOAuthErrorAsync(context, StatusCodes.Status400BadRequest, refused.Error, refused.Description);
            return;
        }

        var issuedAt = runtime.Time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var instanceUrl = runtime.BaseUri.ToString().TrimEnd('/');
        var id = $"{instanceUrl}/id/{runtime.OrgId}/{runtime.UserId}";
        var token = runtime.Tokens.Issue();
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("access_token", token);
            writer.WriteString("signature", Signature(id, issuedAt, runtime.Options.ClientSecret));
            writer.WriteString("scope", "api");
            writer.WriteString("instance_url", instanceUrl);
            writer.WriteString("id", id);
            writer.WriteString("token_type", "Bearer");
            writer.WriteString("issued_at", issuedAt);
            writer.WriteEndObject();
        });
    }

    private static (string Error, string Description, string Reason)? CheckJwtBearer(IFormCollection form, LocalOrgRuntime runtime)
    {
        if (runtime.Jwt is null)
        {
            return ("invalid_grant", "invalid assertion", "no public key is configured, so JWT bearer logins are off");
        }

        var audiences = new[] { "https://login.salesforce.com", "https://test.salesforce.com", runtime.BaseUri.ToString().TrimEnd('/') };
        var check = runtime.Jwt.Verify(form["assertion"].ToString(), audiences);
        return check.Error is null ? null : (check.Error, check.Description!, check.Reason!);
    }

    private static (string Error, string Description, string Reason)? CheckClientCredentials(IFormCollection form, HttpRequest request, LocalOrgRuntime runtime)
    {
        var (clientId, secret) = BasicCredentials(request) ?? (form["client_id"].ToString(), form["client_secret"].ToString());
        if (!string.Equals(clientId, runtime.Options.ClientId, StringComparison.Ordinal))
        {
            return ("invalid_client_id", "client identifier invalid", "client_id is not the configured client id");
        }

        var expected = runtime.Options.ClientSecret;
        return expected is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(expected))
            ? null
            : ("invalid_client", "invalid client credentials", "client_secret is wrong or no secret is configured");
    }

    private static (string ClientId, string Secret)? BasicCredentials(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : (Uri.UnescapeDataString(decoded[..colon]), Uri.UnescapeDataString(decoded[(colon + 1)..]));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    // Salesforce signs id + issued_at with the consumer secret so a client can check the answer's origin.
    private static string Signature(string id, string issuedAt, string? secret)
    {
        var key = secret is { Length: > 0 } ? Encoding.UTF8.GetBytes(secret) : RandomNumberGenerator.GetBytes(32);
        return Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(id + issuedAt)));
    }
}
