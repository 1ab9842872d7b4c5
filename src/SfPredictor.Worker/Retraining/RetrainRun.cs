using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SfPredictor.Features;
using SfPredictor.Features.Training;
using SfPredictor.ModelStore;
using SfPredictor.Salesforce;
using SfPredictor.Scoring;
using SfPredictor.Scoring.Packaging;
using SfPredictor.Training;
using SfPredictor.Worker.Models;
using SfPredictor.Worker.Pipeline;
using SfPredictor.Worker.Scheduling;
using SfPredictor.Worker.State;
using SfPredictor.Worker.Telemetry;

using SfPredictor.Worker.AdminSettings;

namespace SfPredictor.Worker.Retraining;

/// <summary>What a retraining did.</summary>
/// <param name="Report">The run report (also kept in the state store).</param>
/// <param name="CandidateVersion">The version trained and published, when training got that far.</param>
/// <param name="Promoted">Whether the candidate became the current model.</param>
/// <param name="ReportPath">The candidate's evaluation report (HTML) in the local model cache.</param>
public sealed record RetrainResult(RunReport Report, string? CandidateVersion, bool Promoted, string? ReportPath);

/// <summary>
/// The retrain job: reads the closed Opportunities (and what their features need) through the API, trains
/// with the training pipeline, publishes the candidate to the model store (every version is kept), measures
/// the candidate and the current model on the same recent holdout and promotes the candidate only when it is
/// not worse by more than <see cref="RetrainOptions.MaxLogLossIncrease"/>.
/// </summary>
public sealed class RetrainRun(
    SalesforceSource salesforce,
    SalesforceClient client,
    IModelStore store,
    ModelProvider models,
    StateStore state,
    IOptions<RetrainOptions> options,
    IOptions<TrainingOptions> trainingOptions,
    ActivityKindRulesReader activityKinds,
    IOptions<TrainingSetOptions> snapshotOptions,
    IOptions<ScorerOptions> scorerOptions,
    IOptions<WorkerOptions> workerOptions,
    TimeProvider time,
    ILogger<RetrainRun> logger)
{
    /// <summary>Trains, publishes and (when not worse) promotes a model.</summary>
    /// <param name="progress">Receives the training steps.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    public async Task<RetrainResult> RunAsync(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var started = time.GetUtcNow();
        var runId = NewRunId(started);
        var calls = client.Usage.ApiCalls;
        using var activity = WorkerTelemetry.ActivitySource.StartActivity("retrain run");
        activity?.SetTag("sfpredictor.run_id", runId);
        Log.RunStarted(logger, JobNames.Retrain, runId, "retrain", string.Empty);
        RunReport Report(RunOutcome outcome, string? detail, string? error = null) => new()
        {
            RunId = runId,
            Job = JobNames.Retrain,
            Started = started,
            Finished = time.GetUtcNow(),
            Outcome = outcome,
            Error = error,
            ModelVersion = models.CurrentVersion,
            ApiCalls = client.Usage.ApiCalls - calls,
            DailyApiRemaining = client.Usage.DailyRemaining,
            Detail = detail,
        };

        var workFolder = Path.Combine(Path.GetFullPath(workerOptions.Value.ModelCachePath), ".training", runId);
        try
        {
            var window = options.Value.TrainingWindowDays;
            var closeDateFrom = window > 0 ? DateOnly.FromDateTime(started.UtcDateTime.AddDays(-window)) : (DateOnly?)null;
            var features = await activityKinds.ReadAsync(cancellationToken);
            var org = await salesforce.LoadWholeAsync(OpportunityScope.Closed, closeDateFrom, [], [.. features.ActivityTypeFields], cancellationToken);

            var pipeline = new TrainingPipeline(trainingOptions.Value, features, snapshotOptions.Value, scorerOptions.Value, time);
            var trained = pipeline.Train(org, started, progress, cancellationToken);
            var version = trained.Manifest.Version;
            if (trained.Manifest.ActivityCoverage?.Warning is { } warning)
            {
                Log.ActivitiesUnrecognised(logger, version, warning);
            }

            if (trained.Manifest.LeftOutActivityKinds.Count > 0)
            {
                Log.KindsLeftOut(logger, version, string.Join(", ", trained.Manifest.LeftOutActivityKinds.Select(k => k.Kind)));
            }

            var packageFolder = Path.Combine(workFolder, version);
            trained.Save(packageFolder);
            await store.PublishAsync(version, packageFolder, cancellationToken);

            var pointer = await store.GetCurrentAsync(cancellationToken);
            using var current = pointer is null ? null : await models.AcquireAsync(cancellationToken);
            var (promote, detail) = pointer is null
                ? (true, $"first model {version}")
                : Compare(org, packageFolder, pointer.Version, current, cancellationToken);
            var promoted = false;
            if (promote)
            {
                try
                {
                    await store.PromoteAsync(version, pointer, cancellationToken);
                    promoted = true;
                    Log.ModelPromoted(logger, version);
                    await models.RefreshAsync(cancellationToken);
                }
                catch (ModelPromotionConflictException)
                {
                    Log.PromotionConflict(logger, version);
                    detail += "; another worker promoted first";
                }
            }

            var report = Report(RunOutcome.Succeeded, $"{detail}; {(promoted ? "promoted" : "kept as an unpromoted version")}");
            await state.SaveRunAsync(report, CancellationToken.None);
            var reportPath = Path.Combine(await store.DownloadAsync(version, workerOptions.Value.ModelCachePath, cancellationToken), ModelPackage.ReportFileName);
            return new RetrainResult(report, version, promoted, File.Exists(reportPath) ? reportPath : null);
        }
        catch (Exception e) when (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            var report = Report(RunOutcome.Stopped, null, "stopped before a model was published");
            await state.SaveRunAsync(report, CancellationToken.None);
            return new RetrainResult(report, null, false, null);
        }
        catch (Exception e) when (e is SalesforceApiException or SalesforceDataException or InsufficientTrainingDataException
            or ModelParityException or ModelStoreException or ModelPackageException or IOException
            or OptionsValidationException or ArgumentException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            Log.RunFailed(logger, e, JobNames.Retrain, runId, e.Message);
            var report = Report(RunOutcome.Failed, null, e.Message);
            await state.SaveRunAsync(report, CancellationToken.None);
            return new RetrainResult(report, null, false, null);
        }
        finally
        {
            TryDelete(workFolder);
        }
    }

    private (bool Promote, string Detail) Compare(
        SfPredictor.Records.OrgData org, string candidateFolder, string currentVersion, ModelLease? current, CancellationToken cancellationToken)
    {
        using var candidate = ModelPackage.Load(candidateFolder, scorerOptions.Value);
        var share = trainingOptions.Value.TestShare;
        var asOf = time.GetUtcNow();
        var candidateScore = HoldoutEvaluation.Evaluate(org, candidate, snapshotOptions.Value, share, asOf, cancellationToken);
        if (current is null || current.Package.Manifest.Version != currentVersion)
        {
            return (true, $"candidate {candidate.Manifest.Version}; the current model {currentVersion} cannot be loaded here to compare");
        }

        HoldoutScore currentScore;
        try
        {
            currentScore = HoldoutEvaluation.Evaluate(org, current.Package, snapshotOptions.Value, share, asOf, cancellationToken);
        }
        catch (ArgumentException e)
        {
            // The current model's schema cannot be built from today's records (a field or kind it needs is gone).
            return (true, $"candidate {candidate.Manifest.Version}; the current model {currentVersion} cannot score today's records: {e.Message}");
        }

        var promote = candidateScore.Rows > 0
            && (double.IsNaN(currentScore.LogLoss) || candidateScore.LogLoss <= currentScore.LogLoss + options.Value.MaxLogLossIncrease);
        var decision = promote ? "not worse: promoting" : "worse: keeping the current model";
        Log.CandidateCompared(logger, candidate.Manifest.Version, candidateScore.LogLoss, candidateScore.Auc, candidateScore.Rows,
            currentVersion, currentScore.LogLoss, currentScore.Auc, decision);
        var detail = string.Create(
            CultureInfo.InvariantCulture,
            $"candidate {candidate.Manifest.Version} log loss {candidateScore.LogLoss:0.0000} AUC {candidateScore.Auc:0.000} vs current {currentVersion} log loss {currentScore.LogLoss:0.0000} AUC {currentScore.Auc:0.000} on {candidateScore.Rows} holdout rows: {decision}");
        return (promote, detail);
    }

    internal static string NewRunId(DateTimeOffset started) =>
        started.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..12];

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temporary folder costs disk only; the next run uses a new one.
        }
    }
}
