using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SfPredictor.Salesforce;
using SfPredictor.Training;
using SfPredictor.Worker.Hosting;
using SfPredictor.Worker.Pipeline;
using SfPredictor.Worker.State;
using SfPredictor.Worker.WriteBack;

namespace SfPredictor.Cli.Commands;

/// <summary>
/// <c>sfp bench-api-calls</c>: Salesforce API calls per 1,000 Opportunities written, for a full run and for
/// incremental runs, against the local org (which counts every call it serves).
/// </summary>
internal sealed class BenchApiCallsCommand : ICliCommand
{
    public Command Build()
    {
        var opportunities = new Option<int>("--opportunities") { Description = "Opportunities in the generated org (open and closed).", DefaultValueFactory = _ => 10_000 };
        var changes = new Option<int[]>("--changes")
        {
            Description = "Sizes of the incremental runs measured: for each, this many open Opportunities are made due (their scores cleared, as new ones are).",
            DefaultValueFactory = _ => [1000, 5000],
            AllowMultipleArgumentsPerToken = true,
        };
        var cacheContext = new Option<bool>("--cache-context")
        {
            Description = "Keep the context read by a run for the next (SfPredictor:Worker:CacheContext); false reads it at every run.",
            DefaultValueFactory = _ => true,
        };
        var seed = new Option<long>("--seed") { Description = "Generator seed.", DefaultValueFactory = _ => 3 };
        var folder = new Option<string>("--folder") { Description = "Working folder (recreated).", DefaultValueFactory = _ => "./.sfp/bench-api-calls" };

        var command = new Command("bench-api-calls", "Measure Salesforce API calls per 1,000 Opportunities written by a full run and by incremental runs, against the local org.");
        foreach (var option in new Option[] { opportunities, changes, cacheContext, seed, folder })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var progress = new TextProgress(Console.Error);
            var today = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
            using var logging = LoggerFactory.Create(DemoCommand.WarningsToStderr);
            await using var local = await LocalOrgWorker.StartAsync(
                new LocalOrgWorkerOptions(parseResult.GetValue(folder)!, parseResult.GetValue(opportunities), parseResult.GetValue(seed), today),
                TimeProvider.System, logging, progress, cancellationToken);
            var keep = parseResult.GetValue(cacheContext);
            var settings = new Dictionary<string, string?>(local.Settings, StringComparer.OrdinalIgnoreCase) { ["SfPredictor:Worker:CacheContext"] = keep ? "true" : "false" };
            await using var session = await PipelineSession.StartAsync(settings, DemoCommand.WarningsToStderr, cancellationToken: cancellationToken);
            progress.Report("training a model (its calls are not counted below)");
            var trained = await session.RetrainAsync(progress, cancellationToken);
            if (trained.Report.Outcome != RunOutcome.Succeeded)
            {
                await Console.Error.WriteLineAsync($"error: training failed: {trained.Report.Error}");
                return 1;
            }

            var context = keep ? "one worker process, so runs after the first reuse the context it read" : "the context read again by every run (CacheContext false)";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Local org: {local.Generated.Data.Opportunities.Count:N0} Opportunities ({local.Generated.Data.Opportunities.Count(o => !o.IsClosed):N0} open), {local.Generated.Data.Tasks.Count:N0} Tasks, {local.Generated.Data.Events.Count:N0} Events; Salesforce:BulkThreshold and BulkWriteThreshold at their defaults; {context}."));
            Console.WriteLine("| run | written | API calls (client) | API calls (org) | calls per 1,000 written | seconds |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");

            async Task<RunReport> MeasureAsync(string name, ScoringRequest request)
            {
                // A schedule spaces runs minutes apart; a few seconds is enough for a run to take the previous
                // run's writes as settled (see ScoringRun) instead of reading them back.
                await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
                var before = local.Org.ApiCallCount;
                progress.Report(name);
                var started = Stopwatch.GetTimestamp();
                var report = (await session.ScoreAsync(request, cancellationToken)).Report;
                var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                var served = local.Org.ApiCallCount - before;
                var perThousand = report.Written == 0 ? "–" : (served * 1000.0 / report.Written).ToString("0.0", CultureInfo.InvariantCulture);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {report.Written:N0} | {report.ApiCalls:N0} | {served:N0} | {perThousand} | {seconds:0.0} |"));
                return report;
            }

            await MeasureAsync("full rescore", new ScoringRequest(Full: true));
            await MeasureAsync("incremental, nothing changed since", new ScoringRequest(Full: false));
            foreach (var size in parseResult.GetValue(changes)!)
            {
                var due = await MakeDueAsync(session, local, size, cancellationToken);
                await MeasureAsync($"incremental, {due:N0} Opportunities due", new ScoringRequest(Full: false));
                await MeasureAsync("incremental, nothing changed since", new ScoringRequest(Full: false));
            }

            if (!keep)
            {
                return 0;
            }

            // What keeping the context between runs costs: the managed heap with it, and without it.
            var cache = session.Services.GetRequiredService<ContextCache>();
            var records = cache.Records;
            var withContext = GC.GetTotalMemory(forceFullCollection: true);
            cache.Clear();
            var withoutContext = GC.GetTotalMemory(forceFullCollection: true);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Context kept in memory between runs (SfPredictor:Worker:CacheContext): {records:N0} records, {(withContext - withoutContext) / 1048576.0:N0} MB of managed heap."));
            return 0;
        });
        return command;
    }

    // Clearing the scores makes Opportunities look never scored, as newly created ones are, so each must be written.
    private static async Task<int> MakeDueAsync(PipelineSession session, LocalOrgWorker local, int count, CancellationToken cancellationToken)
    {
        var fields = new WriteBackOptions();
        var ids = local.Generated.Data.Opportunities.Where(o => !o.IsClosed).Select(o => o.Id).Order(StringComparer.Ordinal).Take(count).ToList();
        await using var scope = session.Services.CreateAsyncScope();
        var client = scope.ServiceProvider.GetRequiredService<SalesforceClient>();
        var results = await client.UpdateAsync(
            "Opportunity",
            [.. ids.Select(id => new RecordUpdate(id, new Dictionary<string, object?> { [fields.ProbabilityField] = null, [fields.ScoredAtField] = null }))],
            cancellationToken: cancellationToken);
        return results.Count(r => r.Success);
    }
}
