using System.Diagnostics;
using System.Globalization;

namespace SfPredictor.Training;

/// <summary>
/// Writes training progress as short lines ("[  12.3 s] boosting 50/400") to a text writer such as
/// standard error; boosting rounds are reported every <c>every</c> rounds so the output stays short.
/// Reports arrive on the training thread, so lines come out in order.
/// </summary>
/// <param name="writer">Where lines go.</param>
/// <param name="every">Report every n-th unit of a step (and its first and last).</param>
public sealed class TextProgress(TextWriter writer, int every = 25) : IProgress<TrainingProgress>, IProgress<string>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <inheritdoc />
    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Total <= 1 || value.Done <= 1 || value.Done % every == 0 || value.Done == value.Total)
        {
            var amount = value.Total <= 1 ? (value.Done == 0 ? "…" : "done") : $"{value.Done}/{value.Total}";
            Write($"{value.Step} {amount}");
        }
    }

    /// <summary>Writes a free-text line with the elapsed time.</summary>
    /// <param name="value">The text.</param>
    public void Report(string value) => Write(value);

    private void Write(string text) =>
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{_clock.Elapsed.TotalSeconds,7:0.0} s] {text}"));
}
