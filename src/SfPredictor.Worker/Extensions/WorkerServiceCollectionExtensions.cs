using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Quartz;
using SfPredictor.Features;
using SfPredictor.Features.Training;
using SfPredictor.ModelStore;
using SfPredictor.Recommendations;
using SfPredictor.Records.Sources;
using SfPredictor.Salesforce;
using SfPredictor.Scoring;
using SfPredictor.Training;
using SfPredictor.Worker.AdminSettings;
using SfPredictor.Worker.ChangeEvents;
using SfPredictor.Worker.Health;
using SfPredictor.Worker.Hosting;
using SfPredictor.Worker.Models;
using SfPredictor.Worker.Pipeline;
using SfPredictor.Worker.Retraining;
using SfPredictor.Worker.Scheduling;
using SfPredictor.Worker.State;
using SfPredictor.Worker.Status;
using SfPredictor.Worker.Telemetry;
using SfPredictor.Worker.WriteBack;

namespace SfPredictor.Worker.Extensions;

/// <summary>Registers the worker: the scoring pipeline, and the scheduler, health endpoint and telemetry around it.</summary>
public static class WorkerServiceCollectionExtensions
{
    /// <summary>
    /// Registers what one run needs, without anything that runs by itself: the Salesforce client, the
    /// model store, the state store, the model provider, <see cref="ScoringRun"/> and <see cref="RetrainRun"/>,
    /// with every option bound from <paramref name="configuration"/> and validated at start.
    /// </summary>
    public static IServiceCollection AddSfPredictorPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSfPredictorStores(configuration);
        services.AddSalesforceClient(configuration);
        services.AddValidated<WriteBackOptions, ValidateWriteBackOptions>(configuration, WriteBackOptions.SectionName);
        services.AddValidated<ScheduleOptions, ValidateScheduleOptions>(configuration, ScheduleOptions.SectionName);
        services.AddValidated<RetrainOptions, ValidateRetrainOptions>(configuration, RetrainOptions.SectionName);
        services.AddSfPredictorModelOptions(configuration);
        services.TryAddSingleton<ModelProvider>();
        services.AddMetrics();
        services.TryAddSingleton<WorkerMetrics>();
        services.TryAddTransient<AdminSettingsReader>();
        services.TryAddTransient<ActivityKindRulesReader>();
        services.TryAddSingleton<ContextCache>();
        services.TryAddTransient(sp =>
        {
            var worker = sp.GetRequiredService<IOptions<WorkerOptions>>().Value;
            return ActivatorUtilities.CreateInstance<SalesforceSource>(
                sp, new SalesforceSourceSettings(worker.FullReadThreshold, worker.WatermarkOverlap));
        });

        // The scoring run's ends: the org through the API, its write-back fields, the state store, the store's model.
        services.TryAddTransient<IOrgSource>(sp => sp.GetRequiredService<SalesforceSource>());
        services.TryAddTransient<IScoreSink, SalesforceWriteBack>();
        services.TryAddSingleton<IScoringState>(sp => sp.GetRequiredService<StateStore>());
        services.TryAddTransient<IModelSource, StoreModels>();
        services.TryAddSingleton(sp => sp.GetRequiredService<SalesforceClient>().Usage);
        services.TryAddTransient<ScoringRun>();
        services.TryAddTransient<RetrainRun>();
        return services;
    }

    /// <summary>
    /// Registers the settings of features, training, recommendations and scoring, bound from
    /// <paramref name="configuration"/> and validated at start: what the worker and the offline verbs
    /// (<c>sfp train</c>, <c>evaluate</c>, <c>recommend</c>, ...) share, so both do the same.
    /// </summary>
    public static IServiceCollection AddSfPredictorModelOptions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddComposed<RecommendationOptions, ValidateRecommendationOptions>(configuration, RecommendationOptions.SectionName);
        services.AddComposed<TrainingOptions, ValidateTrainingOptions>(configuration, TrainingOptions.SectionName);
        services.AddComposed<FeatureOptions, ValidateFeatureOptions>(configuration, FeatureOptions.SectionName);
        services.AddOptions<TrainingSetOptions>().Bind(configuration.GetSection(TrainingSetOptions.SectionName));
        return services;
    }

    /// <summary>
    /// Registers the stores alone, for commands that need no Salesforce login (<c>sfp models</c>, <c>sfp health</c>):
    /// the model store and the state store, with their options validated at start.
    /// </summary>
    public static IServiceCollection AddSfPredictorStores(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddModelStore(configuration);
        services.AddValidated<WorkerOptions, ValidateWorkerOptions>(configuration, WorkerOptions.SectionName);
        services.AddValidated<JobStoreOptions, ValidateJobStoreOptions>(configuration, JobStoreOptions.SectionName);
        services.AddOptions<ScorerOptions>().Bind(configuration.GetSection(ScorerOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StateStore>();
        return services;
    }

    /// <summary>
    /// Registers the whole worker: <see cref="AddSfPredictorPipeline"/>, Quartz with its job store (a SQLite
    /// file, or PostgreSQL with clustering) and the score, full rescore and retrain jobs, the start-up checks,
    /// the health endpoint and OpenTelemetry export. A stop waits for the batch in flight.
    /// </summary>
    public static IServiceCollection AddSfPredictorWorker(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSfPredictorPipeline(configuration);
        services.AddValidated<HealthOptions, ValidateHealthOptions>(configuration, HealthOptions.SectionName);
        services.TryAddSingleton<RunGate>();
        services.TryAddTransient<ScheduledRuns>();
        services.TryAddTransient<ScheduleReconciler>();

        // Quartz is configured while services are registered, before options validation runs; a bad value here
        // is reported again, by key, when the host starts.
        var jobStore = configuration.GetSection(JobStoreOptions.SectionName).Get<JobStoreOptions>() ?? new JobStoreOptions();
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s => s.ShutdownJobInterruption = ShutdownJobInterruption.WhenWaitingForJobs);
            q.UsePersistentStore(store =>
            {
                if (jobStore.Provider == JobStoreProvider.PostgreSQL)
                {
                    store.UsePostgres(jobStore.ConnectionString);
                    store.UseClustering();
                }
                else
                {
                    store.UseSqlite(jobStore.ConnectionString);
                }

                store.ProvisionSchema();
            });
            q.AddJob<ScoreJob>(j => j.WithIdentity(JobNames.Score, JobNames.Group).StoreDurably());
            q.AddJob<FullRescoreJob>(j => j.WithIdentity(JobNames.FullRescore, JobNames.Group).StoreDurably());
            q.AddJob<RetrainJob>(j => j.WithIdentity(JobNames.Retrain, JobNames.Group).StoreDurably());
        });

        // Order matters: telemetry first, the checks and scheduling before the scheduler starts.
        services.AddSfPredictorTelemetry(configuration);
        services.AddHostedService<WorkerStartup>();
        services.AddHealthChecks().AddCheck<WorkerHealthCheck>(WorkerHealthCheck.Name);
        services.TryAddSingleton<StatusReportBuilder>();
        services.AddSingleton<IHealthPortEndpoints, StatusEndpoint>();
        services.AddChangeEventSubscriber();
        services.TryAddSingleton<HealthServer>();
        services.AddHostedService(sp => sp.GetRequiredService<HealthServer>());
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);

        return services;
    }

    // The worker's own options: failures are reworded to name the full key (KeyNamingValidator).
    private static void AddValidated<TOptions, TValidator>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>, new()
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>>(new KeyNamingValidator<TOptions>(new TValidator(), section)));
    }

    // Options of the projects the worker composes, validated as those projects word it.
    private static void AddComposed<TOptions, TValidator>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
    }
}
