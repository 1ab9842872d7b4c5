using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SfPredictor.Salesforce;
using SfPredictor.Training;
using SfPredictor.Worker.Hosting;
using SfPredictor.Worker.Pipeline;
using SfPredictor.Worker.State;

namespace SfPredictor.Cli.Commands;

/// <summary>
/// <c>sfp bench-latency</c>: time from a change in the org to the changed Opportunity's new score written by the
/// change event subscriber, for single changes and for a burst, and the worker's API calls per changed Opportunity.
/// </summary>
internal sealed class BenchLatencyCommand : ICliCommand
{
    public Command Build()
    {
        var opportunities = new Option<int>("--opportunities") { Description = "Opportunities in the generated org (open and closed).", DefaultValueFactory = _ => 10_000 };
        var samples = new Option<int>("--samples") { Description = "Single changes measured one after another.", DefaultValueFactory = _ => 10 };
        var burst = new Option<int>("--burst") { Description = "Open Opportunities changed at once in the burst.", DefaultValueFactory = _ => 1000 };
        var seed = new Option<long>("--seed") { Description = "Generator seed.", DefaultValueFactory = _ => 3 };
        var folder = new Option<string>("--folder") { Description = "Working folder (recreated).", DefaultValueFactory = _ => "./.sfp/bench-latency" };

        var command = new Command(
            "bench-latency",
            "Measure the time from a change (a stage moved through the API) to the new score written, through Change Data Capture, against the local org.");
        foreach (var option in new Option[] { opportunities, samples, burst, seed, folder })
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

            var settings = local.Settings;
            await using (var setup = await PipelineSession.StartAsync(settings, DemoCommand.WarningsToStderr, cancellationToken: cancellationToken))
            {
                progress.Report("training a model and scoring every open Opportunity once (not measured)");
                var trained = await setup.RetrainAsync(progress, cancellationToken);
                var full = await setup.ScoreAsync(new ScoringRequest(Full: true), cancellationToken);
                if (trained.Report.Outcome != RunOutcome.Succeeded || full.Report.Outcome != RunOutcome.Succeeded)
                {
                    await Console.Error.WriteLineAsync($"error: setting up failed: {trained.Report.Error ?? full.Report.Error}");
                    return 1;
                }
            }

            await using var session = await ChangeEventProbe.StartSessionAsync(local.Org, settings, cancellationToken);
            using var probe = new ChangeEventProbe(local.Org);
            var client = session.Services.GetRequiredService<SalesforceClient>();
            var login = await client.GetStreamingSessionAsync(cancellationToken: cancellationToken);
            var data = local.Generated.Data;
            var openStages = data.Stages.Where(s => !s.IsClosed).OrderBy(s => s.SortOrder).Select(s => s.Name).ToList();
            var open = data.Opportunities.Where(o => !o.IsClosed).OrderBy(o => o.Id, StringComparer.Ordinal).ToList();
            string NextStage(string current) => openStages[(openStages.IndexOf(current) + 1) % openStages.Count];

            // The first run of the session reads the whole context once; later runs read only what changed.
            progress.Report("warming up: one change, not measured");
            await probe.ChangeAsync(login, "Opportunity", [(open[0].Id, "StageName", NextStage(open[0].StageName))], [open[0].Id], cancellationToken, clearScore: true);
            await probe.WaitAsync([open[0].Id], TimeSpan.FromMinutes(5), cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(8), cancellationToken);

            var single = new List<TimeSpan>();
            var singleCalls = 0L;
            var count = parseResult.GetValue(samples);
            for (var k = 1; k <= count; k++)
            {
                progress.Report($"single change {k} of {count}");
                var target = open[k];
                var calls = client.Usage.ApiCalls;
                await probe.ChangeAsync(login, "Opportunity", [(target.Id, "StageName", NextStage(target.StageName))], [target.Id], cancellationToken, clearScore: true);
                if (await probe.WaitAsync([target.Id], TimeSpan.FromMinutes(1), cancellationToken))
                {
                    single.Add(probe.Latencies[target.Id]);
                }

                // Let the events of the worker's own write pass before the next change, so each change waits a whole debounce.
                await Task.Delay(TimeSpan.FromSeconds(7), cancellationToken);
                singleCalls += client.Usage.ApiCalls - calls;
            }

            var size = Math.Min(parseResult.GetValue(burst), open.Count - count - 1);
            var burstTargets = open.Skip(count + 1).Take(size).ToList();
            progress.Report($"burst: {size:N0} Opportunities changed at once");
            var before = client.Usage.ApiCalls;
            await probe.ChangeAsync(login, "Opportunity", [.. burstTargets.Select(o => (o.Id, "StageName", (object)NextStage(o.StageName)))], burstTargets.Select(o => o.Id), cancellationToken, clearScore: true);
            await probe.WaitAsync(burstTargets.Select(o => o.Id), TimeSpan.FromMinutes(5), cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(7), cancellationToken);
            var burstCalls = client.Usage.ApiCalls - before;
            var burstLatencies = burstTargets.Where(o => probe.Latencies.ContainsKey(o.Id)).Select(o => probe.Latencies[o.Id]).ToList();

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Local org: {data.Opportunities.Count:N0} Opportunities ({open.Count:N0} open), {data.Tasks.Count:N0} Tasks, {data.Events.Count:N0} Events; debounce {session.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Worker.ChangeEvents.ChangeEventOptions>>().Value.Debounce.TotalSeconds:0} s; each change moves a stage and clears the score through the REST API, so every changed Opportunity is written."));
            Console.WriteLine("| changes | changed Opportunities | new score written | median s | p95 s | worker API calls | changed Opportunities per call |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            Console.WriteLine(Row("one at a time", count, single, singleCalls));
            Console.WriteLine(Row("burst", size, burstLatencies, burstCalls));
            return single.Count == count && burstLatencies.Count == size ? 0 : 1;
        });
        return command;
    }

    private static string Row(string name, int changed, List<TimeSpan> latencies, long calls)
    {
        var seconds = latencies.Select(l => l.TotalSeconds).Order().ToList();
        string At(double q) => seconds.Count == 0 ? "–" : seconds[Math.Max(0, (int)Math.Ceiling(q * seconds.Count) - 1)].ToString("0.0", CultureInfo.InvariantCulture);
        var perCall = calls == 0 ? "–" : (changed / (double)calls).ToString("0.#", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"| {name} | {changed:N0} | {latencies.Count:N0} | {At(0.5)} | {At(0.95)} | {calls:N0} | {perCall} |");
    }
}
