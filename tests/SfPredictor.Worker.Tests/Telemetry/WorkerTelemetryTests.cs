using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using SfPredictor.Salesforce;
using SfPredictor.Worker.Pipeline;
using SfPredictor.Worker.Telemetry;
using SfPredictor.Worker.Tests.Infrastructure;

namespace SfPredictor.Worker.Tests.Telemetry;

[Collection(WorkerCollection.Name)]
public sealed class WorkerTelemetryTests(WorkerFixture fixture)
{
    [Fact]
    public async Task RunAsync_FullRun_IsOneTraceWithBatchAndCallSpansAndItsCountsAreMeasured()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var tracing = new ActivityListener
        {
            ShouldListenTo = source => source.Name is WorkerTelemetry.Name or SalesforceTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(tracing);
        await using var org = await TestOrg.StartAsync(fixture);
        await using var session = await org.SessionAsync();

        // The meters come from this host's IMeterFactory, so only this test's run is measured.
        var meters = session.Services.GetRequiredService<IMeterFactory>();
        using var read = new MetricCollector<long>(meters, WorkerTelemetry.Name, "sfpredictor.worker.records_read");
        using var written = new MetricCollector<long>(meters, WorkerTelemetry.Name, "sfpredictor.worker.records_written");
        using var runCalls = new MetricCollector<long>(meters, WorkerTelemetry.Name, "sfpredictor.worker.api_calls");
        using var scores = new MetricCollector<double>(meters, WorkerTelemetry.Name, "sfpredictor.worker.win_probability");
        using var model = new MetricCollector<int>(meters, WorkerTelemetry.Name, "sfpredictor.worker.model");
        using var remaining = new MetricCollector<long>(meters, WorkerTelemetry.Name, "sfpredictor.worker.daily_api_remaining");
        using var clientCalls = new MetricCollector<long>(meters, SalesforceTelemetry.Name, SalesforceTelemetry.ApiCallsCounterName);

        var report = (await session.ScoreAsync(new ScoringRequest(Full: true))).Report;
        model.RecordObservableInstruments();
        remaining.RecordObservableInstruments();

        var run = Assert.Single(activities, a => a.OperationName == "score run");
        var trace = activities.Where(a => a.TraceId == run.TraceId).ToList();
        var batch = Assert.Single(trace, a => a.OperationName == "write batch");
        var calls = trace.Where(a => a.Source.Name == SalesforceTelemetry.Name).ToList();
        Assert.Equal(run.SpanId, batch.ParentSpanId);
        Assert.True(calls.Count >= report.ApiCalls, $"{calls.Count} call spans for {report.ApiCalls} calls");
        Assert.Contains(calls, c => c.OperationName.StartsWith("PATCH", StringComparison.Ordinal) && c.ParentSpanId == batch.SpanId);
        Assert.Equal(report.Read, read.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(report.Written, written.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(report.ApiCalls, runCalls.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.True(clientCalls.GetMeasurementSnapshot().Sum(m => m.Value) >= report.ApiCalls);
        Assert.Equal(report.Scored, scores.GetMeasurementSnapshot().Count);
        Assert.All(scores.GetMeasurementSnapshot(), s => Assert.InRange(s.Value, 0, 100));
        Assert.Equal(fixture.ModelVersion, model.LastMeasurement?.Tags["model.version"]);
        Assert.Equal(report.DailyApiRemaining, remaining.LastMeasurement?.Value);
    }
}
