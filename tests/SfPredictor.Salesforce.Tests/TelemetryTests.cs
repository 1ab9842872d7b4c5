using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using SfPredictor.Salesforce.Tests.Infrastructure;

namespace SfPredictor.Salesforce.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public async Task Call_Made_CountsAnApiCallAndTracesASpan()
    {
        await using var server = await TestSalesforceServer.StartAsync((app, s) =>
        {
            s.MapToken(app);
            app.MapGet(TestSalesforceServer.DataPath + "/limits", ctx => TestSalesforceServer.WriteAsync(ctx, 200, TestData.Read("limits.json")));
        });
        await using var test = TestClient.Create(server);
        var counted = 0L;
        var spans = new List<Activity>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SalesforceTelemetry.Name && instrument.Name == SalesforceTelemetry.ApiCallsCounterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        // Other tests run in parallel; count only calls that went to this test's server.
        meters.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref counted, value));
        meters.Start();
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

        Assert.True(Interlocked.Read(ref counted) >= 1);
        Assert.Equal(1, test.Usage.ApiCalls);
        lock (spans)
        {
            Assert.Contains(spans, s => s.DisplayName == "GET /services/data/v62.0/limits" && (int?)s.GetTagItem("http.response.status_code") == 200);
            Assert.Contains(spans, s => s.DisplayName.StartsWith("POST /services/oauth2/token", StringComparison.Ordinal));
        }
    }
}
