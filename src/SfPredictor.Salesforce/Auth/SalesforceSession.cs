namespace SfPredictor.Salesforce.Auth;

/// <summary>An access token and the instance it is valid for.</summary>
internal sealed class SalesforceSession(string accessToken, Uri instanceUrl)
{
    public string AccessToken { get; } = accessToken;

    public Uri InstanceUrl { get; } = instanceUrl;

    // The token must never reach a log through string formatting.
    public override string ToString() => $"Salesforce session on {InstanceUrl}";
}
