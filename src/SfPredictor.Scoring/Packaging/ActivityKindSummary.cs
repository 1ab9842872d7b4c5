using SfPredictor.Features.Activities;

namespace SfPredictor.Scoring.Packaging;

/// <summary>How well the activity kinds recognised the training data's activities (see <see cref="ActivityKindCoverage"/>).</summary>
/// <param name="LinkedActivities">Tasks and Events linked to an Opportunity.</param>
/// <param name="Unrecognised">Of those, the ones no kind recognised.</param>
/// <param name="UnrecognisedShare">Unrecognised share (0 to 1).</param>
/// <param name="Kinds">Per kind, the activities and the closed deals that have one.</param>
/// <param name="Warning">The warning when more than 20 % were unrecognised, else <see langword="null"/>.</param>
public sealed record ActivityCoverageSummary(
    int LinkedActivities, int Unrecognised, double UnrecognisedShare, IReadOnlyList<ActivityKindCount> Kinds, string? Warning)
{
    /// <summary>The summary of a measured coverage.</summary>
    public static ActivityCoverageSummary From(ActivityKindCoverage coverage)
    {
        ArgumentNullException.ThrowIfNull(coverage);
        return new(coverage.LinkedActivities, coverage.Unrecognised, Math.Round(coverage.UnrecognisedShare, 4), coverage.Kinds, coverage.Warning);
    }
}

/// <summary>An activity kind the model never recommends, and why.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="ClosedDeals">Closed deals in the training data with an activity of the kind.</param>
/// <param name="Reason">Why, in plain words.</param>
public sealed record LeftOutActivityKind(string Kind, int ClosedDeals, string Reason);
