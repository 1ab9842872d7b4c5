using SfPredictor.Salesforce.Auth;

namespace SfPredictor.Salesforce.Tests.Auth;

public sealed class AudienceTests
{
    [Theory]
    [InlineData("https://login.salesforce.com", "https://login.salesforce.com")]
    [InlineData("https://test.salesforce.com", "https://test.salesforce.com")]
    [InlineData("https://acme.my.salesforce.com", "https://login.salesforce.com")]
    [InlineData("https://acme--uat.sandbox.my.salesforce.com", "https://test.salesforce.com")]
    [InlineData("http://127.0.0.1:5123/", "http://127.0.0.1:5123")]
    public void Audience_LoginUrl_NamesTheAuthorizationServer(string loginUrl, string expected) =>
        Assert.Equal(expected, SalesforceAuthenticator.Audience(configured: null, new Uri(loginUrl)));

    [Fact]
    public void Audience_Configured_WinsOverLoginUrl() =>
        Assert.Equal("https://acme.example", SalesforceAuthenticator.Audience("https://acme.example", new Uri("https://login.salesforce.com")));
}
