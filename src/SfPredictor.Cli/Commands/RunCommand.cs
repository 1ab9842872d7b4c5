using System.CommandLine;
using SfPredictor.Worker.Hosting;

namespace SfPredictor.Cli.Commands;

/// <summary><c>sfp run</c>: the worker, until Ctrl-C or SIGTERM.</summary>
internal sealed class RunCommand : ICliCommand
{
    public Command Build()
    {
        var command = new Command(
            "run",
            "Run the worker: incremental scoring, nightly full rescore and weekly retraining on their schedules, with a health endpoint. " +
            "Settings come from environment variables (Section__Key) and an optional appsettings.json; a wrong one stops the worker at start with its name.");
        command.SetAction((_, cancellationToken) => WorkerHost.RunAsync(Console.Error, cancellationToken: cancellationToken));
        return command;
    }
}
