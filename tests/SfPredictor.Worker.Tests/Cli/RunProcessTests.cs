using System.Globalization;
using System.Text.RegularExpressions;
using SfPredictor.Worker.Tests.Infrastructure;
using SfPredictor.Worker.WriteBack;

namespace SfPredictor.Worker.Tests.Cli;

/// <summary><c>sfp run</c> as a container runs it: its own process, stopped with SIGTERM.</summary>
[Collection(WorkerCollection.Name)]
public sealed partial class RunProcessTests(WorkerFixture fixture)
{
    [Fact]
    public async Task Run_SigtermWhileWriting_StopsBetweenBatchesExitsZeroAndScoreOnceWritesTheRestOnce()
    {
        // Every call to the org takes a while, so that the run is still writing when the signal comes.
        await using var org = await TestOrg.StartAsync(fixture, configureOrg: o => o.Latency = TimeSpan.FromMilliseconds(100));
        var settings = org.Settings(new Dictionary<string, string?>
        {
            ["SfPredictor:Worker:WriteBatchSize"] = "10",
            ["SfPredictor:Schedules:FullRescoreCron"] = "* * * * * ?",
            ["SfPredictor:Schedules:ScoreCron"] = TestHosts.Never,
            ["SfPredictor:Schedules:RetrainCron"] = TestHosts.Never,
            ["Logging:LogLevel:SfPredictor.Worker.Pipeline.ScoringRun"] = "Debug",
        });
        int stoppedAfter;
        using (var worker = SfpProcess.Start(settings, "run"))
        {
            Assert.True(await worker.WaitForOutputAsync("Batch 2:", TimeSpan.FromMinutes(3)), worker.Output + worker.Error);

            await worker.TerminateAsync();

            Assert.True(await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)), "sfp run did not exit within 60 s of SIGTERM.");
            Assert.True(worker.ExitCode == 0, $"exit code {worker.ExitCode}: {worker.Error}");
            Assert.Contains("Stop requested: stopped between batches after ", worker.Output, StringComparison.Ordinal);
            stoppedAfter = int.Parse(StoppedRun().Match(worker.Output).Groups["written"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        }

        var (exit, output, error) = await SfpProcess.RunAsync(settings, "score", "--once");

        Assert.True(exit == 0, error);
        var wrote = int.Parse(Wrote().Match(output).Groups["written"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        Assert.InRange(stoppedAfter, 20, org.OpenIds.Count - 10);

        // Nothing lost: every open Opportunity has its score. Nothing twice: the two runs' writes add up to exactly them.
        Assert.Equal(org.OpenIds.Count, stoppedAfter + wrote);
        var probability = new WriteBackOptions().ProbabilityField;
        var export = await org.ReadExportAsync();
        Assert.All(export.Opportunities.Where(o => !o.IsClosed), o => Assert.NotNull(o.Custom.GetValueOrDefault(probability)));
    }

    [GeneratedRegex(@"full-rescore run \S+ Stopped: read [\d,]+, scored [\d,]+, written (?<written>[\d,]+)")]
    private static partial Regex StoppedRun();

    [GeneratedRegex(@"run \S+: Succeeded; read [\d,]+, scored [\d,]+, wrote (?<written>[\d,]+)")]
    private static partial Regex Wrote();
}
