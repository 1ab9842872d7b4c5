using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using SfPredictor.DataExport;
using SfPredictor.Recommendations;
using SfPredictor.Salesforce;
using SfPredictor.Scoring.Packaging;
using SfPredictor.Worker.Pipeline;
using SfPredictor.Worker.State;
using SfPredictor.Worker.Tests.Infrastructure;
using SfPredictor.Worker.WriteBack;

namespace SfPredictor.Worker.Tests.Pipeline;

[Collection(WorkerCollection.Name)]
public sealed partial class ScoringRunTests(WorkerFixture fixture)
{
    private static readonly WriteBackOptions Fields = new();

    [Fact]
    public async Task RunAsync_FullRunOnAFreshOrg_WritesEveryOpenOpportunityOnceWithTheRightFields()
    {
        await using var org = await TestOrg.StartAsync(fixture);
        await using var session = await org.SessionAsync();

        var result = await session.ScoreAsync(new ScoringRequest(Full: true));

        var open = org.OpenIds;
        Assert.Equal(RunOutcome.Succeeded, result.Report.Outcome);
        Assert.Equal(open.Count, result.Report.Read);
        Assert.Equal(open.Count, result.Report.Written);
        Assert.Equal(open, org.Writes.Saved.Keys.Order(StringComparer.Ordinal));
        Assert.All(org.Writes.Saved.Values, n => Assert.Equal(1, n));

        // What the org now holds is what was planned, in the documented formats.
        var planned = result.Planned.ToDictionary(p => p.OpportunityId, StringComparer.OrdinalIgnoreCase);
        var export = await org.ReadExportAsync();
        foreach (var opportunity in export.Opportunities.Where(o => !o.IsClosed))
        {
            var write = planned[opportunity.Id];
            var values = opportunity.Custom;
            Assert.Equal(write.Probability, decimal.Parse(values[Fields.ProbabilityField]!, CultureInfo.InvariantCulture));
            Assert.InRange(write.Probability, 0m, 100m);
            Assert.Null(values.GetValueOrDefault(Fields.ScoreChangeField));
            Assert.Null(values.GetValueOrDefault(Fields.ScoreTrendField));
            Assert.Equal(fixture.ModelVersion, values[Fields.ModelVersionField]);
            Assert.Equal(org.Time.GetUtcNow(), DateTimeOffset.Parse(values[Fields.ScoredAtField]!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
            for (var i = 0; i < 3; i++)
            {
                var text = values.GetValueOrDefault(Fields.NextActivityFields[i]);
                Assert.Equal(i < write.NextActivities.Count ? write.NextActivities[i] : null, text);
                Assert.True(text is null || NextActivityText().IsMatch(text), text);
            }

            Assert.Equal(write.TopFactors, values.GetValueOrDefault(Fields.TopFactorsField));
        }

        // The API path scores exactly as the Data Export path does on the same records.
        using var package = ModelPackage.Load(fixture.PackageFolder);
        var offline = Recommender.Create(export, package.Schema, package.Scorer, org.Time.GetUtcNow()).Recommend(open, org.Time.GetUtcNow());
        Assert.All(offline, o => Assert.Equal(Math.Round((decimal)o.WinProbability * 100, 1, MidpointRounding.AwayFromZero), planned[o.OpportunityId].Probability));
    }

    [Fact]
    public async Task RunAsync_SecondIdenticalRun_WritesNothing()
    {
        await using var org = await TestOrg.StartAsync(fixture);
        await using var session = await org.SessionAsync();
        var first = await session.ScoreAsync(new ScoringRequest(Full: true));
        org.Time.Advance(TimeSpan.FromMinutes(5));

        var incremental = await session.ScoreAsync(new ScoringRequest(Full: false));
        var full = await session.ScoreAsync(new ScoringRequest(Full: true));

        Assert.Equal(org.OpenIds.Count, first.Report.Written);
        Assert.Equal(RunOutcome.Succeeded, incremental.Report.Outcome);

        // The first run's own writes are behind the watermark: nothing to read back.
        Assert.Equal(0, incremental.Report.Read);
        Assert.Equal(0, incremental.Report.Written);
        Assert.Equal(0, full.Report.Written);
        Assert.Equal(org.OpenIds.Count, full.Report.Unchanged);
        Assert.All(org.Writes.Saved.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task RunAsync_IncrementalAfterAFewChanges_ReadsTheChangedOnesAndWritesOnlyWhatMoved()
    {
        await using var org = await TestOrg.StartAsync(fixture);
        await using var session = await org.SessionAsync();
        await session.ScoreAsync(new ScoringRequest(Full: true));
        org.Time.Advance(TimeSpan.FromMinutes(5));
        var settle = await session.ScoreAsync(new ScoringRequest(Full: false));
        org.Time.Advance(TimeSpan.FromMinutes(5));

        // Five Opportunities whose scores were cleared, as new ones have none, and one whose Task was edited.
        var cleared = org.OpenIds.Take(5).ToList();
        await org.UpdateAsync(session, "Opportunity", [.. cleared.Select(ClearScore)]);
        var task = org.Local.Generated.Data.Tasks.First(t => t.WhatId is { } what && org.OpenIds.Skip(5).Contains(what));
        await org.UpdateAsync(session, "Task", [new RecordUpdate(task.Id, new Dictionary<string, object?> { ["Subject"] = task.Subject })]);
        org.Time.Advance(TimeSpan.FromMinutes(5));

        var result = await session.ScoreAsync(new ScoringRequest(Full: false));

        Assert.Equal(0, settle.Report.Read);
        Assert.Equal(RunOutcome.Succeeded, result.Report.Outcome);
        Assert.Equal(6, result.Report.Read);
        Assert.Equal(cleared, org.Writes.Saved.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(5, result.Report.Written);

        // The few Opportunities read by Id (and the rest of the org read whole) score as the export does.
        using var package = ModelPackage.Load(fixture.PackageFolder);
        var now = org.Time.GetUtcNow();
        var offline = Recommender.Create(await org.ReadExportAsync(), package.Schema, package.Scorer, now).Recommend(cleared, now);
        Assert.Equal(
            offline.Select(o => Math.Round((decimal)o.WinProbability * 100, 1, MidpointRounding.AwayFromZero)),
            cleared.Select(id => result.Planned.Single(p => p.OpportunityId == id).Probability));
    }

    [Fact]
    public async Task RunAsync_AfterChangesByOthersOnRecordsTheLastRunWrote_ReadsThoseButNotTheRunsOwnWrites()
    {
        await using var org = await TestOrg.StartAsync(fixture);
        await using var session = await org.SessionAsync();
        await session.ScoreAsync(new ScoringRequest(Full: true));
        org.Time.Advance(TimeSpan.FromMinutes(1));
        var cleared = org.OpenIds.Skip(10).Take(2).ToList();
        await org.UpdateAsync(session, "Opportunity", [.. cleared.Select(ClearScore)]);
        var task = org.Local.Generated.Data.Tasks.First(t => t.WhatId is { } what && org.OpenIds.Skip(20).Contains(what));
        await org.UpdateAsync(session, "Task", [new RecordUpdate(task.Id, new Dictionary<string, object?> { ["Subject"] = task.Subject })]);
        org.Time.Advance(TimeSpan.FromMinutes(5));

        var result = await session.ScoreAsync(new ScoringRequest(Full: false));

        Assert.Equal(3, result.Report.Read);
        Assert.Equal(cleared, org.Writes.Saved.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RunAsync_StopRequestedBetweenBatches_StopsAfterTheBatchAndTheNextRunWritesTheRestOnce()
    {
        await using var org = await TestOrg.StartAsync(fixture);
        var small = new Dictionary<string, string?> { ["SfPredictor:Worker:WriteBatchSize"] = "20" };
        using var stop = new CancellationTokenSource();
        org.Writes.AfterPatch = n =>
        {
            if (n == 3)
            {
                stop.Cancel();
            }
        };
        RunReport stopped;
        await using (var first = await org.SessionAsync(small))
        {
            stopped = (await first.ScoreAsync(new ScoringRequest(Full: true), stop.Token)).Report;
        }

        org.Writes.AfterPatch = null;
        org.Time.Advance(TimeSpan.FromMinutes(5));
        await using var restarted = await org.SessionAsync(small);
        var resumed = (await restarted.ScoreAsync(new ScoringRequest(Full: false))).Report;

        Assert.Equal(RunOutcome.Stopped, stopped.Outcome);
        Assert.Equal(60, stopped.Written);
        Assert.Equal(RunOutcome.Succeeded, resumed.Outcome);
        Assert.Equal(org.OpenIds.Count - 60, resumed.Written);
        Assert.Equal(org.OpenIds, org.Writes.Saved.Keys.Order(StringComparer.Ordinal));
        Assert.All(org.Writes.Saved.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task RunAsync_IncrementalStoppedMidway_KeepsTheWatermarkBeforeTheUnwrittenChanges()
    {
        await using var org = await TestOrg.StartAsync(fixture);
        var small = new Dictionary<string, string?> { ["SfPredictor:Worker:WriteBatchSize"] = "20" };
        await using (var setup = await org.SessionAsync(small))
        {
            await setup.ScoreAsync(new ScoringRequest(Full: true));
            org.Time.Advance(TimeSpan.FromMinutes(5));
            await setup.ScoreAsync(new ScoringRequest(Full: false));

            // Seventy changes at three moments, so that the watermark has somewhere to stop between them.
            var due = org.OpenIds.Take(70).ToList();
            foreach (var chunk in due.Chunk(25))
            {
                org.Time.Advance(TimeSpan.FromMinutes(1));
                await org.UpdateAsync(setup, "Opportunity", [.. chunk.Select(ClearScore)]);
            }
        }

        org.Time.Advance(TimeSpan.FromMinutes(5));
        using var stop = new CancellationTokenSource();
        org.Writes.AfterPatch = n =>
        {
            if (n == 2)
            {
                stop.Cancel();
            }
        };
        RunReport stopped;
        await using (var first = await org.SessionAsync(small))
        {
            stopped = (await first.ScoreAsync(new ScoringRequest(Full: false), stop.Token)).Report;
        }

        org.Writes.AfterPatch = null;
        await using var restarted = await org.SessionAsync(small);
        var resumed = (await restarted.ScoreAsync(new ScoringRequest(Full: false))).Report;

        Assert.Equal(RunOutcome.Stopped, stopped.Outcome);
        Assert.Equal(40, stopped.Written);
        Assert.Equal(30, resumed.Written);
        Assert.Equal(org.OpenIds.Take(70), org.Writes.Saved.Keys.Order(StringComparer.Ordinal));
        Assert.All(org.Writes.Saved.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task RunAsync_OrgFailsAfterTwoWritesThenWorkerRestarts_EveryRecordWrittenExactlyOnce()
    {
        await using var org = await TestOrg.StartAsync(fixture);
        var small = new Dictionary<string, string?> { ["SfPredictor:Worker:WriteBatchSize"] = "20" };
        org.Writes.Fault = n => n > 2 ? WriteLog.Unavailable() : null;
        RunReport crashed;
        await using (var first = await org.SessionAsync(small))
        {
            crashed = (await first.ScoreAsync(new ScoringRequest(Full: true))).Report;
        }

        org.Writes.Fault = null;
        org.Time.Advance(TimeSpan.FromMinutes(5));
        await using var restarted = await org.SessionAsync(small);
        var retries = await restarted.Services.GetRequiredService<StateStore>().GetRetriesAsync();
        var resumed = (await restarted.ScoreAsync(new ScoringRequest(Full: false))).Report;

        Assert.Equal(RunOutcome.Failed, crashed.Outcome);
        Assert.Equal(40, crashed.Written);
        Assert.Equal(20, crashed.Failed);
        Assert.All(crashed.Failures, f => Assert.Equal("SERVER_UNAVAILABLE", f.ErrorCode));
        Assert.Equal(20, retries.Count);
        Assert.Equal(RunOutcome.Succeeded, resumed.Outcome);
        Assert.Equal(org.OpenIds.Count - 40, resumed.Written);
        Assert.Equal(org.OpenIds, org.Writes.Saved.Keys.Order(StringComparer.Ordinal));
        Assert.All(org.Writes.Saved.Values, n => Assert.Equal(1, n));
        Assert.Empty(await restarted.Services.GetRequiredService<StateStore>().GetRetriesAsync());
    }

    [Fact]
    public async Task RunAsync_RecordsRejectedByTheOrg_AreReportedAndWrittenByTheNextRun()
    {
        await using var org = await TestOrg.StartAsync(fixture);
        await using var session = await org.SessionAsync();
        var rejected = org.OpenIds.Take(3).ToList();
        org.Writes.RewriteBody = body => SpoilScoredAt(body, rejected);
        var first = (await session.ScoreAsync(new ScoringRequest(Full: true))).Report;
        var retries = await session.Services.GetRequiredService<StateStore>().GetRetriesAsync();
        org.Writes.RewriteBody = null;
        org.Time.Advance(TimeSpan.FromMinutes(5));

        var second = (await session.ScoreAsync(new ScoringRequest(Full: false))).Report;

        Assert.Equal(3, first.Failed);
        Assert.Equal(rejected, first.Failures.Select(f => f.Id).Order(StringComparer.Ordinal));
        Assert.All(first.Failures, f => Assert.Equal("INVALID_TYPE_ON_FIELD_IN_RECORD", f.ErrorCode));
        Assert.Equal(rejected, retries.Select(r => r.Id));
        Assert.All(retries, r => Assert.Equal(1, r.Attempts));
        Assert.Equal(3, second.Written);
        Assert.All(rejected, id => Assert.Equal(1, org.Writes.Saved[id]));
        Assert.Empty(await session.Services.GetRequiredService<StateStore>().GetRetriesAsync());
    }

    [Fact]
    public async Task RunAsync_ChangeSetAboveTheBulkWriteThreshold_WritesThroughAnIngestJobAndRetriesItsFailedRowsNextRun()
    {
        await using var org = await TestOrg.StartAsync(fixture);
        await using var session = await org.SessionAsync(new Dictionary<string, string?> { ["Salesforce:BulkWriteThreshold"] = "50" });
        var rejected = org.OpenIds.Skip(7).Take(3).ToList();
        org.Writes.RewriteCsv = csv => SpoilScoredAtInCsv(csv, rejected);
        var first = (await session.ScoreAsync(new ScoringRequest(Full: true))).Report;
        var retries = await session.Services.GetRequiredService<StateStore>().GetRetriesAsync();
        var uploads = org.Writes.BulkUploads;
        org.Writes.RewriteCsv = null;
        org.Time.Advance(TimeSpan.FromMinutes(5));

        var second = (await session.ScoreAsync(new ScoringRequest(Full: false))).Report;

        // One job for the whole change set, no collection call; a row is written only once the job says it was saved.
        Assert.Equal(1, uploads);
        Assert.Equal(RunOutcome.Succeeded, first.Outcome);
        Assert.Equal(org.OpenIds.Count - 3, first.Written);
        Assert.Equal(3, first.Failed);
        Assert.Equal(rejected, first.Failures.Select(f => f.Id).Order(StringComparer.Ordinal));
        Assert.All(first.Failures, f => Assert.Equal("INVALID_TYPE_ON_FIELD_IN_RECORD", f.ErrorCode));
        Assert.Equal(rejected, retries.Select(r => r.Id));

        // The three are retried next run, below the threshold, through sObject Collections.
        Assert.Equal(3, second.Written);
        Assert.Equal(1, org.Writes.BulkUploads);
        Assert.Equal(1, org.Writes.Patches);
        Assert.Equal(org.OpenIds, org.Writes.Saved.Keys.Order(StringComparer.Ordinal));
        Assert.All(org.Writes.Saved.Values, n => Assert.Equal(1, n));
        Assert.Empty(await session.Services.GetRequiredService<StateStore>().GetRetriesAsync());
    }

    [Fact]
    public async Task RunAsync_DryRun_PlansEveryWriteAndChangesNothing()
    {
        await using var org = await TestOrg.StartAsync(fixture);
        await using var session = await org.SessionAsync();

        var result = await session.ScoreAsync(new ScoringRequest(Full: false, DryRun: true));

        Assert.True(result.Report.DryRun);
        Assert.Equal(org.OpenIds.Count, result.Planned.Count);
        Assert.Equal(0, org.Writes.Patches);
        var state = session.Services.GetRequiredService<StateStore>();
        Assert.Null(await state.GetWatermarkAsync(ScoringRun.WatermarkName));
        Assert.Empty(await state.GetRunsAsync(10));
    }

    private static RecordUpdate ClearScore(string id) =>
        new(id, new Dictionary<string, object?> { [Fields.ProbabilityField] = null, [Fields.ScoredAtField] = null });

    // The org itself rejects these records: their datetime field gets a value that is no datetime.
    private static string SpoilScoredAt(string body, IReadOnlyCollection<string> ids)
    {
        var json = JsonNode.Parse(body)!;
        foreach (var record in json["records"]!.AsArray())
        {
            if (ids.Contains((string)record!["id"]!, StringComparer.OrdinalIgnoreCase))
            {
                record[Fields.ScoredAtField] = "not a datetime";
            }
        }

        return json.ToJsonString();
    }

    // The same spoiling in a Bulk ingest upload: the org rejects those rows and reports them in failedResults.
    private static string SpoilScoredAtInCsv(string csv, IReadOnlyCollection<string> ids)
    {
        using var reader = ExportCsvReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "upload");
        var scoredAt = reader.Header.ToList().IndexOf(Fields.ScoredAtField);
        var rows = new List<IReadOnlyList<string?>>();
        while (reader.Read())
        {
            var row = Enumerable.Range(0, reader.FieldCount).Select(i => (string?)reader[i]).ToArray();
            if (ids.Contains(row[0]!, StringComparer.OrdinalIgnoreCase))
            {
                row[scoredAt] = "not a datetime";
            }

            rows.Add(row);
        }

        using var output = new MemoryStream();
        ExportCsvWriter.Write(output, reader.Header, rows);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [GeneratedRegex(@"^\S.* \(\+\d+(\.\d)? pts\)$")]
    private static partial Regex NextActivityText();
}
