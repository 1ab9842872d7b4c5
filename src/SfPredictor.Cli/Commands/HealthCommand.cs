using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using SfPredictor.ModelStore;
using SfPredictor.Worker.Health;
using SfPredictor.Worker.Hosting;
using SfPredictor.Worker.State;

namespace SfPredictor.Cli.Commands;

/// <summary><c>sfp health</c>: what the health endpoint reports, read from the state store and the model store.</summary>
internal sealed class HealthCommand : ICliCommand
{
    public Command Build()
    {
        var command = new Command("health", "Print the last run of each job and the current model, from the worker's state database and model store (JSON).");
        command.SetAction(async (_, cancellationToken) =>
        {
            try
            {
                await using var session = await PipelineSession.StartAsync(configureLogging: ScoreCommand.StderrLogging, storesOnly: true, cancellationToken: cancellationToken);
                var current = await session.Services.GetRequiredService<IModelStore>().GetCurrentAsync(cancellationToken);
                var document = await HealthDocument.CreateAsync(session.Services.GetRequiredService<StateStore>(), current?.Version, cancellationToken);
                Console.WriteLine(document.ToJson(indented: true));
                return document.Status == "ok" ? 0 : 2;
            }
            catch (Exception e) when (WorkerHost.IsStartupProblem(e))
            {
                await Console.Error.WriteLineAsync($"error: {WorkerHost.Describe(e)}");
                return 1;
            }
        });
        return command;
    }
}
