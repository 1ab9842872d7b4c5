using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
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
        var measured = new ConcurrentDictionary<string, long>();
        var scores = new ConcurrentBag<double>();
        using var metrics = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == WorkerTelemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        metrics.SetMeasurementEventCallback<long>((instrument, value, _, _) => measured.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value));
        metrics.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == "sfpredictor.worker.win_probability")
            {
                scores.Add(value);
            }
        });
        metrics.Start();
        await using var org = await TestOrg.StartAsync(fixture);
        await using var session = await org.SessionAsync();

        var report = (await session.ScoreAsync(new ScoringRequest(Full: true))).Report;

        var run = Assert.Single(activities, a => a.OperationName == "score run");
        var trace = activities.Where(a => a.TraceId == run.TraceId).ToList();
        var batch = Assert.Single(trace, a => a.OperationName == "write batch");
        var calls = trace.Where(a => a.Source.Name == SalesforceTelemetry.Name).ToList();
        Assert.Equal(run.SpanId, batch.ParentSpanId);
        Assert.True(calls.Count >= report.ApiCalls, $"{calls.Count} call spans for {report.ApiCalls} calls");
        Assert.Contains(calls, c => c.OperationName.StartsWith("PATCH", StringComparison.Ordinal) && c.ParentSpanId == batch.SpanId);
        Assert.Equal(report.Read, measured["sfpredictor.worker.records_read"]);
        Assert.Equal(report.Written, measured["sfpredictor.worker.records_written"]);
        Assert.Equal(report.ApiCalls, measured["sfpredictor.worker.api_calls"]);
        Assert.Equal(report.Scored, scores.Count);
        Assert.All(scores, s => Assert.InRange(s, 0, 100));
    }
}
