using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SfPredictor.Features;
using SfPredictor.Features.Training;
using SfPredictor.Scoring;

namespace SfPredictor.Training;

/// <summary>Registers the training pipeline in a service collection.</summary>
public static class TrainingServiceCollectionExtensions
{
    /// <summary>
    /// Adds a singleton <see cref="TrainingPipeline"/> built from <see cref="TrainingOptions"/> (validated
    /// at start), <see cref="FeatureOptions"/>, <see cref="TrainingSetOptions"/>, <see cref="ScorerOptions"/>
    /// and <see cref="TimeProvider"/>. Binding the options to configuration is left to the host.
    /// </summary>
    /// <param name="services">The service collection.</param>
    public static IServiceCollection AddTrainingPipeline(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<TrainingOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TrainingOptions>, TrainingOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new TrainingPipeline(
            provider.GetRequiredService<IOptions<TrainingOptions>>().Value,
            provider.GetRequiredService<IOptions<FeatureOptions>>().Value,
            provider.GetRequiredService<IOptions<TrainingSetOptions>>().Value,
            provider.GetRequiredService<IOptions<ScorerOptions>>().Value,
            provider.GetRequiredService<TimeProvider>()));
        return services;
    }
}
