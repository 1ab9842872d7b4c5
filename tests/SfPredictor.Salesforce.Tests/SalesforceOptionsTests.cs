using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SfPredictor.Salesforce.Tests;

public sealed class SalesforceOptionsTests
{
    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSalesforceClient(builder.Configuration);
        return builder.Build();
    }

    [Fact]
    public async Task AddSalesforceClient_BadSettings_StopsTheHostAtStartNamingEveryKey()
    {
        using var host = BuildHost(new()
        {
            ["Salesforce:AuthFlow"] = "JwtBearer",
            ["Salesforce:DailyApiShareLimit"] = "1.5",
            ["Salesforce:ApiVersion"] = "v62",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        var failures = string.Join("\n", error.Failures);
        Assert.Contains("Salesforce:ClientId is required.", failures, StringComparison.Ordinal);
        Assert.Contains("SalesforceOptions.DailyApiShareLimit must be between 0.01 and 1.", failures, StringComparison.Ordinal);
        Assert.Contains("Salesforce:ApiVersion must look like 62.0.", failures, StringComparison.Ordinal);
        Assert.Contains("Salesforce:Username is required for the JwtBearer flow.", failures, StringComparison.Ordinal);
        Assert.Contains("Set exactly one of Salesforce:PrivateKeyPath and Salesforce:PrivateKeyEnvironmentVariable for the JwtBearer flow.", failures, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ClientCredentials", "Salesforce:ClientSecret is required for the ClientCredentials flow.")]
    [InlineData("RefreshToken", "Salesforce:RefreshToken is required for the RefreshToken flow.")]
    public void Validate_FlowWithoutItsSecret_NamesTheMissingKey(string flow, string expected)
    {
        using var host = BuildHost(new() { ["Salesforce:ClientId"] = "3MVG9", ["Salesforce:AuthFlow"] = flow });

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<SalesforceOptions>>().Value);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_UnknownAuthFlow_NamesTheKey()
    {
        using var host = BuildHost(new() { ["Salesforce:ClientId"] = "3MVG9", ["Salesforce:AuthFlow"] = "Password" });

        var error = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<IOptions<SalesforceOptions>>().Value);

        Assert.Contains("Salesforce:AuthFlow", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LoginUrlNotHttps_IsRefused()
    {
        var options = new SalesforceOptions { LoginUrl = new Uri("ftp://login.salesforce.com"), ClientId = "x", AuthFlow = SalesforceAuthFlow.ClientCredentials, ClientSecret = "s" };

        var result = new ValidateSalesforceOptions().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Salesforce:LoginUrl must be an absolute https URL.", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddSalesforceClient_GoodSettings_StartsAndResolvesEveryService()
    {
        using var host = BuildHost(new()
        {
            ["Salesforce:LoginUrl"] = "https://acme.my.salesforce.com",
            ["Salesforce:AuthFlow"] = "ClientCredentials",
            ["Salesforce:ClientId"] = "3MVG9",
            ["Salesforce:ClientSecret"] = "secret",
        });

        await host.StartAsync();

        var client = host.Services.GetRequiredService<SalesforceClient>();
        Assert.Equal("62.0", client.Options.ApiVersion);
        Assert.Same(client.Usage, host.Services.GetRequiredService<SalesforceClient>().Usage);
        Assert.NotNull(host.Services.GetRequiredService<SalesforceOrgReader>());
        await host.StopAsync();
    }
}
