using Microsoft.Extensions.DependencyInjection;
using SfPredictor.ModelStore.Local;
using SfPredictor.Recommendations;
using SfPredictor.Salesforce;
using SfPredictor.Scoring.Packaging;
using SfPredictor.Worker.Pipeline;
using SfPredictor.Worker.State;
using SfPredictor.Worker.Tests.Infrastructure;
using SfPredictor.Worker.WriteBack;

namespace SfPredictor.Worker.Tests.Pipeline;

/// <summary>The context kept in memory between runs: incremental runs read only changes, and score as a whole read does.</summary>
[Collection(WorkerCollection.Name)]
public sealed class ContextCacheTests(WorkerFixture fixture)
{
    private static readonly WriteBackOptions Fields = new();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_IncrementalAfterOthersChangedOpportunitiesAccountsAndTasks_ScoresAsTheOrgNowIs(bool cacheContext)
    {
        await using var org = await TestOrg.StartAsync(fixture);
        var log = new ListLogger();
        await using var session = await org.SessionAsync(new Dictionary<string, string?> { ["SfPredictor:Worker:CacheContext"] = cacheContext ? "true" : "false" }, log);
        await session.ScoreAsync(new ScoringRequest(Full: true));
        org.Time.Advance(TimeSpan.FromMinutes(5));

        // Others change an Amount, an Account and a Task; the Opportunities concerned are made due (scores cleared).
        var generated = org.Local.Generated.Data;
        var due = org.OpenIds.Take(3).ToList();
        var changedAmount = generated.Opportunities.Single(o => o.Id == due[0]);
        var account = generated.Opportunities.Single(o => o.Id == due[1]).AccountId!;
        var task = generated.Tasks.First(t => t.WhatId == due[2]);
        await org.UpdateAsync(session, "Opportunity", [new RecordUpdate(due[0], new Dictionary<string, object?> { ["Amount"] = ((changedAmount.Amount ?? 0m) * 7) + 250_000m })]);
        await org.UpdateAsync(session, "Account", [new RecordUpdate(account, new Dictionary<string, object?> { ["NumberOfEmployees"] = 123_456, ["AnnualRevenue"] = 9_000_000_000m })]);
        await org.UpdateAsync(session, "Task", [new RecordUpdate(task.Id, new Dictionary<string, object?> { ["ActivityDate"] = DateOnly.FromDateTime(org.Time.GetUtcNow().UtcDateTime) })]);
        await org.UpdateAsync(session, "Opportunity", [.. due.Select(ClearScore)]);
        org.Time.Advance(TimeSpan.FromMinutes(5));
        var entriesBefore = log.Entries.Count;

        var result = await session.ScoreAsync(new ScoringRequest(Full: false));

        Assert.Equal(RunOutcome.Succeeded, result.Report.Outcome);
        Assert.Equal(due, org.Writes.Saved.Keys.Order(StringComparer.Ordinal));
        var said = log.Entries.Skip(entriesBefore).Select(e => e.Message).ToList();
        Assert.Equal(cacheContext, said.Any(m => m.StartsWith("Context brought up to date from memory", StringComparison.Ordinal)));
        Assert.Equal(cacheContext, said.Any(m => m.StartsWith("Reading Account changes", StringComparison.Ordinal)));
        Assert.DoesNotContain(said, m => m.StartsWith("Reading Task:", StringComparison.Ordinal));

        // Scored exactly as a fresh read of the whole org (its export) scores them.
        using var package = ModelPackage.Load(fixture.PackageFolder);
        var now = org.Time.GetUtcNow();
        var offline = Recommender.Create(await org.ReadExportAsync(), package.Schema, package.Scorer, now).Recommend(due, now);
        Assert.Equal(
            offline.Select(o => Math.Round((decimal)o.WinProbability * 100, 1, MidpointRounding.AwayFromZero)),
            due.Select(id => result.Planned.Single(p => p.OpportunityId == id).Probability));
    }

    [Fact]
    public async Task RunAsync_AfterAFullRescore_KeepsTheContextAndTheNextFullRescoreReplacesIt()
    {
        await using var org = await TestOrg.StartAsync(fixture);
        var log = new ListLogger();
        await using var session = await org.SessionAsync(log: log);
        var cache = session.Services.GetRequiredService<ContextCache>();

        await session.ScoreAsync(new ScoringRequest(Full: true));
        var held = cache.Records;
        org.Time.Advance(TimeSpan.FromMinutes(5));
        await session.ScoreAsync(new ScoringRequest(Full: true));

        var data = org.Local.Generated.Data;
        Assert.Equal(data.Opportunities.Count + data.OpportunityHistories.Count + data.Tasks.Count + data.Events.Count + data.Accounts.Count, held);
        Assert.Equal(held, cache.Records);
        Assert.Equal(2, log.Entries.Count(e => e.Message.StartsWith("Context of ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RunAsync_NewModelPromoted_DropsTheContextAndReadsWhole()
    {
        await using var org = await TestOrg.StartAsync(fixture);
        var log = new ListLogger();
        await using var session = await org.SessionAsync(log: log);
        await session.ScoreAsync(new ScoringRequest(Full: true));
        await PromoteCopyAsync(org, "2-same-trees");
        org.Time.Advance(TimeSpan.FromMinutes(5));
        await org.UpdateAsync(session, "Opportunity", [ClearScore(org.OpenIds[0])]);
        org.Time.Advance(TimeSpan.FromMinutes(5));

        var result = await session.ScoreAsync(new ScoringRequest(Full: false));

        Assert.Equal(RunOutcome.Succeeded, result.Report.Outcome);
        Assert.Equal("2-same-trees", result.Report.ModelVersion);
        Assert.True(log.Said("Context in memory dropped (read with other fields or for another model)"));
        Assert.False(log.Said("Context brought up to date from memory"));
        Assert.Equal(1, org.Writes.Saved.GetValueOrDefault(org.OpenIds[0]));
    }

    [Fact]
    public async Task RunAsync_ReadOfChangesFails_DropsTheContextSoTheNextRunReadsWhole()
    {
        await using var org = await TestOrg.StartAsync(fixture);
        var log = new ListLogger();
        await using var session = await org.SessionAsync(log: log);
        var cache = session.Services.GetRequiredService<ContextCache>();
        await session.ScoreAsync(new ScoringRequest(Full: true));
        org.Time.Advance(TimeSpan.FromMinutes(5));
        await org.UpdateAsync(session, "Opportunity", [ClearScore(org.OpenIds[0])]);
        org.Time.Advance(TimeSpan.FromMinutes(5));

        // The org goes down once the changes are being read (after the change detection's queries).
        org.Writes.FailQueries = soql => soql.StartsWith("SELECT Id, WhatId", StringComparison.Ordinal) && soql.Contains(">=", StringComparison.Ordinal);
        var failed = await session.ScoreAsync(new ScoringRequest(Full: false));
        org.Writes.FailQueries = null;
        var emptied = cache.Records;
        var resumed = await session.ScoreAsync(new ScoringRequest(Full: false));

        Assert.Equal(RunOutcome.Failed, failed.Report.Outcome);
        Assert.Equal(0, emptied);
        Assert.Equal(RunOutcome.Succeeded, resumed.Report.Outcome);
        Assert.Equal(1, resumed.Report.Written);
        Assert.True(cache.Records > 0);
    }

    private static async Task PromoteCopyAsync(TestOrg org, string version)
    {
        var store = new LocalFolderModelStore(org.Local.ModelStoreFolder);
        var current = await store.GetCurrentAsync();
        var copy = Path.Combine(org.Local.Folder, "staging", version);
        var folder = Path.Combine(org.Local.ModelStoreFolder, current!.Version);
        using (var original = ModelPackage.Load(folder))
        {
            ModelPackage.Write(copy, File.ReadAllBytes(Path.Combine(folder, ModelPackage.ModelFileName)), original.Manifest with { Version = version }, original.Schema);
        }

        await store.PublishAsync(version, copy);
        await store.PromoteAsync(version, current);
    }

    private static RecordUpdate ClearScore(string id) =>
        new(id, new Dictionary<string, object?> { [Fields.ProbabilityField] = null, [Fields.ScoredAtField] = null });
}
