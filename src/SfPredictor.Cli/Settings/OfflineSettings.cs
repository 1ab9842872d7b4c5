using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SfPredictor.Features;
using SfPredictor.Features.Training;
using SfPredictor.Recommendations;
using SfPredictor.Scoring;
using SfPredictor.Training;
using SfPredictor.Worker.Extensions;
using SfPredictor.Worker.Hosting;

namespace SfPredictor.Cli.Settings;

/// <summary>
/// The settings of the offline verbs (<c>train</c>, <c>evaluate</c>, <c>recommend</c>,
/// <c>recommend-quality</c>, <c>activity-kinds</c>): read from the worker's sources (<c>appsettings.json</c> in
/// the working folder, environment variables <c>SfPredictor__…</c>) and an optional <c>--settings FILE</c>
/// on top, bound to the worker's options classes and validated by the same validators. So a mapping or a
/// threshold tried on an export behaves as it will in the worker.
/// </summary>
internal sealed class OfflineSettings
{
    private OfflineSettings(IConfiguration configuration, IServiceProvider services)
    {
        Configuration = configuration;
        Features = services.GetRequiredService<IOptions<FeatureOptions>>().Value;
        Training = services.GetRequiredService<IOptions<TrainingOptions>>().Value;
        Recommendations = services.GetRequiredService<IOptions<RecommendationOptions>>().Value;
        Snapshots = services.GetRequiredService<IOptions<TrainingSetOptions>>().Value;
        Scorer = services.GetRequiredService<IOptions<ScorerOptions>>().Value;
    }

    public IConfiguration Configuration { get; }

    public FeatureOptions Features { get; }

    public TrainingOptions Training { get; }

    public RecommendationOptions Recommendations { get; }

    public TrainingSetOptions Snapshots { get; }

    public ScorerOptions Scorer { get; }

    /// <summary>Whether any SfPredictor setting is configured at all (else everything is a default).</summary>
    public bool AnyConfigured => Configuration.GetSection("SfPredictor").GetChildren().Any();

    /// <summary>The <c>--settings</c> option every offline verb takes.</summary>
    public static Option<string?> CreateOption() => new("--settings")
    {
        Description = "A JSON settings file shaped like appsettings.json, read on top of appsettings.json in the working folder and the SfPredictor__… environment variables (the worker's sources).",
    };

    /// <summary>Reads and validates the settings.</summary>
    /// <exception cref="ArgumentException">The settings file is missing.</exception>
    /// <exception cref="OptionsValidationException">A setting is wrong; the message names it.</exception>
    public static OfflineSettings Load(string? settingsFile)
    {
        var builder = WorkerHost.CreateBuilder();
        if (settingsFile is not null)
        {
            var path = Path.GetFullPath(settingsFile);
            if (!File.Exists(path))
            {
                throw new ArgumentException($"--settings: the file '{path}' does not exist.");
            }

            try
            {
                builder.Configuration.AddJsonFile(path, optional: false, reloadOnChange: false);
            }
            catch (InvalidDataException e)
            {
                throw new ArgumentException($"--settings: '{path}' is not valid JSON settings: {e.InnerException?.Message ?? e.Message}", e);
            }
        }

        var services = new ServiceCollection();
        services.AddSfPredictorModelOptions(builder.Configuration);
        services.AddOptions<ScorerOptions>().Bind(builder.Configuration.GetSection(ScorerOptions.SectionName));
        using var provider = services.BuildServiceProvider();
        return new OfflineSettings(builder.Configuration, provider);
    }
}
