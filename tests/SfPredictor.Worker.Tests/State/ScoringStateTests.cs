using Microsoft.Extensions.Options;
using SfPredictor.Worker.State;

namespace SfPredictor.Worker.Tests.State;

/// <summary>What a scoring run keeps behaves alike in the worker's database and in a one-off run's memory.</summary>
public sealed class ScoringStateTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 10, 1, 6, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sfp-scoring-state-" + Guid.NewGuid().ToString("N")[..8]);

    public static TheoryData<string> Kinds => ["database", "one-off"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Watermarks_SetReadAndDeleted_ByName(string kind)
    {
        var state = State(kind);
        await state.SetWatermarkAsync("score", Now);
        await state.SetWatermarkAsync("full-rescore-pending", Now.AddHours(1));
        await state.DeleteWatermarkAsync("full-rescore-pending");

        Assert.Equal(Now, await state.GetWatermarkAsync("score"));
        Assert.Null(await state.GetWatermarkAsync("full-rescore-pending"));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Retries_FailingAgainAndThenWritten_CountAttemptsAndLeaveWhenWritten(string kind)
    {
        var state = State(kind);
        await state.UpdateRetriesAsync([new("0065j0000000001AAA", "E1", "first"), new("0065j0000000002AAA", "E1", "first")], [], Now);
        await state.UpdateRetriesAsync([new("0065j0000000001AAA", "E2", "second")], ["0065j0000000002AAA"], Now);

        Assert.Equal([new PendingRetry("0065j0000000001AAA", 2, "E2")], await state.GetRetriesAsync());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Written_KeptUntilCleared(string kind)
    {
        var state = State(kind);
        var written = new WrittenByRun(Now, Now.AddMinutes(1), Now.AddMinutes(2), new HashSet<string> { "0065j0000000001AAA" });

        await state.SaveWrittenAsync(written);
        var kept = await state.GetWrittenAsync();
        await state.ClearWrittenAsync();

        Assert.Equal((written.Since, written.LastStamp, written.WrittenAt), (kept!.Since, kept.LastStamp, kept.WrittenAt));
        Assert.Equal(written.Ids, kept.Ids);
        Assert.Null(await state.GetWrittenAsync());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private IScoringState State(string kind) => kind == "one-off"
        ? new OneOffState()
        : new StateStore(Options.Create(new JobStoreOptions { ConnectionString = $"Data Source={Path.Combine(_folder, "state.db")}" }));
}
