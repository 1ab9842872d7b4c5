using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SfPredictor.ModelStore;
using SfPredictor.Scoring;
using SfPredictor.Scoring.Packaging;
using SfPredictor.Worker;
using SfPredictor.Worker.Hosting;

namespace SfPredictor.Cli.Commands;

/// <summary><c>sfp models list</c> and <c>sfp models promote &lt;version&gt;</c>: the configured model store, e.g. to roll back.</summary>
internal sealed class ModelsCommand : ICliCommand
{
    public Command Build()
    {
        var list = new Command("list", "List every model version in the store; the current one is marked with *.");
        list.SetAction((_, cancellationToken) => WithStoreAsync(async (store, _) =>
        {
            var current = await store.GetCurrentAsync(cancellationToken);
            foreach (var version in await store.ListVersionsAsync(cancellationToken))
            {
                Console.WriteLine($"{(version == current?.Version ? "*" : " ")} {version}");
            }

            return 0;
        }, cancellationToken));

        var version = new Argument<string>("version") { Description = "The version to make current." };
        var promote = new Command("promote", "Make a version current (a rollback when it is an older one). Workers pick it up at their next run.");
        promote.Arguments.Add(version);
        promote.SetAction((parseResult, cancellationToken) => WithStoreAsync(async (store, services) =>
        {
            var wanted = parseResult.GetValue(version)!;
            var current = await store.GetCurrentAsync(cancellationToken);

            // A version the workers would reject is refused here instead: it must load.
            var folder = await store.DownloadAsync(wanted, services.GetRequiredService<IOptions<WorkerOptions>>().Value.ModelCachePath, cancellationToken);
            ModelPackage.Load(folder, services.GetRequiredService<IOptions<ScorerOptions>>().Value).Dispose();

            await store.PromoteAsync(wanted, current, cancellationToken);
            Console.WriteLine($"{wanted} is now current (was {current?.Version ?? "none"}).");
            return 0;
        }, cancellationToken));

        var command = new Command("models", "List and promote model versions in the configured model store (SfPredictor:ModelStore settings).");
        command.Subcommands.Add(list);
        command.Subcommands.Add(promote);
        return command;
    }

    private static async Task<int> WithStoreAsync(Func<IModelStore, IServiceProvider, Task<int>> action, CancellationToken cancellationToken)
    {
        try
        {
            await using var session = await PipelineSession.StartAsync(configureLogging: ScoreCommand.StderrLogging, storesOnly: true, cancellationToken: cancellationToken);
            return await action(session.Services.GetRequiredService<IModelStore>(), session.Services);
        }
        catch (Exception e) when (WorkerHost.IsStartupProblem(e) || e is ModelPackageException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"error: {WorkerHost.Describe(e)}");
            return 1;
        }
    }
}
