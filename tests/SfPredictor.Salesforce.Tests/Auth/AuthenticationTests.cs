using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SfPredictor.Salesforce.Auth;
using SfPredictor.Salesforce.Tests.Infrastructure;
using WireMock.RequestBuilders;

namespace SfPredictor.Salesforce.Tests.Auth;

public sealed class AuthenticationTests : IClassFixture<TestKey>, IDisposable
{
    private readonly RSA _key;
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), $"sfp-test-key-{Guid.NewGuid():N}.pem");

    public AuthenticationTests(TestKey key)
    {
        _key = key.Rsa;
        File.WriteAllText(_keyFile, _key.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose() => File.Delete(_keyFile);

    private static SalesforceMock StartWithCount()
    {
        var salesforce = SalesforceMock.Start();
        salesforce.Get(SalesforceMock.DataPath + "/query", SalesforceMock.Json(200, TestData.Read("count_query.json")));
        return salesforce;
    }

    [Fact]
    public async Task JwtBearer_KeyFromFile_PostsVerifiableAssertionAndReusesSession()
    {
        using var salesforce = StartWithCount();
        await using var test = TestClient.Create(salesforce,
            ("AuthFlow", "JwtBearer"), ("ClientSecret", null), ("Username", "integration@example.com"), ("PrivateKeyPath", _keyFile));

        Assert.Equal(26, await test.Client.CountAsync("SELECT COUNT() FROM Case"));
        Assert.Equal(26, await test.Client.CountAsync("SELECT COUNT() FROM Case"));

        var login = Assert.Single(salesforce.Received("POST", SalesforceMock.TokenPath)).Form;
        Assert.Equal("urn:ietf:params:oauth:grant-type:jwt-bearer", login!["grant_type"]);
        var parts = login["assertion"].ToString().Split('.');
        Assert.Equal(3, parts.Length);
        Assert.True(_key.VerifyData(
            Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.Equal("RS256", JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement.GetProperty("alg").GetString());
        var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement;
        Assert.Equal("3MVG9-test-consumer-key", claims.GetProperty("iss").GetString());
        Assert.Equal("integration@example.com", claims.GetProperty("sub").GetString());
        Assert.Equal(salesforce.Url.GetLeftPart(UriPartial.Authority), claims.GetProperty("aud").GetString());
        var expires = DateTimeOffset.FromUnixTimeSeconds(claims.GetProperty("exp").GetInt64());
        Assert.InRange(expires - TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3.1));
        Assert.All(salesforce.Received("GET", SalesforceMock.DataPath + "/query"), r => Assert.Equal("Bearer token-1", r.Authorization));
    }

    [Fact]
    public async Task JwtBearer_KeyFromEnvironmentVariable_LogsIn()
    {
        var variable = $"SFP_TEST_KEY_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, _key.ExportRSAPrivateKeyPem());
        try
        {
            using var salesforce = StartWithCount();
            await using var test = TestClient.Create(salesforce,
                ("AuthFlow", "JwtBearer"), ("Username", "integration@example.com"), ("PrivateKeyEnvironmentVariable", variable));

            Assert.Equal(26, await test.Client.CountAsync("SELECT COUNT() FROM Case"));
            var login = Assert.Single(salesforce.Received("POST", SalesforceMock.TokenPath)).Form;
            Assert.Equal(3, login["assertion"].ToString().Split('.').Length);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task ClientCredentials_Login_PostsClientIdAndSecret()
    {
        using var salesforce = StartWithCount();
        await using var test = TestClient.Create(salesforce);

        await test.Client.CountAsync("SELECT COUNT() FROM Case");

        var login = Assert.Single(salesforce.Received("POST", SalesforceMock.TokenPath)).Form;
        Assert.Equal("client_credentials", login["grant_type"]);
        Assert.Equal("3MVG9-test-consumer-key", login["client_id"]);
        Assert.Equal(TestClient.ClientSecret, login["client_secret"]);
    }

    [Fact]
    public async Task RefreshToken_Login_PostsRefreshGrantAndUsesReturnedToken()
    {
        using var salesforce = SalesforceMock.StartWithoutLogin();
        salesforce.Server.Given(Request.Create().WithPath(SalesforceMock.TokenPath).UsingPost()).RespondWith(SalesforceMock.Json(200,
            TestData.Read("refresh_success_response.json").Replace("https://na1.salesforce.com", salesforce.Url.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal)));
        salesforce.Get(SalesforceMock.DataPath + "/query", SalesforceMock.Json(200, TestData.Read("count_query.json")));
        await using var test = TestClient.Create(salesforce, ("AuthFlow", "RefreshToken"), ("ClientSecret", null), ("RefreshToken", "5Aep861-refresh-token-value"));

        await test.Client.CountAsync("SELECT COUNT() FROM Case");

        var login = Assert.Single(salesforce.Received("POST", SalesforceMock.TokenPath)).Form;
        Assert.Equal("refresh_token", login["grant_type"]);
        Assert.Equal("5Aep861-refresh-token-value", login["refresh_token"]);
        Assert.False(login.ContainsKey("client_secret"));
        Assert.Equal("Bearer refreshed_access_token", salesforce.Calls[^1].Authorization);
    }

    [Fact]
    public async Task Login_Refused_ThrowsAuthenticationExceptionWithOAuthError()
    {
        using var salesforce = SalesforceMock.StartWithoutLogin();
        salesforce.Server.Given(Request.Create().WithPath(SalesforceMock.TokenPath).UsingPost()).RespondWith(SalesforceMock.Json(400, TestData.Read("refresh_error_response.json")));
        await using var test = TestClient.Create(salesforce);

        var error = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => test.Client.CountAsync("SELECT COUNT() FROM Case"));

        Assert.Equal("invalid_grant", error.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("expired access/refresh token", error.Message, StringComparison.Ordinal);
        Assert.Contains("ClientCredentials login", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, salesforce.Logins);
    }

    [Fact]
    public async Task JwtBearer_FileIsNotAKey_ThrowsClearErrorNamingTheSetting()
    {
        var notAKey = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbA==\n-----END PRIVATE KEY-----\n";
        File.WriteAllText(_keyFile, notAKey);
        using var salesforce = SalesforceMock.Start();
        await using var test = TestClient.Create(salesforce,
            ("AuthFlow", "JwtBearer"), ("Username", "integration@example.com"), ("PrivateKeyPath", _keyFile));

        var error = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => test.Client.CountAsync("SELECT COUNT() FROM Case"));

        Assert.Equal("PRIVATE_KEY_INVALID", error.ErrorCode);
        Assert.Contains("Salesforce:PrivateKeyPath", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("bm90IGEga2V5", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, salesforce.Logins);
    }
}
