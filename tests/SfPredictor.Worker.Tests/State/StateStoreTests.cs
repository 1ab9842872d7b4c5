using Microsoft.Extensions.Options;
using SfPredictor.Worker.State;

namespace SfPredictor.Worker.Tests.State;

public sealed class StateStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 10, 1, 6, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sfp-state-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task Watermark_SetThenReadByANewStore_KeepsTheInstantToTheTick()
    {
        var stamp = Now.AddTicks(1234567);
        await Store().SetWatermarkAsync("score", stamp);

        var read = await Store().GetWatermarkAsync("score");
        await Store().DeleteWatermarkAsync("score");

        Assert.Equal(stamp, read);
        Assert.Null(await Store().GetWatermarkAsync("score"));
    }

    [Fact]
    public async Task UpdateRetries_FailingAgainAndThenWritten_CountsAttemptsAndRemovesWrittenOnes()
    {
        var store = Store();
        await store.UpdateRetriesAsync([new("0065j0000000001AAA", "E1", "first"), new("0065j0000000002AAA", "E1", "first")], [], Now);
        await store.UpdateRetriesAsync([new("0065j0000000001AAA", "E2", "second")], ["0065j0000000002AAA"], Now);

        var retry = Assert.Single(await Store().GetRetriesAsync());

        Assert.Equal(new PendingRetry("0065j0000000001AAA", 2, "E2"), retry);
    }

    [Fact]
    public async Task SaveRun_SeveralJobs_ReadsThemBackNewestFirstPerJob()
    {
        var store = Store();
        for (var i = 0; i < 3; i++)
        {
            await store.SaveRunAsync(new RunReport { RunId = $"run-{i}", Job = i == 1 ? "retrain" : "score", Started = Now.AddMinutes(i), Written = i, Failures = [new("0065j0000000001AAA", "E", "m")] });
        }

        var all = await store.GetRunsAsync(10);
        var score = await store.GetRunsAsync(10, "score");

        Assert.Equal(["run-2", "run-1", "run-0"], all.Select(r => r.RunId));
        Assert.Equal(["run-2", "run-0"], score.Select(r => r.RunId));
        Assert.Equal(2, score[0].Written);
        Assert.Equal("E", score[0].Failures.Single().ErrorCode);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    // The folder does not exist yet: the store creates it, as on a fresh container.
    private StateStore Store() => new(Options.Create(new JobStoreOptions { ConnectionString = $"Data Source={Path.Combine(_folder, "nested", "state.db")}" }));
}
