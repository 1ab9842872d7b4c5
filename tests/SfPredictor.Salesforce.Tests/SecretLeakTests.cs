using System.Security.Cryptography;
using System.Text.Json;
using SfPredictor.Salesforce.Tests.Infrastructure;
using WireMock.RequestBuilders;

namespace SfPredictor.Salesforce.Tests;

public sealed class SecretLeakTests(TestKey key) : IClassFixture<TestKey>
{
    private const string AccessTokenPrefix = "00Dx0000000BV7z!AR8AQAxo9UfVkh8AlV0Gomt9Czx9LjHnSSpwBMm";

    /// <summary>
    /// A hostile server: its token endpoint echoes the posted form back in the error, and its data API
    /// expires the first session and then echoes the Authorization header in an error message.
    /// </summary>
    private static SalesforceMock StartEchoingServer(bool refuseLogin)
    {
        var salesforce = SalesforceMock.StartWithoutLogin();
        var issued = 0;
        salesforce.Server.Given(Request.Create().WithPath(SalesforceMock.TokenPath).UsingPost()).RespondWith(SalesforceMock.Reply(call =>
        {
            if (refuseLogin)
            {
                var echo = string.Join("&", call.Form.Select(f => $"{f.Key}={f.Value}"));
                return new Answer(400, JsonSerializer.Serialize(new { error = "invalid_client", error_description = "bad request: " + echo }));
            }

            return new Answer(200, TestData.TokenResponse(salesforce.Url, AccessTokenPrefix + Interlocked.Increment(ref issued)));
        }));
        salesforce.Get(SalesforceMock.DataPath + "/query", SalesforceMock.Reply(call =>
        {
            var token = call.Authorization ?? "";
            return token.EndsWith('1')
                ? new Answer(401, TestData.Read("expired_session_response.json"))
                : new Answer(400, JsonSerializer.Serialize(new[] { new { message = $"Rejected header {token}", errorCode = "INVALID_HEADER_TYPE" } }));
        }));
        return salesforce;
    }

    [Fact]
    public async Task Logs_And_Exceptions_NeverContainKeyClientSecretOrAccessToken()
    {
        var pem = key.Rsa.ExportPkcs8PrivateKeyPem();
        var keyFile = Path.Combine(Path.GetTempPath(), $"sfp-test-key-{Guid.NewGuid():N}.pem");
        File.WriteAllText(keyFile, pem);
        var seen = new List<string>();
        try
        {
            foreach (var refuseLogin in new[] { false, true })
            {
                using var salesforce = StartEchoingServer(refuseLogin);
                await using var jwt = TestClient.Create(salesforce,
                    ("AuthFlow", "JwtBearer"), ("Username", "integration@example.com"), ("PrivateKeyPath", keyFile));
                await using var secret = TestClient.Create(salesforce);

                foreach (var test in new[] { jwt, secret })
                {
                    var error = await Assert.ThrowsAnyAsync<SalesforceApiException>(() => test.Client.CountAsync("SELECT COUNT() FROM Case"));
                    seen.Add(error.ToString());
                    seen.AddRange(test.Logs.Lines);
                }
            }
        }
        finally
        {
            File.Delete(keyFile);
        }

        // The scenarios did reach the points where a secret could leak.
        Assert.Contains(seen, s => s.Contains("INVALID_HEADER_TYPE", StringComparison.Ordinal) && s.Contains("[redacted]", StringComparison.Ordinal));
        Assert.Contains(seen, s => s.Contains("invalid_client", StringComparison.Ordinal) && s.Contains("client_secret=[redacted]", StringComparison.Ordinal));
        Assert.Contains(seen, s => s.Contains("Sending HTTP request", StringComparison.Ordinal));

        var keyLines = pem.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)).ToList();
        Assert.All(seen, text =>
        {
            Assert.DoesNotContain(TestClient.ClientSecret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(AccessTokenPrefix, text, StringComparison.Ordinal);
            Assert.DoesNotContain(keyLines, line => text.Contains(line, StringComparison.Ordinal));
        });
    }
}
