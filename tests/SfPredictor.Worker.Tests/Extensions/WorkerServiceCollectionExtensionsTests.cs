using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using SfPredictor.Recommendations;
using SfPredictor.Training;
using SfPredictor.Worker.Extensions;
using SfPredictor.Worker.Hosting;
using SfPredictor.Worker.Scheduling;

namespace SfPredictor.Worker.Tests.Extensions;

public sealed class WorkerServiceCollectionExtensionsTests
{
    [Fact]
    public void AddSfPredictorWorker_BuiltWithValidation_ResolvesEveryJobAndService()
    {
        var builder = WorkerHost.CreateBuilder(new Dictionary<string, string?>
        {
            ["Salesforce:ClientId"] = "client",
            ["Salesforce:Username"] = "user@example.com",
            ["Salesforce:PrivateKeyPath"] = "/nonexistent/key.pem",
        });
        builder.Logging.ClearProviders();
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        builder.Services.AddSfPredictorWorker(builder.Configuration);

        using var host = builder.Build();
        using var scope = host.Services.CreateScope();

        Assert.NotNull(scope.ServiceProvider.GetRequiredService<ScoreJob>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<FullRescoreJob>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<RetrainJob>());
        Assert.NotNull(host.Services.GetRequiredService<ISchedulerFactory>());
    }

    [Fact]
    public void AddSfPredictorPipeline_TrainingSettings_StartFromTheDefaultsAndConfigurationWins()
    {
        using var provider = Services(new Dictionary<string, string?> { ["SfPredictor:Training:MaxRounds"] = "7" }).BuildServiceProvider();

        var training = provider.GetRequiredService<IOptions<TrainingOptions>>().Value;

        Assert.Equal(7, training.MaxRounds);
        Assert.Equal(new TrainingOptions().LearningRate, training.LearningRate);
        Assert.Equal(new TrainingOptions().EarlyStoppingRounds, training.EarlyStoppingRounds);
    }

    private static ServiceCollection Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.ClearProviders());
        services.AddSfPredictorWorker(configuration);
        return services;
    }
}
