using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SfPredictor.Features;
using SfPredictor.Features.Activities;
using SfPredictor.Features.Indexing;
using SfPredictor.Records;
using SfPredictor.Records.Sources;
using SfPredictor.Recommendations;
using SfPredictor.Recommendations.Explanations;
using SfPredictor.Salesforce;
using SfPredictor.Worker.AdminSettings;
using SfPredictor.Worker.Models;
using SfPredictor.Worker.Scheduling;
using SfPredictor.Worker.State;
using SfPredictor.Worker.Telemetry;
using SfPredictor.Worker.WriteBack;

namespace SfPredictor.Worker.Pipeline;

/// <summary>What to run.</summary>
/// <param name="Full">Every open Opportunity (else what changed since the watermark, plus the retry list).</param>
/// <param name="DryRun">Score and plan, write nothing and change no state.</param>
/// <param name="Job">The job name in reports and logs.</param>
/// <param name="ScheduledFor">The schedule firing that started the run, if any.</param>
/// <param name="Node">The scheduler instance running it, if any.</param>
/// <param name="Opportunities">
/// Exactly these Opportunities (those still open), as change events named them: no change detection, and neither the
/// watermark nor the retry list is read or moved (failed writes still join the retry list).
/// </param>
/// <param name="AsOf">The point in time to score at; null for now. A Data Export is scored as of when it was taken.</param>
public sealed record ScoringRequest(
    bool Full,
    bool DryRun = false,
    string Job = JobNames.Score,
    DateTimeOffset? ScheduledFor = null,
    string? Node = null,
    IReadOnlyCollection<string>? Opportunities = null,
    DateTimeOffset? AsOf = null);

/// <summary>What a scoring run did.</summary>
/// <param name="Report">The run report (kept in the state store unless it was a dry run).</param>
/// <param name="Planned">Every write planned (written, failed, or for a dry run only shown).</param>
public sealed record ScoringResult(RunReport Report, IReadOnlyList<PlannedWrite> Planned)
{
    /// <summary>How well the model's activity kinds recognise the org's activities; measured by a full run, which reads them all.</summary>
    public ActivityKindCoverage? ActivityCoverage { get; init; }
}

/// <summary>
/// One scoring run: read the Opportunities to score from the source (what changed since the watermark, or all
/// open ones), build their features as of now, score and recommend with the current model, let the sink plan a
/// write for each (Salesforce: only where its values changed enough) and write batch by batch. After each written
/// batch the retry list and the watermark are saved, so a stop between batches loses nothing; a stop is honoured
/// only between batches.
/// <para>
/// The worker and <c>sfp score --once</c> run it over Salesforce (<see cref="SalesforceSource"/>,
/// <see cref="SalesforceWriteBack"/>, the state store, the model store's current model); <c>sfp recommend</c> over a
/// Data Export, a CSV file, a one-off state and a given or freshly trained package (<see cref="OfflineRecommendations"/>).
/// </para>
/// </summary>
internal sealed class ScoringRun(
    IOrgSource source,
    IScoreSink sink,
    IModelSource models,
    IScoringState state,
    ContextCache cache,
    SalesforceApiUsage usage,
    IOptions<WorkerOptions> options,
    IOptions<RecommendationOptions> recommendationOptions,
    WorkerMetrics metrics,
    TimeProvider time,
    ILogger<ScoringRun> logger)
{
    /// <summary>Watermark of the incremental run: changes stamped up to it are handled.</summary>
    public const string WatermarkName = "score";

    /// <summary>Set while a full rescore has not finished; the next scoring run is then a full one.</summary>
    public const string FullPendingName = "full-rescore-pending";

    // These end a run: nothing later in it could succeed, and the records stay due for the next run.
    private static readonly HashSet<string> RunEndingErrors = new(StringComparer.Ordinal)
    {
        "REQUEST_LIMIT_EXCEEDED", "API_SHARE_EXCEEDED", "CONNECTION_FAILED", "TIMEOUT", "AUTHENTICATION_FAILED",
        "INVALID_SESSION_ID", "BULK_JOB_TIMEOUT", "BULK_JOB_FAILED", "SERVER_UNAVAILABLE",
    };

    private static readonly TimeSpan SettleAfter = TimeSpan.FromSeconds(2);

    /// <summary>Checks that the sink can take writes (for Salesforce: every write-back field exists, has the expected type and is updateable).</summary>
    /// <exception cref="SalesforceSchemaException">A write-back field is missing, of another type or read-only.</exception>
    public Task VerifySinkAsync(CancellationToken cancellationToken = default) => sink.VerifyAsync(cancellationToken);

    /// <summary>Runs once. Failures of the run are reported (outcome Failed), not thrown; cancellation stops between batches.</summary>
    public async Task<ScoringResult> RunAsync(ScoringRequest request, EffectiveSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(settings);
        var run = new RunState(request, Retraining.RetrainRun.NewRunId(time.GetUtcNow()), time.GetUtcNow(), usage.ApiCalls, time.GetTimestamp());
        using var activity = WorkerTelemetry.ActivitySource.StartActivity($"{request.Job} run");
        activity?.SetTag("sfpredictor.run_id", run.RunId);
        var dryRun = request.DryRun || !settings.WriteBackEnabled;
        Log.RunStarted(logger, request.Job, run.RunId, request.Full ? "full" : "incremental", dryRun ? ", dry run" : string.Empty);
        try
        {
            await ExecuteAsync(run, settings, dryRun, cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            run.Outcome = RunOutcome.Stopped;
            run.Error = "stopped before writing";
        }
        catch (Exception e) when (e is SalesforceApiException or SalesforceDataException or SalesforceSchemaException
            or SfPredictor.ModelStore.ModelStoreException or NoModelException or ArgumentException or InvalidOperationException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            Log.RunFailed(logger, e, request.Job, run.RunId, e.Message);
            run.Outcome = RunOutcome.Failed;
            run.Error = e.Message;
        }

        var report = run.ToReport(time.GetUtcNow(), dryRun, models.CurrentVersion, usage);
        var seconds = time.GetElapsedTime(run.Timestamp).TotalSeconds;
        metrics.RunDuration.Record(seconds, new KeyValuePair<string, object?>("sfpredictor.job", request.Job));
        metrics.RunApiCalls.Add(report.ApiCalls);
        Log.RunFinished(logger, request.Job, run.RunId, report.Outcome.ToString(), report.Read, report.Scored, report.Written, report.Unchanged, report.Failed, report.ApiCalls, seconds);
        if (!request.DryRun)
        {
            await state.SaveRunAsync(report, CancellationToken.None);
        }

        return new ScoringResult(report, run.Planned) { ActivityCoverage = run.ActivityCoverage };
    }

    private async Task ExecuteAsync(RunState run, EffectiveSettings settings, bool dryRun, CancellationToken cancellationToken)
    {
        using var lease = await models.AcquireAsync(cancellationToken);
        var now = run.Request.AsOf ?? time.GetUtcNow();

        // What to score: everything, or what changed since the watermark plus the retry list, or the Opportunities named.
        var targeted = run.Request.Opportunities;
        var full = targeted is null && (run.Request.Full || await state.GetWatermarkAsync(FullPendingName, cancellationToken) is not null);
        if (!dryRun && targeted is null)
        {
            await SettlePreviousWritesAsync(full, now, cancellationToken);
        }

        var watermark = full || targeted is not null ? null : await state.GetWatermarkAsync(WatermarkName, cancellationToken);
        full |= targeted is null && watermark is null;
        var retries = targeted is null ? await state.GetRetriesAsync(cancellationToken) : [];
        ChangeSet? changes = null;
        if (full)
        {
            if (!dryRun)
            {
                await state.SetWatermarkAsync(FullPendingName, run.Started, cancellationToken);
            }
        }
        else if (targeted is null)
        {
            changes = await source.FindChangesAsync(watermark!.Value - options.Value.WatermarkOverlap, cancellationToken);
        }

        var selection = targeted is not null ? targeted.ToHashSet(SalesforceId.Comparer)
            : changes is null ? null : changes.Ids.Concat(retries.Select(r => r.Id)).ToHashSet(SalesforceId.Comparer);
        var (index, data, stamps, hasEveryOpen) = await ReadAsync(
            new SourceSelection(selection, sink.FieldsToRead, [.. lease.Package.Schema.Options.ActivityTypeFields], lease.Package.Manifest.Version),
            lease.Package.Schema.Options, cancellationToken);

        // Score and recommend the selected open Opportunities as of now.
        if (data is not null && full)
        {
            // The whole org is in hand: warn when the model's kinds no longer recognise its activities, as training does.
            run.ActivityCoverage = ActivityKindCoverage.Measure(data, index);
            if (run.ActivityCoverage.Warning is { } warning)
            {
                Log.ActivitiesUnrecognised(logger, lease.Package.Manifest.Version, warning);
            }
        }

        var open = index.OpenAt(now).Where(i => selection is null || selection.Contains(index.Opportunities[i].Id)).ToArray();
        run.Read = open.Length;
        metrics.RecordsRead.Add(open.Length);
        var recommendations = open.Length == 0 ? [] : Recommend(index, lease, open, now, settings, hasEveryOpen, cancellationToken);
        run.Scored = recommendations.Count;
        metrics.RecordsScored.Add(recommendations.Count);

        var rules = new WriteBackRules(settings.MinProbabilityChangePoints, settings.TrendThresholdPoints);
        var version = lease.Package.Manifest.Version;
        var unchanged = new List<string>();
        for (var k = 0; k < recommendations.Count; k++)
        {
            var score = recommendations[k];
            metrics.Scores.Record(score.WinProbability * 100);
            run.ScoreHistogram[Math.Clamp((int)(score.WinProbability * 10), 0, 9)]++;
            var planned = sink.Plan(index.Opportunities[open[k]], score, rules, now, version);
            if (planned is null)
            {
                unchanged.Add(score.OpportunityId);
            }
            else
            {
                run.Planned.Add(planned);
            }
        }

        run.Unchanged = unchanged.Count;
        metrics.RecordsUnchanged.Add(unchanged.Count);

        // Oldest change first, so that a stop leaves a clean prefix behind the watermark (a full run writes in data order).
        if (changes is not null)
        {
            DateTimeOffset ChangedAt(string id) => changes.ChangedAt(id) ?? DateTimeOffset.MinValue;
            run.Planned.Sort((a, b) => ChangedAt(a.OpportunityId).CompareTo(ChangedAt(b.OpportunityId)) is var c and not 0 ? c : string.CompareOrdinal(a.OpportunityId, b.OpportunityId));
        }
        if (dryRun)
        {
            return;
        }

        // Retried records that need no write, or are no longer open, leave the retry list.
        var scored = recommendations.Select(r => r.OpportunityId).ToHashSet(SalesforceId.Comparer);
        await state.UpdateRetriesAsync([], [.. unchanged, .. retries.Select(r => r.Id).Where(id => !scored.Contains(id))], now, cancellationToken);
        await WriteAsync(run, changes, watermark, cancellationToken);
        if (run.Outcome != RunOutcome.Succeeded)
        {
            return;
        }

        if (data is not null && full)
        {
            // Everything stamped up to the newest record read is now scored.
            await RaiseWatermarkAsync((stamps ?? ObjectStamps.Of(data)).Latest);
            await state.DeleteWatermarkAsync(FullPendingName, CancellationToken.None);
        }

        if (run.Written > 0 && targeted is null
            && await state.GetWatermarkAsync(WatermarkName, CancellationToken.None) is { } since
            && await source.LatestStampAsync(since, CancellationToken.None) is { } last)
        {
            await state.SaveWrittenAsync(new WrittenByRun(since, last, time.GetUtcNow(), run.WrittenIds), CancellationToken.None);
        }
    }

    /// <summary>
    /// The org indexed for this run, and its records when they were read whole (a full run always reads whole) with
    /// their stamps when already taken. With
    /// <c>SfPredictor:Worker:CacheContext</c> (the default) the index is kept between runs (<see cref="ContextCache"/>):
    /// a run that scores a selection reads only the records changed since the last read and updates the index with them;
    /// otherwise whole objects are read and indexed, and kept for the next run. Without it, each run reads what it
    /// scores (a few Opportunities by Id lists).
    /// </summary>
    private async Task<(OrgIndex Index, OrgData? Whole, ObjectStamps? Stamps, bool HasEveryOpen)> ReadAsync(
        SourceSelection selection, FeatureOptions features, CancellationToken cancellationToken)
    {
        // Nothing to score: nothing to read, and a kept context stays as it is (its next read catches up).
        if (selection.Ids is { Count: 0 })
        {
            return (new OrgIndex(new OrgData(), features), null, null, false);
        }

        if (!options.Value.CacheContext)
        {
            cache.Clear();
            var read = await source.ReadAsync(selection, cancellationToken);
            return (new OrgIndex(read.Data, features), read.Data, null, read.HasEveryOpenOpportunity);
        }

        var key = string.Join('|', [selection.ModelVersion, .. selection.OpportunityFields.Order(StringComparer.OrdinalIgnoreCase)]);
        var kept = cache.Take(key, out var dropped);
        if (dropped is not null)
        {
            Log.ContextDropped(logger, dropped);
        }

        // A full run reads everything again: that is also how records deleted since are dropped from the context.
        if (selection.Ids is not null && kept is not null)
        {
            if (await source.ReadChangedAsync(selection, kept.Stamps, cancellationToken) is { } changes)
            {
                var updated = new KeptContext(key, kept.Index.Update(changes), kept.Stamps.Then(changes));
                cache.Keep(updated);
                Log.ContextRefreshed(logger, changes.Opportunities.Count + changes.OpportunityHistories.Count + changes.Tasks.Count + changes.Events.Count + changes.Accounts.Count, updated.Records);
                return (updated.Index, null, null, true);
            }

            Log.ContextDropped(logger, "the org changed in a way only a whole read follows: its currencies were turned on or off");
        }

        var whole = (await source.ReadAsync(selection with { Ids = null }, cancellationToken)).Data;
        var context = new KeptContext(key, new OrgIndex(whole, features), ObjectStamps.Of(whole));
        cache.Keep(context);
        Log.ContextKept(logger, context.Records);
        return (context.Index, whole, context.Stamps, true);
    }

    /// <summary>
    /// Moves the watermark past the previous run's own writes, so this run does not read them back, but never past
    /// a change anyone else made (a handful of calls). It waits until those writes are two seconds old: Salesforce
    /// stamps to the second, so by then no one else can get a stamp in the second of the last write. A user edit
    /// landing on a record between its write and that second's end waits for the record's next change or the
    /// nightly full rescore.
    /// </summary>
    private async Task SettlePreviousWritesAsync(bool full, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await state.GetWrittenAsync(cancellationToken) is not { } previous)
        {
            return;
        }

        if (!full && now - previous.WrittenAt >= SettleAfter)
        {
            await RaiseWatermarkAsync(await source.SettleAsync(previous.Since, previous.LastStamp, previous.Ids, cancellationToken));
        }

        await state.ClearWrittenAsync(cancellationToken);
    }

    private async Task RaiseWatermarkAsync(DateTimeOffset? stamp)
    {
        if (stamp is { } value && (await state.GetWatermarkAsync(WatermarkName, CancellationToken.None) is not { } current || value > current))
        {
            await state.SetWatermarkAsync(WatermarkName, value, CancellationToken.None);
        }
    }

    private async Task WriteAsync(RunState run, ChangeSet? changes, DateTimeOffset? watermark, CancellationToken cancellationToken)
    {
        var batches = run.Planned.Chunk(options.Value.WriteBatchSize).ToList();
        var done = 0;
        for (var b = 0; b < batches.Count; b++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                Log.RunStopping(logger, run.Written);
                run.Outcome = RunOutcome.Stopped;
                run.Error = "stop requested";
                return;
            }

            var batch = batches[b];
            using var span = WorkerTelemetry.ActivitySource.StartActivity("write batch");
            span?.SetTag("sfpredictor.batch.size", batch.Length);

            // The batch in flight is finished even when a stop arrives: its results must be recorded.
            var (written, failed) = await sink.WriteAsync(batch, CancellationToken.None);
            await state.UpdateRetriesAsync(failed, written, time.GetUtcNow(), CancellationToken.None);
            run.AddWritten(written);
            run.AddFailures(failed);
            metrics.RecordsWritten.Add(written.Count);
            metrics.RecordsFailed.Add(failed.Count);
            foreach (var failure in failed.Take(20))
            {
                Log.RecordFailed(logger, failure.Id, failure.ErrorCode, failure.Message);
            }

            Log.BatchWritten(logger, b + 1, batch.Length, written.Count, failed.Count);
            done += batch.Length;
            if (changes is not null)
            {
                await AdvanceWatermarkAsync(changes, watermark, run.Planned.Skip(done), CancellationToken.None);
            }

            if (failed.Count == batch.Length && failed.Select(f => f.ErrorCode).Distinct().SingleOrDefault() is { } code && RunEndingErrors.Contains(code))
            {
                run.Outcome = RunOutcome.Failed;
                run.Error = failed[0].Message;
                return;
            }
        }

        if (changes is not null && batches.Count == 0)
        {
            await AdvanceWatermarkAsync(changes, watermark, [], CancellationToken.None);
        }
    }

    // The watermark may pass every change handled so far, but must stay before the oldest one still unwritten.
    private async Task AdvanceWatermarkAsync(ChangeSet changes, DateTimeOffset? previous, IEnumerable<PlannedWrite> remaining, CancellationToken cancellationToken)
    {
        if (changes.LatestStamp is not { } latest)
        {
            return;
        }

        var pending = remaining.Select(p => changes.ChangedAt(p.OpportunityId) ?? DateTimeOffset.MaxValue).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        var next = pending == DateTimeOffset.MaxValue ? latest : pending.AddTicks(-1) < latest ? pending.AddTicks(-1) : latest;
        if (previous is null || next > previous)
        {
            await state.SetWatermarkAsync(WatermarkName, next, cancellationToken);
        }
    }

    private IReadOnlyList<OpportunityRecommendation> Recommend(
        OrgIndex index, ModelLease lease, int[] open, DateTimeOffset now, EffectiveSettings settings, bool readAllOpen, CancellationToken cancellationToken)
    {
        var package = lease.Package;
        var builder = new FeatureBuilder(index, package.Schema);
        if (readAllOpen || lease.Reference is null)
        {
            lease.Reference = ExplanationReference.FromOpenOpportunities(builder, now);
        }

        var kinds = package.Schema.ActivityKinds;
        var configured = recommendationOptions.Value;
        var disabled = new List<string>();
        foreach (var kind in settings.DisabledKinds)
        {
            if (kinds.Contains(kind, StringComparer.OrdinalIgnoreCase))
            {
                disabled.Add(kind);
            }
            else
            {
                Log.UnknownDisabledKind(logger, kind, package.Manifest.Version, string.Join(", ", kinds));
            }
        }

        // The bound options as they are, with the admin's settings on top; the model's left-out kinds are added as
        // offline (LeftOutKinds), so they are never recommended, whatever the settings say.
        var fromSettings = configured.Copy();
        fromSettings.DisabledKinds = disabled;
        fromSettings.CooldownDays = settings.CooldownDays;
        fromSettings.MaxRecommendations = Math.Min(configured.MaxRecommendations, sink.ActivityPlaces);
        var recommenderOptions = LeftOutKinds.Apply(fromSettings, package.Manifest.LeftOutKindNames);
        var recommender = new Recommender(builder, package.Scorer, lease.Reference, recommenderOptions, package.Effects);
        if (configured.Explanations == ExplanationMethod.TreePath && recommender.Explanations == ExplanationMethod.Replacement
            && lease.FirstWarning())
        {
            Log.ExplanationsByReplacement(logger, package.Manifest.Version);
        }

        return recommender.Recommend(open, now, cancellationToken);
    }

    /// <summary>The counts and outcome of one run as it goes.</summary>
    private sealed class RunState(ScoringRequest request, string runId, DateTimeOffset started, long apiCallsBefore, long timestamp)
    {
        private readonly List<RecordFailure> _failures = [];

        public ScoringRequest Request { get; } = request;

        public string RunId { get; } = runId;

        public DateTimeOffset Started { get; } = started;

        public long Timestamp { get; } = timestamp;

        public List<PlannedWrite> Planned { get; } = [];

        public RunOutcome Outcome { get; set; } = RunOutcome.Succeeded;

        public string? Error { get; set; }

        public int Read { get; set; }

        public ActivityKindCoverage? ActivityCoverage { get; set; }

        public int Scored { get; set; }

        public int Written => WrittenIds.Count;

        public HashSet<string> WrittenIds { get; } = new(SalesforceId.Comparer);

        public int Unchanged { get; set; }

        public int[] ScoreHistogram { get; } = new int[10];

        public int FailedCount { get; private set; }

        public void AddWritten(IEnumerable<string> ids) => WrittenIds.UnionWith(ids);

        public void AddFailures(IReadOnlyCollection<RecordFailure> failures)
        {
            FailedCount += failures.Count;
            _failures.AddRange(failures.Take(RunReport.MaxFailuresKept - _failures.Count));
        }

        public RunReport ToReport(DateTimeOffset finished, bool dryRun, string? modelVersion, SalesforceApiUsage usage) => new()
        {
            RunId = RunId,
            Job = Request.Job,
            ScheduledFor = Request.ScheduledFor,
            Node = Request.Node,
            Started = Started,
            Finished = finished,
            Outcome = Outcome,
            Error = Error,
            DryRun = dryRun,
            ModelVersion = modelVersion,
            Read = Read,
            Scored = Scored,
            Written = Written,
            Unchanged = Unchanged,
            Failed = FailedCount,
            ApiCalls = usage.ApiCalls - apiCallsBefore,
            DailyApiRemaining = usage.DailyRemaining,
            Failures = [.. _failures],
            ScoreHistogram = Scored > 0 ? [.. ScoreHistogram] : [],
        };
    }
}
