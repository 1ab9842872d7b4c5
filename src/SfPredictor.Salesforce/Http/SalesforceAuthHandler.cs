using System.Net.Http.Headers;
using SfPredictor.Salesforce.Auth;
using SfPredictor.Salesforce.Telemetry;

namespace SfPredictor.Salesforce.Http;

/// <summary>
/// Outermost handler of the data API client: puts the session's bearer token on each call and, when
/// Salesforce answers 401 INVALID_SESSION_ID (the session expired or was revoked), logs in again once and
/// sends the call again with the new session. Concurrent calls that saw the same expiry share one login.
/// </summary>
internal sealed class SalesforceAuthHandler(SalesforceConnection connection) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var session = await connection.Authenticator.GetSessionAsync(rejected: null, cancellationToken);
        Authorize(request, session);
        var response = await base.SendAsync(request, cancellationToken);
        if (!await SalesforceErrors.IsInvalidSessionAsync(response, cancellationToken))
        {
            return response;
        }

        response.Dispose();
        Log.SessionExpired(connection.Logger, SalesforceHttp.CallOf(request));
        var renewed = await connection.Authenticator.GetSessionAsync(rejected: session, cancellationToken);
        Authorize(request, renewed);
        return await base.SendAsync(request, cancellationToken);
    }

    // The token goes only to the session's own instance; a renewed session may name another one.
    private static void Authorize(HttpRequestMessage request, SalesforceSession session)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } uri
            && !string.Equals(uri.GetLeftPart(UriPartial.Authority), session.InstanceUrl.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
        {
            request.RequestUri = new Uri(session.InstanceUrl, uri.PathAndQuery);
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessToken);
    }
}
