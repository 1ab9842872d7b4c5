using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SfPredictor.Salesforce.Tests.Infrastructure;

/// <summary>A client wired exactly as the product wires it (AddSalesforceClient), pointed at a test server.</summary>
internal sealed class TestClient : IAsyncDisposable
{
    public const string ClientSecret = "cs-7f3a9c1e5b2d4f60a8e1";

    private readonly ServiceProvider _services;

    private TestClient(ServiceProvider services, LogCapture logs)
    {
        _services = services;
        Logs = logs;
    }

    public LogCapture Logs { get; }

    public SalesforceClient Client => _services.GetRequiredService<SalesforceClient>();

    public SalesforceOrgReader Reader => _services.GetRequiredService<SalesforceOrgReader>();

    public SalesforceApiUsage Usage => _services.GetRequiredService<SalesforceConnection>().Usage;

    public IServiceProvider Services => _services;

    /// <summary>Client credentials against <paramref name="salesforce"/>, fast retries; <paramref name="settings"/> override.</summary>
    public static TestClient Create(SalesforceMock salesforce, params (string Key, string? Value)[] settings) =>
        Create(salesforce.Url, TimeProvider.System, settings);

    /// <summary>Client credentials against <paramref name="loginUrl"/> on <paramref name="time"/>; <paramref name="settings"/> override.</summary>
    public static TestClient Create(Uri loginUrl, TimeProvider time, params (string Key, string? Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["Salesforce:LoginUrl"] = loginUrl.ToString(),
            ["Salesforce:AuthFlow"] = "ClientCredentials",
            ["Salesforce:ClientId"] = "3MVG9-test-consumer-key",
            ["Salesforce:ClientSecret"] = ClientSecret,
            ["Salesforce:RetryBaseDelay"] = "00:00:00.001",
            ["Salesforce:MaxRetries"] = "3",
            ["Salesforce:RequestTimeout"] = "00:00:10",
            ["Salesforce:BulkPollInitialDelay"] = "00:00:00.001",
            ["Salesforce:BulkPollMaxDelay"] = "00:00:00.010",
        };
        foreach (var (key, value) in settings)
        {
            values["Salesforce:" + key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var logs = new LogCapture();
        var services = new ServiceCollection()
            .AddSingleton(time)
            .AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace))
            .AddSalesforceClient(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new TestClient(services, logs);
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}
