using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Quartz;
using SfPredictor.ModelStore;
using SfPredictor.Scoring.Packaging;
using SfPredictor.Worker.Health;
using SfPredictor.Worker.Scheduling;
using SfPredictor.Worker.State;

namespace SfPredictor.Worker.Status;

/// <summary>
/// Reads a <see cref="StatusReport"/> from the state store, the model store and the scheduler. Manifests are
/// kept once read: versions are immutable, so each is downloaded at most once per process.
/// </summary>
internal sealed class StatusReportBuilder(StateStore state, IModelStore models, ISchedulerFactory schedulers, IOptions<WorkerOptions> options, TimeProvider time)
{
    /// <summary>Runs shown.</summary>
    public const int RunsShown = 30;

    /// <summary>Earlier model versions shown.</summary>
    public const int EarlierModelsShown = 5;

    private readonly ConcurrentDictionary<string, ModelStatus> _manifests = new(StringComparer.Ordinal);

    /// <summary>Reads everything the status page shows.</summary>
    public async Task<StatusReport> BuildAsync(CancellationToken cancellationToken = default)
    {
        var current = await models.GetCurrentAsync(cancellationToken);
        var health = await HealthDocument.CreateAsync(state, current?.Version, cancellationToken);
        var runs = await state.GetRunsAsync(RunsShown, job: null, cancellationToken);
        var distributionRun = runs.FirstOrDefault(r => r.ScoreHistogram.Count > 0);

        var versions = await models.ListVersionsAsync(cancellationToken);
        var earlier = new List<ModelStatus>();
        foreach (var version in versions.Where(v => v != current?.Version).OrderDescending(StringComparer.Ordinal).Take(EarlierModelsShown))
        {
            earlier.Add(await ModelAsync(version, cancellationToken));
        }

        return new StatusReport(
            time.GetUtcNow(),
            health,
            runs,
            runs.FirstOrDefault(r => r.DailyApiRemaining is not null)?.DailyApiRemaining,
            await SchedulesAsync(cancellationToken),
            current is null ? null : await ModelAsync(current.Version, cancellationToken),
            earlier,
            distributionRun?.ScoreHistogram ?? [],
            distributionRun);
    }

    private async Task<IReadOnlyList<ScheduleStatus>> SchedulesAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var result = new List<ScheduleStatus>();
        foreach (var job in JobNames.All)
        {
            var trigger = await scheduler.GetTrigger(new TriggerKey(JobNames.TriggerOf(job), JobNames.Group), cancellationToken);
            result.Add(new ScheduleStatus(job, (trigger as ICronTrigger)?.CronExpressionString, trigger?.NextFireTimeUtc));
        }

        return result;
    }

    private async Task<ModelStatus> ModelAsync(string version, CancellationToken cancellationToken)
    {
        if (_manifests.TryGetValue(version, out var known))
        {
            return known;
        }

        ModelStatus status;
        try
        {
            var folder = await models.DownloadAsync(version, options.Value.ModelCachePath, cancellationToken);
            var manifest = ModelManifest.FromJson(await File.ReadAllTextAsync(Path.Combine(folder, ModelPackage.ManifestFileName), cancellationToken));
            status = new ModelStatus(
                version,
                manifest.Kind,
                manifest.Created,
                manifest.Counts.TrainOpportunities + manifest.Counts.ValidationOpportunities,
                manifest.ValidationMetrics,
                manifest.BaselineValidationMetrics);
        }
        catch (Exception e) when (e is ModelStoreException or IOException or System.Text.Json.JsonException)
        {
            // A page that cannot show one version still shows the rest; the next request tries again.
            return new ModelStatus(version, null, null, null, null, null, e.Message);
        }

        _manifests[version] = status;
        return status;
    }
}
