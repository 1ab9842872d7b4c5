using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace SfPredictor.Salesforce.Tests.Infrastructure;

/// <summary>Waits for a condition rather than for a time: by polling it, or by moving a fake clock until it holds.</summary>
internal static class Eventually
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Returns once <paramref name="condition"/> holds; fails the test after 30 s of real time.</summary>
    public static async Task HoldsAsync(Func<bool> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < Patience, $"Still waiting for {what} after {Patience}.");
            await Task.Delay(5);
        }
    }

    /// <summary>
    /// Advances <paramref name="time"/> by <paramref name="step"/> until <paramref name="condition"/> holds and
    /// returns how far it moved. Between steps the code under test gets real time to react.
    /// </summary>
    public static async Task<TimeSpan> AdvanceUntilAsync(FakeTimeProvider time, TimeSpan step, Func<bool> condition, string what)
    {
        var advanced = TimeSpan.Zero;
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < Patience, $"Still waiting for {what} after {Patience} (clock moved {advanced}).");
            time.Advance(step);
            advanced += step;
            var settle = Stopwatch.StartNew();
            while (!condition() && settle.ElapsedMilliseconds < 50)
            {
                await Task.Delay(5);
            }
        }

        return advanced;
    }
}
