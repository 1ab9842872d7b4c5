using System.ComponentModel.DataAnnotations;

namespace SfPredictor.Features.Training;

/// <summary>Where in each closed Opportunity's life training snapshots are taken.</summary>
public sealed class TrainingSetOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "SfPredictor:Features:Snapshots";

    /// <summary>The fractions used when <see cref="LifeFractions"/> is empty.</summary>
    public static IReadOnlyList<double> DefaultLifeFractions { get; } = [0.1, 0.3, 0.5, 0.7, 0.9];

    /// <summary>
    /// Snapshots at these fractions of the time between creation and close (each in [0, 1)).
    /// Empty: 0.1, 0.3, 0.5, 0.7, 0.9.
    /// </summary>
    public IList<double> LifeFractions { get; set; } = new List<double>();

    /// <summary>Also take a snapshot at each entry into an open stage (the moment the history row was written).</summary>
    public bool SnapshotAtStageEntries { get; set; } = true;

    /// <summary>At most this many snapshots per Opportunity; beyond it, evenly spaced ones are kept.</summary>
    [Range(1, 1000)]
    public int MaxSnapshotsPerOpportunity { get; set; } = 12;

    internal IReadOnlyList<double> EffectiveLifeFractions()
    {
        var fractions = LifeFractions.Count == 0 ? DefaultLifeFractions : [.. LifeFractions];
        foreach (var f in fractions)
        {
            if (f is < 0 or >= 1 || double.IsNaN(f))
            {
                throw new ArgumentException($"{SectionName}:LifeFractions holds {f}; each fraction must be in [0, 1).");
            }
        }

        return fractions;
    }
}
