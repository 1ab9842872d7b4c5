using System.Text;
using System.Text.Json;
using Azure.Core;

namespace SfPredictor.ModelStore.Tests.Infrastructure;

/// <summary>
/// Issues JWTs shaped like Entra ID's for the given audience. Azurite's basic OAuth checks issuer, audience and
/// lifetime but not the signature, so the tests need no identity provider.
/// </summary>
public sealed class UnsignedJwtCredential(string audience) : TokenCredential
{
    private int _requests;

    public int Requests => _requests;

    public string[] LastScopes { get; private set; } = [];

    public string? LastToken { get; private set; }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        LastScopes = requestContext.Scopes;
        var now = TimeProvider.System.GetUtcNow();
        var claims = new Dictionary<string, object>
        {
            ["aud"] = audience,
            ["iss"] = "https://sts.windows.net/00000000-0000-0000-0000-000000000001/",
            ["iat"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
            ["oid"] = "00000000-0000-0000-0000-000000000002",
        };
        LastToken = $"{Base64Url("""{"alg":"RS256","typ":"JWT"}""")}.{Base64Url(JsonSerializer.Serialize(claims))}.{Base64Url("unsigned")}";
        return new AccessToken(LastToken, now.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));

    private static string Base64Url(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
