using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SfPredictor.Worker.Extensions;
using SfPredictor.Worker.Hosting;

namespace SfPredictor.Worker.Tests.Infrastructure;

/// <summary>Whole worker hosts (scheduler, startup checks, health endpoint) as <c>sfp run</c> builds them.</summary>
internal static class TestHosts
{
    /// <summary>Crons that never fire while a test runs.</summary>
    public const string Never = "0 0 0 1 1 ? 2099";

    public static IHost Build(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        var builder = WorkerHost.CreateBuilder(settings);
        builder.Logging.ClearProviders();
        services?.Invoke(builder.Services);
        builder.Services.AddSfPredictorWorker(builder.Configuration);
        return builder.Build();
    }

    /// <summary>Every message of an exception and its inner exceptions.</summary>
    public static string Messages(Exception exception) => exception switch
    {
        AggregateException aggregate => string.Join(" | ", aggregate.InnerExceptions.Select(Messages)),
        _ => exception.Message + (exception.InnerException is { } inner ? " | " + Messages(inner) : string.Empty),
    };
}
