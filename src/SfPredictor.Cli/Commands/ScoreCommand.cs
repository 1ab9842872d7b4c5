using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using SfPredictor.Worker.Hosting;
using SfPredictor.Worker.Pipeline;
using SfPredictor.Worker.State;
using Spectre.Console;

namespace SfPredictor.Cli.Commands;

/// <summary><c>sfp score --once [--full] [--dry-run]</c>: one scoring run now, with the worker's settings.</summary>
internal sealed class ScoreCommand : ICliCommand
{
    public Command Build()
    {
        var once = new Option<bool>("--once") { Description = "Run once now and exit (required: `sfp run` is the scheduled worker).", Required = true };
        var full = new Option<bool>("--full") { Description = "Score every open Opportunity instead of what changed since the last run." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be written; write nothing and change no state. Trains a first model if the store has none." };
        var limit = new Option<int>("--show") { Description = "Planned writes to print.", DefaultValueFactory = _ => 25 };

        var command = new Command("score", "Score Opportunities once with the worker's settings (environment variables, appsettings.json) and write back what changed.");
        foreach (var option in new Option[] { once, full, dryRun, limit })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                await using var session = await PipelineSession.StartAsync(configureLogging: StderrLogging, cancellationToken: cancellationToken);
                var result = await session.ScoreAsync(new ScoringRequest(parseResult.GetValue(full), parseResult.GetValue(dryRun)), cancellationToken);
                Print(result, parseResult.GetValue(limit));
                return result.Report.Outcome == RunOutcome.Failed ? 1 : 0;
            }
            catch (Exception e) when (WorkerHost.IsStartupProblem(e))
            {
                await Console.Error.WriteLineAsync($"error: {WorkerHost.Describe(e)}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>Logs go to standard error so that standard output holds only the result.</summary>
    internal static void StderrLogging(ILoggingBuilder logging)
    {
        logging.AddSimpleConsole(o => o.SingleLine = true);
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("System.Net.Http", LogLevel.Warning);
    }

    internal static void Print(ScoringResult result, int show)
    {
        var report = result.Report;
        var verb = report.DryRun ? "would write" : "wrote";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{report.Job} run {report.RunId}: {report.Outcome}; read {report.Read:N0}, scored {report.Scored:N0}, {verb} {(report.DryRun ? result.Planned.Count : report.Written):N0}, unchanged {report.Unchanged:N0}, failed {report.Failed:N0}; {report.ApiCalls:N0} API calls; model {report.ModelVersion ?? "none"}"));
        if (report.Error is { } error)
        {
            Console.WriteLine($"error: {error}");
        }

        if (result.Planned.Count > 0 && show > 0)
        {
            var table = new Table().AddColumns("Opportunity", "Win prob.", "Change", "Trend", "Next activities");
            foreach (var write in result.Planned.OrderByDescending(p => Math.Abs(p.Change ?? 100)).Take(show))
            {
                table.AddRow(
                    Markup.Escape($"{write.Name} ({write.OpportunityId})"),
                    string.Create(CultureInfo.InvariantCulture, $"{write.Probability:0.0}%"),
                    write.Change is { } c ? string.Create(CultureInfo.InvariantCulture, $"{c:+0.0;-0.0;0.0}") : "new",
                    Markup.Escape(write.Trend ?? "-"),
                    Markup.Escape(string.Join(", ", write.NextActivities)));
            }

            AnsiConsole.Write(table);
        }

        foreach (var failure in report.Failures.Take(show))
        {
            Console.WriteLine($"not written {failure.Id}: {failure.ErrorCode}: {failure.Message}");
        }
    }
}
