using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SfPredictor.DataExport;
using SfPredictor.Features;
using SfPredictor.Features.Activities;
using SfPredictor.Recommendations;
using SfPredictor.Records;
using SfPredictor.Salesforce;
using SfPredictor.Scoring;
using SfPredictor.Scoring.Packaging;
using SfPredictor.Training;
using SfPredictor.Worker.AdminSettings;
using SfPredictor.Worker.Models;
using SfPredictor.Worker.Scheduling;
using SfPredictor.Worker.State;
using SfPredictor.Worker.Telemetry;
using SfPredictor.Worker.WriteBack;

namespace SfPredictor.Worker.Pipeline;

/// <summary>The recommendations for an org's open Opportunities and how they were made.</summary>
/// <param name="AsOf">The point in time.</param>
/// <param name="Model">The model in words (version, kind, trees; trained now or loaded from where).</param>
/// <param name="Results">One entry per Opportunity open at <paramref name="AsOf"/>, in data order.</param>
public sealed record RecommendationRun(DateTimeOffset AsOf, string Model, IReadOnlyList<OpportunityRecommendation> Results)
{
    /// <summary>The model's kinds that were never recommended for lack of training examples.</summary>
    public IReadOnlyList<LeftOutActivityKind> LeftOutKinds { get; init; } = [];

    /// <summary>How well the activity kinds recognise the org's activities (with the model's kinds).</summary>
    public ActivityKindCoverage? ActivityCoverage { get; init; }
}

/// <summary>
/// <c>sfp recommend</c>: the worker's scoring run (<see cref="ScoringRun"/>) over an org held in memory (a Data
/// Export), written to CSV, with a given model package or one trained on the org's closed Opportunities first. It
/// keeps no state: every Opportunity open at the point in time is scored and written, in data order.
/// </summary>
public static class OfflineRecommendations
{
    /// <summary>Scores and recommends for every Opportunity open at the point in time, writing one CSV row each.</summary>
    /// <param name="org">The org's records.</param>
    /// <param name="modelDirectory">A model package folder; <see langword="null"/> trains one on the org's deals closed by the point in time.</param>
    /// <param name="csv">Receives the header and a row per open Opportunity (<see cref="Recommendations.Output.RecommendationCsv"/>); null writes none.</param>
    /// <param name="asOf">The point in time; default: <see cref="OrgData.ExtractedAt"/>.</param>
    /// <param name="options">Recommendation settings, as bound from configuration.</param>
    /// <param name="training">Training settings when a model is trained; default: <see cref="TrainingOptions"/>'s defaults.</param>
    /// <param name="features">Feature settings when a model is trained (activity kinds, ...); default: <see cref="FeatureOptions"/>'s defaults.</param>
    /// <param name="progress">Receives training progress.</param>
    /// <param name="loggerFactory">Receives the run's log (a disabled kind the model does not know, ...); default: none.</param>
    /// <param name="cancellationToken">Stops training and recommending.</param>
    /// <exception cref="ModelPackageException">The model package cannot be loaded.</exception>
    /// <exception cref="InsufficientTrainingDataException">Too few closed deals to train on.</exception>
    /// <exception cref="InvalidOperationException">No Opportunity is open at the point in time, or the run failed.</exception>
    /// <exception cref="ArgumentException">No point in time is given and the records carry none.</exception>
    public static async Task<RecommendationRun> RunAsync(
        OrgData org,
        string? modelDirectory,
        TextWriter? csv = null,
        DateTimeOffset? asOf = null,
        RecommendationOptions? options = null,
        TrainingOptions? training = null,
        FeatureOptions? features = null,
        IProgress<TrainingProgress>? progress = null,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(org);
        var pointInTime = asOf ?? org.ExtractedAt
            ?? throw new ArgumentException("The records carry no extraction time; give the point in time to recommend at.", nameof(asOf));
        string description;
        ModelPackage package;
        if (modelDirectory is not null)
        {
            package = ModelPackage.Load(modelDirectory);
            var m = package.Manifest;
            description = string.Create(CultureInfo.InvariantCulture, $"model {m.Version} ({m.Kind}, {m.Trees} trees) from {package.Directory}");
        }
        else
        {
            var trained = new TrainingPipeline(training ?? new TrainingOptions(), features).Train(org, pointInTime, progress, cancellationToken);
            var t = trained.Manifest;
            description = string.Create(
                CultureInfo.InvariantCulture,
                $"model {t.Version} ({t.Kind}, {t.Trees} trees) trained on {t.Counts.Won + t.Counts.Lost:N0} deals closed by {pointInTime:yyyy-MM-dd}; validation AUC {t.ValidationMetrics.Auc:0.000}");
            package = LoadTrained(trained);
        }

        using var model = new PackageModel(package);
        var manifest = package.Manifest;
        var recommendations = options ?? new RecommendationOptions();
        progress?.Report(new TrainingProgress("recommending", 0, 1));
        using var sink = new CsvSink(csv ?? TextWriter.Null);
        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var usage = new SalesforceApiUsage();
        var loggers = loggerFactory ?? NullLoggerFactory.Instance;
        var run = new ScoringRun(
            new DataExportSource(org),
            sink,
            model,
            new OneOffState(),
            new ContextCache(),
            usage,
            Options.Create(new WorkerOptions { CacheContext = false }),
            Options.Create(recommendations),
            new WorkerMetrics(meters.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), () => model.CurrentVersion, usage),
            TimeProvider.System,
            loggers.CreateLogger<ScoringRun>());

        // The settings an admin may set in Salesforce do not apply to an export: the configured ones do, and a CSV is always written.
        var settings = EffectiveSettings.FromOptions(new ScheduleOptions(), new WriteBackOptions(), recommendations) with { WriteBackEnabled = true };
        var result = await run.RunAsync(new ScoringRequest(Full: true, Job: JobNames.Recommend, AsOf: pointInTime), settings, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (result.Report.Outcome != RunOutcome.Succeeded)
        {
            throw new InvalidOperationException(result.Report.Error);
        }

        if (result.Report.Scored == 0)
        {
            throw new InvalidOperationException($"No Opportunity is open at {pointInTime:O}; there is nothing to recommend for.");
        }

        progress?.Report(new TrainingProgress("recommending", 1, 1));
        return new RecommendationRun(pointInTime, description, [.. result.Planned.Select(p => p.Score)])
        {
            LeftOutKinds = manifest.LeftOutActivityKinds,
            ActivityCoverage = result.ActivityCoverage,
        };
    }

    // The trained package goes through its files, as a package from the store does; the folder is not needed once loaded.
    private static ModelPackage LoadTrained(TrainedModel trained)
    {
        var folder = Path.Combine(Path.GetTempPath(), "sfp-recommend-" + Guid.NewGuid().ToString("N"));
        try
        {
            trained.Save(folder);
            return ModelPackage.Load(folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
