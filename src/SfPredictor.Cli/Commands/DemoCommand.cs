using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using SfPredictor.DataExport;
using SfPredictor.Salesforce;
using SfPredictor.Training;
using SfPredictor.Worker.Hosting;
using SfPredictor.Worker.Pipeline;
using SfPredictor.Worker.State;
using SfPredictor.Worker.WriteBack;
using Spectre.Console;

namespace SfPredictor.Cli.Commands;

/// <summary>
/// <c>sfp demo</c>: the whole loop on a generated org served locally: train through the API, score over
/// HTTP, write back, and show the result.
/// </summary>
internal sealed class DemoCommand : ICliCommand
{
    public Command Build()
    {
        var folder = new Option<string>("--folder") { Description = "Where the org, keys, model store and state go (recreated on each run).", DefaultValueFactory = _ => "./.sfp/demo" };
        var opportunities = new Option<int>("--opportunities") { Description = "Opportunities to generate.", DefaultValueFactory = _ => 4000 };
        var seed = new Option<long>("--seed") { Description = "Generator seed.", DefaultValueFactory = _ => 7 };
        var show = new Option<int>("--show") { Description = "Opportunities to show.", DefaultValueFactory = _ => 15 };

        var command = new Command(
            "demo",
            "Generate an org, serve it as a local Salesforce-compatible API, train a model through the API, score every open Opportunity over HTTP, " +
            "write the results back and show the top ones, with where the evaluation report and the updated export are.");
        foreach (var option in new Option[] { folder, opportunities, seed, show })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var clock = Stopwatch.StartNew();
            var progress = new TextProgress(Console.Error);
            try
            {
                var today = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
                using var logging = LoggerFactory.Create(WarningsToStderr);
                await using var local = await LocalOrgWorker.StartAsync(
                    new LocalOrgWorkerOptions(parseResult.GetValue(folder)!, parseResult.GetValue(opportunities), parseResult.GetValue(seed), today),
                    TimeProvider.System, logging, progress, cancellationToken);
                await using var session = await PipelineSession.StartAsync(local.Settings, WarningsToStderr, cancellationToken: cancellationToken);

                progress.Report("training from the closed Opportunities, read through the API");
                var trained = await session.RetrainAsync(progress, cancellationToken);
                if (trained.Report.Outcome != RunOutcome.Succeeded)
                {
                    await Console.Error.WriteLineAsync($"error: training failed: {trained.Report.Error}");
                    return 1;
                }

                progress.Report($"model {trained.CandidateVersion} promoted; scoring every open Opportunity over HTTP");
                var result = await session.ScoreAsync(new ScoringRequest(Full: true), cancellationToken);
                await local.Org.FlushAsync(cancellationToken);
                progress.Report("done");

                Show(result, parseResult.GetValue(show));
                await ShowChangeEventAsync(local, result, cancellationToken);
                var report = result.Report;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Scored {report.Scored:N0} open Opportunities and wrote {report.Written:N0} with {report.ApiCalls:N0} API calls (training read {trained.Report.ApiCalls:N0} more); {report.Failed:N0} failed."));
                Console.WriteLine($"Model:             {report.ModelVersion}");
                Console.WriteLine($"Evaluation report: {trained.ReportPath}");
                Console.WriteLine($"Updated export:    {Path.Combine(local.ExportFolder, DataExportFiles.Opportunity)} (SfP_* columns filled)");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Took {clock.Elapsed.TotalSeconds:0} s."));
                return report.Outcome == RunOutcome.Succeeded ? 0 : 1;
            }
            catch (OperationCanceledException)
            {
                await Console.Error.WriteLineAsync("cancelled");
                return 130;
            }
            catch (Exception e) when (WorkerHost.IsStartupProblem(e) || e is DataExportFormatException)
            {
                await Console.Error.WriteLineAsync($"error: {WorkerHost.Describe(e)}");
                return 1;
            }
        });
        return command;
    }

    // Change Data Capture: a completed activity logged through the API is rescored and written back within seconds.
    // The Opportunity whose first recommended activity promises the most is the one shown, and that activity is logged.
    private static async Task ShowChangeEventAsync(LocalOrgWorker local, ScoringResult result, CancellationToken cancellationToken)
    {
        var target = result.Planned
            .Select(p => (Write: p, Next: NextActivity(p)))
            .Where(p => p.Next is not null)
            .OrderByDescending(p => p.Next!.Value.Gain)
            .ThenBy(p => p.Write.OpportunityId, StringComparer.Ordinal)
            .FirstOrDefault();
        if (target.Write is null)
        {
            return;
        }

        await using var session = await ChangeEventProbe.StartSessionAsync(local.Org, local.Settings, cancellationToken);
        using var probe = new ChangeEventProbe(local.Org);
        var client = session.Services.GetRequiredService<SalesforceClient>();
        var login = await client.GetStreamingSessionAsync(cancellationToken: cancellationToken);
        var kind = target.Next!.Value.Kind;
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        await probe.CreateAsync(
            login,
            "Task",
            new Dictionary<string, object>
            {
                ["WhatId"] = target.Write.OpportunityId, ["Subject"] = kind, ["Type"] = kind, ["Status"] = "Completed",
                ["ActivityDate"] = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            },
            target.Write.OpportunityId,
            cancellationToken);
        var name = target.Write.Name ?? target.Write.OpportunityId;
        Console.WriteLine($"Logged a completed '{kind}' Task on '{name}' through the API (a change event streamed over the Pub/Sub API)...");
        if (await probe.WaitAsync([target.Write.OpportunityId], TimeSpan.FromMinutes(2), cancellationToken))
        {
            var field = new WriteBackOptions().ProbabilityField;
            var soql = new SoqlBuilder("Opportunity").Select(field).WhereIdIn("Id", [target.Write.OpportunityId]).Build();
            var row = (await client.QueryAsync(soql, cancellationToken).FirstAsync(cancellationToken))[field];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"...score rewritten {probe.Latencies[target.Write.OpportunityId].TotalSeconds:0.0} s later: {target.Write.Probability:0.0}% -> {row}%."));
        }
        else
        {
            Console.WriteLine("...no new score was written within 2 minutes (the activity did not move it).");
        }
    }

    // "Demo (+12 pts)": the kind and its expected gain.
    private static (string Kind, double Gain)? NextActivity(PlannedWrite write)
    {
        if (write.NextActivities.Count == 0)
        {
            return null;
        }

        var text = write.NextActivities[0];
        var open = text.LastIndexOf(" (", StringComparison.Ordinal);
        var gain = open < 0 ? 0 : double.TryParse(text[(open + 2)..].TrimEnd(')').Replace("pts", string.Empty, StringComparison.Ordinal).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var g) ? g : 0;
        return (open < 0 ? text : text[..open], gain);
    }

    internal static void WarningsToStderr(ILoggingBuilder logging)
    {
        ScoreCommand.StderrLogging(logging);
        logging.SetMinimumLevel(LogLevel.Warning);
    }

    private static void Show(ScoringResult result, int count)
    {
        var table = new Table().Title("Open Opportunities with the highest win probability")
            .AddColumns("Opportunity", "Win probability", "Trend", "Next best activities");
        foreach (var write in result.Planned.OrderByDescending(p => p.Probability).ThenBy(p => p.OpportunityId, StringComparer.Ordinal).Take(count))
        {
            table.AddRow(
                Markup.Escape(write.Name ?? write.OpportunityId),
                string.Create(CultureInfo.InvariantCulture, $"{write.Probability:0.0}%"),
                Markup.Escape(write.Trend ?? "new"),
                Markup.Escape(write.NextActivities.Count == 0 ? "-" : string.Join(", ", write.NextActivities)));
        }

        AnsiConsole.Write(table);
    }
}
