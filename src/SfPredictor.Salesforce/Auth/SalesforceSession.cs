namespace SfPredictor.Salesforce.Auth;

/// <summary>An access token, the instance it is valid for, and whom it belongs to.</summary>
/// <param name="accessToken">The token.</param>
/// <param name="instanceUrl">The org's instance.</param>
/// <param name="orgId">The org's Id, from the login's identity URL (<c>.../id/00D.../005...</c>); null when absent.</param>
/// <param name="userId">The integration user's Id, from the same URL; null when absent.</param>
internal sealed class SalesforceSession(string accessToken, Uri instanceUrl, string? orgId = null, string? userId = null)
{
    public string AccessToken { get; } = accessToken;

    public Uri InstanceUrl { get; } = instanceUrl;

    public string? OrgId { get; } = orgId;

    public string? UserId { get; } = userId;

    // The token must never reach a log through string formatting.
    public override string ToString() => $"Salesforce session on {InstanceUrl}";

    /// <summary>The org and user Ids of an identity URL such as <c>https://login.salesforce.com/id/00D.../005...</c>.</summary>
    public static (string? OrgId, string? UserId) ParseIdentity(string? identity)
    {
        var parts = identity?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return parts.Length >= 3 && parts[^3] == "id" && Records.SalesforceId.TryNormalize(parts[^2], out var org) && Records.SalesforceId.TryNormalize(parts[^1], out var user)
            ? (org, user)
            : (null, null);
    }
}
