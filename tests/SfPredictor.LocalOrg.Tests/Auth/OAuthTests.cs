using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SfPredictor.LocalOrg.Tests.Infrastructure;

namespace SfPredictor.LocalOrg.Tests.Auth;

/// <summary>RSA keys are slow to make, so the tests share two: the configured one and a stranger's.</summary>
public sealed class SigningKeys : IDisposable
{
    public SigningKeys() => File.WriteAllText(PublicKeyPath, Configured.ExportSubjectPublicKeyInfoPem());

    internal RSA Configured { get; } = RSA.Create(2048);

    internal RSA Other { get; } = RSA.Create(2048);

    internal string PublicKeyPath { get; } = Path.Combine(Path.GetTempPath(), "sfp-localorg-key-" + Guid.NewGuid().ToString("N") + ".pem");

    public void Dispose()
    {
        Configured.Dispose();
        Other.Dispose();
        File.Delete(PublicKeyPath);
    }
}

public sealed class OAuthTests(SigningKeys keys) : IClassFixture<SigningKeys>
{
    private readonly RSA _key = keys.Configured;
    private readonly string _publicKeyPath = keys.PublicKeyPath;

    [Fact]
    public async Task Token_ClientCredentials_AnswersSalesforceTokenResponse()
    {
        await using var org = await OrgHarness.StartAsync(login: false);

        var result = await org.SendAsync(HttpMethod.Post, "/services/oauth2/token", Form(("grant_type", "client_credentials"), ("client_id", OrgHarness.ClientId), ("client_secret", OrgHarness.ClientSecret)));

        Assert.Equal(HttpStatusCode.OK, result.Status);
        JsonAssert.SameShape(Responses.Load("auth_success_response.json"), result.Body);
        Assert.Equal(org.Server.BaseUri.ToString().TrimEnd('/'), result.Body.GetProperty("instance_url").GetString());
        Assert.Equal("Bearer", result.Body.GetProperty("token_type").GetString());
        Assert.Equal(OrgHarness.Start.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), result.Body.GetProperty("issued_at").GetString());
        Assert.StartsWith("00D000000000001!", result.Body.GetProperty("access_token").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_ClientCredentialsInBasicHeader_IsAccepted()
    {
        await using var org = await OrgHarness.StartAsync(login: false);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/services/oauth2/token") { Content = Form(("grant_type", "client_credentials")) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{OrgHarness.ClientId}:{OrgHarness.ClientSecret}")));

        var result = await org.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, result.Status);
    }

    [Theory]
    [InlineData("client_credentials", OrgHarness.ClientId, "wrong", "invalid_client", "invalid client credentials")]
    [InlineData("client_credentials", "someone-else", OrgHarness.ClientSecret, "invalid_client_id", "client identifier invalid")]
    [InlineData("password", OrgHarness.ClientId, OrgHarness.ClientSecret, "unsupported_grant_type", "grant type not supported")]
    [InlineData("urn:ietf:params:oauth:grant-type:jwt-bearer", OrgHarness.ClientId, "", "invalid_grant", "invalid assertion")]
    public async Task Token_RefusedLogin_AnswersOAuthError(string grantType, string clientId, string secret, string error, string description)
    {
        await using var org = await OrgHarness.StartAsync(login: false);

        var result = await org.SendAsync(HttpMethod.Post, "/services/oauth2/token", Form(("grant_type", grantType), ("client_id", clientId), ("client_secret", secret), ("assertion", "not.a.jwt")));

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        JsonAssert.SameShape(Responses.Load("auth_error_response.json"), result.Body);
        Assert.Equal(error, result.Body.GetProperty("error").GetString());
        Assert.Equal(description, result.Body.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task Token_ValidJwtAssertion_IssuesWorkingToken()
    {
        await using var org = await OrgHarness.StartAsync(login: false, configure: o => o.PublicKeyPath = _publicKeyPath);
        var assertion = Jwt(_key, OrgHarness.ClientId, org.Server.BaseUri.ToString(), OrgHarness.Start.AddMinutes(3));

        var result = await org.SendAsync(HttpMethod.Post, "/services/oauth2/token", Form(("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", assertion)));
        org.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", result.Body.GetProperty("access_token").GetString());
        var limits = await org.GetAsync(OrgHarness.Api("limits"));

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal(HttpStatusCode.OK, limits.Status);
    }

    [Theory]
    [InlineData("other-key", "test-client", "https://login.salesforce.com", 3, "invalid_grant", "invalid assertion")]
    [InlineData("same-key", "someone-else", "https://login.salesforce.com", 3, "invalid_client_id", "client identifier invalid")]
    [InlineData("same-key", "test-client", "https://elsewhere.example.com", 3, "invalid_grant", "audience is invalid")]
    [InlineData("same-key", "test-client", "https://login.salesforce.com", -1, "invalid_grant", "invalid assertion")]
    public async Task Token_BadJwtAssertion_AnswersOAuthError(string signer, string issuer, string audience, int expiresInMinutes, string error, string description)
    {
        await using var org = await OrgHarness.StartAsync(login: false, configure: o => o.PublicKeyPath = _publicKeyPath);
        var assertion = Jwt(signer == "same-key" ? _key : keys.Other, issuer, audience, OrgHarness.Start.AddMinutes(expiresInMinutes));

        var result = await org.SendAsync(HttpMethod.Post, "/services/oauth2/token", Form(("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", assertion)));

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal(error, result.Body.GetProperty("error").GetString());
        Assert.Equal(description, result.Body.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task Api_TokenPastItsLifetime_AnswersInvalidSessionId()
    {
        await using var org = await OrgHarness.StartAsync(configure: o => o.TokenLifetime = TimeSpan.FromMinutes(30));
        var before = await org.GetAsync(OrgHarness.Api("limits"));

        org.Time.Advance(TimeSpan.FromMinutes(30));
        var after = await org.GetAsync(OrgHarness.Api("limits"));

        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, after.Status);
        JsonAssert.Equivalent(Responses.Load("expired_session_response.json"), after.Body);
    }

    [Fact]
    public async Task ExpireTokens_ThenCall_AnswersInvalidSessionIdUntilNextLogin()
    {
        await using var org = await OrgHarness.StartAsync();

        org.Server.ExpireTokens();
        var expired = await org.QueryAsync("SELECT Id FROM Account");
        await org.LoginAsync();
        var again = await org.QueryAsync("SELECT Id FROM Account");

        Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
        JsonAssert.Equivalent(Responses.Load("expired_session_response.json"), expired.Body);
        Assert.Equal(HttpStatusCode.OK, again.Status);
    }

    [Fact]
    public async Task Api_WithoutToken_AnswersInvalidSessionId()
    {
        await using var org = await OrgHarness.StartAsync(login: false);

        var result = await org.QueryAsync("SELECT Id FROM Account");

        Assert.Equal(HttpStatusCode.Unauthorized, result.Status);
        Assert.Equal("INVALID_SESSION_ID", result.Body[0].GetProperty("errorCode").GetString());
    }

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));

    private static string Jwt(RSA key, string issuer, string audience, DateTimeOffset expires)
    {
        var header = Base64Url.EncodeToString("""{"alg":"RS256"}"""u8);
        var claims = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new { iss = issuer, sub = "ada@example.com", aud = audience, exp = expires.ToUnixTimeSeconds() }));
        var signature = key.SignData(Encoding.ASCII.GetBytes(header + "." + claims), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return header + "." + claims + "." + Base64Url.EncodeToString(signature);
    }
}
