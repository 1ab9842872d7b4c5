using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SfPredictor.Salesforce.Auth;
using SfPredictor.Salesforce.Tests.Infrastructure;

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

    [Fact]
    public async Task JwtBearer_KeyFromFile_PostsVerifiableAssertionAndReusesSession()
    {
        IFormCollection? login = null;
        await using var server = await TestSalesforceServer.StartAsync((app, s) =>
        {
            s.MapToken(app, form => (login = form) is not null);
            app.MapGet(TestSalesforceServer.DataPath + "/query", ctx => TestSalesforceServer.WriteAsync(ctx, 200, TestData.Read("count_query.json")));
        });
        await using var test = TestClient.Create(server,
            ("AuthFlow", "JwtBearer"), ("ClientSecret", null), ("Username", "integration@example.com"), ("PrivateKeyPath", _keyFile));

        Assert.Equal(26, await test.Client.CountAsync("SELECT COUNT() FROM Case"));
        Assert.Equal(26, await test.Client.CountAsync("SELECT COUNT() FROM Case"));

        Assert.Equal(1, server.TokensIssued);
        Assert.Equal("urn:ietf:params:oauth:grant-type:jwt-bearer", login!["grant_type"]);
        var parts = login["assertion"].ToString().Split('.');
        Assert.Equal(3, parts.Length);
        Assert.True(_key.VerifyData(
            Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.Equal("RS256", JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement.GetProperty("alg").GetString());
        var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement;
        Assert.Equal("3MVG9-test-consumer-key", claims.GetProperty("iss").GetString());
        Assert.Equal("integration@example.com", claims.GetProperty("sub").GetString());
        Assert.Equal(server.Url.GetLeftPart(UriPartial.Authority), claims.GetProperty("aud").GetString());
        var expires = DateTimeOffset.FromUnixTimeSeconds(claims.GetProperty("exp").GetInt64());
        Assert.InRange(expires - TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3.1));
        Assert.All(server.Requests.Where(r => r.Path.Contains("/query", StringComparison.Ordinal)), r => Assert.Equal("Bearer token-1", r.Authorization));
    }

    [Fact]
    public async Task JwtBearer_KeyFromEnvironmentVariable_LogsIn()
    {
        var variable = $"SFP_TEST_KEY_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, _key.ExportRSAPrivateKeyPem());
        try
        {
            await using var server = await TestSalesforceServer.StartAsync((app, s) =>
            {
                s.MapToken(app, form => form["assertion"].ToString().Split('.').Length == 3);
                app.MapGet(TestSalesforceServer.DataPath + "/query", ctx => TestSalesforceServer.WriteAsync(ctx, 200, TestData.Read("count_query.json")));
            });
            await using var test = TestClient.Create(server,
                ("AuthFlow", "JwtBearer"), ("Username", "integration@example.com"), ("PrivateKeyEnvironmentVariable", variable));

            Assert.Equal(26, await test.Client.CountAsync("SELECT COUNT() FROM Case"));
            Assert.Equal(1, server.TokensIssued);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task ClientCredentials_Login_PostsClientIdAndSecret()
    {
        IFormCollection? login = null;
        await using var server = await TestSalesforceServer.StartAsync((app, s) =>
        {
            s.MapToken(app, form => (login = form) is not null);
            app.MapGet(TestSalesforceServer.DataPath + "/query", ctx => TestSalesforceServer.WriteAsync(ctx, 200, TestData.Read("count_query.json")));
        });
        await using var test = TestClient.Create(server);

        await test.Client.CountAsync("SELECT COUNT() FROM Case");

        Assert.Equal("client_credentials", login!["grant_type"]);
        Assert.Equal("3MVG9-test-consumer-key", login["client_id"]);
        Assert.Equal(TestClient.ClientSecret, login["client_secret"]);
    }

    [Fact]
    public async Task RefreshToken_Login_PostsRefreshGrantAndUsesReturnedToken()
    {
        IFormCollection? login = null;
        await using var server = await TestSalesforceServer.StartAsync((app, s) =>
        {
            app.MapPost("/services/oauth2/token", async ctx =>
            {
                login = await ctx.Request.ReadFormAsync();
                var body = TestData.Read("refresh_success_response.json").Replace("https://na1.salesforce.com", s.Url.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal);
                await TestSalesforceServer.WriteAsync(ctx, 200, body);
            });
            app.MapGet(TestSalesforceServer.DataPath + "/query", ctx => TestSalesforceServer.WriteAsync(ctx, 200, TestData.Read("count_query.json")));
        });
        await using var test = TestClient.Create(server, ("AuthFlow", "RefreshToken"), ("ClientSecret", null), ("RefreshToken", "5Aep861-refresh-token-value"));

        await test.Client.CountAsync("SELECT COUNT() FROM Case");

        Assert.Equal("refresh_token", login!["grant_type"]);
        Assert.Equal("5Aep861-refresh-token-value", login["refresh_token"]);
        Assert.False(login.ContainsKey("client_secret"));
        Assert.Equal("Bearer refreshed_access_token", server.Requests.Last().Authorization);
    }

    [Fact]
    public async Task Login_Refused_ThrowsAuthenticationExceptionWithOAuthError()
    {
        await using var server = await TestSalesforceServer.StartAsync((app, s) =>
            app.MapPost("/services/oauth2/token", ctx => TestSalesforceServer.WriteAsync(ctx, 400, TestData.Read("refresh_error_response.json"))));
        await using var test = TestClient.Create(server);

        var error = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => test.Client.CountAsync("SELECT COUNT() FROM Case"));

        Assert.Equal("invalid_grant", error.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("expired access/refresh token", error.Message, StringComparison.Ordinal);
        Assert.Contains("ClientCredentials login", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.Count("POST", "/services/oauth2/token"));
    }

    [Fact]
    public async Task JwtBearer_FileIsNotAKey_ThrowsClearErrorNamingTheSetting()
    {
        var notAKey = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbA==\n-----END PRIVATE KEY-----\n";
        File.WriteAllText(_keyFile, notAKey);
        await using var server = await TestSalesforceServer.StartAsync((app, s) => s.MapToken(app));
        await using var test = TestClient.Create(server,
            ("AuthFlow", "JwtBearer"), ("Username", "integration@example.com"), ("PrivateKeyPath", _keyFile));

        var error = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => test.Client.CountAsync("SELECT COUNT() FROM Case"));

        Assert.Equal("PRIVATE_KEY_INVALID", error.ErrorCode);
        Assert.Contains("Salesforce:PrivateKeyPath", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("bm90IGEga2V5", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, server.TokensIssued);
    }
}
