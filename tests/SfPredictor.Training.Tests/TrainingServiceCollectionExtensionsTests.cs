using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SfPredictor.Training.Tests;

public sealed class TrainingServiceCollectionExtensionsTests
{
    [Fact]
    public void AddTrainingPipeline_ValidOptions_ResolvesOneSingleton()
    {
        using var provider = new ServiceCollection().AddTrainingPipeline().BuildServiceProvider(validateScopes: true);

        var first = provider.GetRequiredService<TrainingPipeline>();

        Assert.Same(first, provider.GetRequiredService<TrainingPipeline>());
    }

    [Fact]
    public void AddTrainingPipeline_BadOptions_FailNamingTheSettings()
    {
        var services = new ServiceCollection().AddTrainingPipeline();
        services.Configure<TrainingOptions>(o =>
        {
            o.MaxDepth = 0;
            o.MinLostForFallback = 50;
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<TrainingPipeline>());

        Assert.Contains("MaxDepth", error.Message, StringComparison.Ordinal);
        Assert.Contains("MinLostForFallback (50)", error.Message, StringComparison.Ordinal);
    }
}
