using System.Globalization;
using SfPredictor.Records;
using SfPredictor.Recommendations;
using SfPredictor.Salesforce;

namespace SfPredictor.Worker.WriteBack;

/// <summary>The thresholds a run decides with: configuration overlaid with the admin settings read from Salesforce.</summary>
/// <param name="MinProbabilityChangePoints">Write when the probability moved at least this far.</param>
/// <param name="TrendThresholdPoints">Improving or Declining from this change on.</param>
internal sealed record WriteBackRules(double MinProbabilityChangePoints, double TrendThresholdPoints);

/// <summary>What would be written to one Opportunity, and why.</summary>
/// <param name="OpportunityId">The Opportunity.</param>
/// <param name="Name">Its name, for people reading a dry run.</param>
/// <param name="CurrentProbability">The probability in Salesforce now (percent), null when never scored.</param>
/// <param name="Probability">The new probability (percent, one decimal).</param>
/// <param name="Change">New minus current, in points; null when never scored.</param>
/// <param name="Trend">Improving, Steady or Declining; null when never scored.</param>
/// <param name="NextActivities">Up to three, e.g. "Demo (+12 pts)".</param>
/// <param name="TopFactors">The factors, one per line.</param>
/// <param name="Score">The score and recommendations written.</param>
/// <param name="Update">The update sent to Salesforce; null for a sink that is not Salesforce.</param>
public sealed record PlannedWrite(
    string OpportunityId,
    string? Name,
    decimal? CurrentProbability,
    decimal Probability,
    decimal? Change,
    string? Trend,
    IReadOnlyList<string> NextActivities,
    string? TopFactors,
    OpportunityRecommendation Score,
    RecordUpdate? Update);

/// <summary>
/// Compares a new score with the values already in Salesforce and decides whether it is worth a write:
/// the probability moved by at least the threshold, the recommended kinds changed, or the record was never
/// scored. Comparing with what Salesforce holds (not with local bookkeeping) is what makes a run after a
/// crash write each change once.
/// </summary>
internal sealed class WriteBackPlanner(WriteBackOptions fields)
{
    /// <summary>The Opportunity fields to read with each Opportunity, so the comparison needs no extra call.</summary>
    public IReadOnlyList<string> FieldsToRead => [fields.ProbabilityField, .. fields.NextActivityFields, fields.ScoredAtField];

    /// <summary>The write for <paramref name="opportunity"/>, or null when its values in Salesforce are still good.</summary>
    public PlannedWrite? Plan(Opportunity opportunity, OpportunityRecommendation score, WriteBackRules rules, DateTimeOffset scoredAt, string modelVersion)
    {
        var current = CurrentProbability(opportunity);
        var probability = ScoreText.Percent(score.WinProbability);
        var nextActivities = score.Recommendations.Select(ScoreText.NextActivity).ToList();
        var neverScored = current is null || string.IsNullOrEmpty(Custom(opportunity, fields.ScoredAtField));
        var change = current is { } c ? probability - c : (decimal?)null;
        var kindsChanged = !fields.NextActivityFields
            .Select(f => ScoreText.KindOf(Custom(opportunity, f)))
            .SequenceEqual(Enumerable.Range(0, fields.NextActivityFields.Length).Select(i => i < score.Recommendations.Count ? score.Recommendations[i].Kind : null), StringComparer.OrdinalIgnoreCase);
        var moved = change is { } d && Math.Abs((double)d) >= rules.MinProbabilityChangePoints && d != 0;
        if (!neverScored && !moved && !kindsChanged)
        {
            return null;
        }

        var trend = ScoreText.Trend(change, rules.TrendThresholdPoints);
        var factors = ScoreText.Factors(score.TopFactors);
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            [fields.ProbabilityField] = probability,
            [fields.ScoreChangeField] = change,
            [fields.ScoreTrendField] = trend,
            [fields.TopFactorsField] = factors,
            [fields.ScoredAtField] = scoredAt,
            [fields.ModelVersionField] = modelVersion,
        };
        if (!string.IsNullOrWhiteSpace(fields.ActivityGainsField))
        {
            values[fields.ActivityGainsField] = ScoreText.Gains(score.KindGains ?? []);
        }

        for (var i = 0; i < fields.NextActivityFields.Length; i++)
        {
            values[fields.NextActivityFields[i]] = i < nextActivities.Count ? nextActivities[i] : null;
        }

        return new PlannedWrite(
            opportunity.Id, opportunity.Name, current, probability, change, trend, nextActivities, factors, score, new RecordUpdate(opportunity.Id, values));
    }

    private decimal? CurrentProbability(Opportunity opportunity) =>
        Custom(opportunity, fields.ProbabilityField) is { Length: > 0 } text
        && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    private static string? Custom(Opportunity opportunity, string field) => opportunity.Custom.GetValueOrDefault(field);
}
