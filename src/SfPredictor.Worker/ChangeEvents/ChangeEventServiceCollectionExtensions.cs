using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SfPredictor.Worker.Extensions;
using SfPredictor.Worker.Scheduling;

namespace SfPredictor.Worker.ChangeEvents;

/// <summary>Registers the change event subscriber.</summary>
public static class ChangeEventServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Change Data Capture subscriber as a hosted service (it does nothing unless
    /// <c>SfPredictor:ChangeEvents:Enabled</c>), with its options bound and validated at start. Needs the pipeline
    /// (<see cref="WorkerServiceCollectionExtensions.AddSfPredictorPipeline"/>).
    /// </summary>
    public static IServiceCollection AddChangeEventSubscriber(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ChangeEventOptions>().BindConfiguration(ChangeEventOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChangeEventOptions>>(
            new KeyNamingValidator<ChangeEventOptions>(new ValidateChangeEventOptions(), ChangeEventOptions.SectionName)));
        services.TryAddSingleton<RunGate>();
        services.TryAddSingleton<ChangeEventRunner>();
        services.TryAddSingleton<ChangeEventSubscriber>();
        services.AddHostedService(sp => sp.GetRequiredService<ChangeEventSubscriber>());
        return services;
    }
}
