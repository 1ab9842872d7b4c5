using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using SfPredictor.Salesforce.Tests.Infrastructure;

namespace SfPredictor.Salesforce.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public async Task Call_Made_CountsAnApiCallAndTracesASpan()
    {
        using var salesforce = SalesforceMock.Start();
        salesforce.Get(SalesforceMock.DataPath + "/limits", SalesforceMock.Json(200, TestData.Read("limits.json")));
        await using var test = TestClient.Create(salesforce);
        var spans = new List<Activity>();
        using var counted = new MetricCollector<long>(test.Services.GetRequiredService<IMeterFactory>(), SalesforceTelemetry.Name, SalesforceTelemetry.ApiCallsCounterName);
        using var activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SalesforceTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (spans)
                {
                    spans.Add(a);
                }
            },
        };
        ActivitySource.AddActivityListener(activities);

        await test.Client.GetLimitsAsync();

        // Logins are not API calls; the meter belongs to this client's service provider alone.
        var call = Assert.Single(counted.GetMeasurementSnapshot());
        Assert.Equal(1, call.Value);
        Assert.Equal("GET", call.Tags["http.request.method"]);
        Assert.Equal(1, test.Usage.ApiCalls);
        lock (spans)
        {
            Assert.Contains(spans, s => s.DisplayName == "GET /services/data/v62.0/limits" && (int?)s.GetTagItem("http.response.status_code") == 200);
            Assert.Contains(spans, s => s.DisplayName.StartsWith("POST /services/oauth2/token", StringComparison.Ordinal));
        }
    }
}
