using SfPredictor.Salesforce.Auth;

namespace SfPredictor.Salesforce;

/// <summary>What a streaming API (the Pub/Sub API) authenticates with: the REST session's token, instance and org.</summary>
public sealed class SalesforceStreamingSession
{
    internal SalesforceStreamingSession(SalesforceSession session)
    {
        AccessToken = session.AccessToken;
        InstanceUrl = session.InstanceUrl;
        OrgId = session.OrgId;
        UserId = session.UserId;
    }

    /// <summary>The access token (never log it).</summary>
    public string AccessToken { get; }

    /// <summary>The org's instance URL.</summary>
    public Uri InstanceUrl { get; }

    /// <summary>The org's Id (the Pub/Sub API's <c>tenantid</c>); null when the login did not name it.</summary>
    public string? OrgId { get; }

    /// <summary>The integration user's Id; null when the login did not name it.</summary>
    public string? UserId { get; }

    /// <inheritdoc />
    public override string ToString() => $"Salesforce session on {InstanceUrl}";
}

public sealed partial class SalesforceClient
{
    /// <summary>
    /// The current session, logging in when there is none; with <paramref name="renew"/> a fresh one (after a
    /// streaming call was refused as unauthenticated). A login is not an API call.
    /// </summary>
    public async Task<SalesforceStreamingSession> GetStreamingSessionAsync(bool renew = false, CancellationToken cancellationToken = default)
    {
        var session = await _connection.Authenticator.GetSessionAsync(rejected: null, cancellationToken);
        if (renew)
        {
            session = await _connection.Authenticator.GetSessionAsync(rejected: session, cancellationToken);
        }

        return new SalesforceStreamingSession(session);
    }
}
