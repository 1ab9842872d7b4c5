using System.Globalization;
using SfPredictor.Recommendations;

namespace SfPredictor.Worker.WriteBack;

/// <summary>How scores, recommendations and factors read in the Opportunity's text fields.</summary>
internal static class ScoreText
{
    /// <summary>"Demo (+12 pts)"; gains under one point keep one decimal ("Call (+0.7 pts)").</summary>
    public static string NextActivity(ActivityRecommendation recommendation) =>
        $"{recommendation.Kind} ({Points(recommendation.Uplift * 100, signed: true)} pts)";

    /// <summary>The activity kind of a next-activity text, or null when the field is empty.</summary>
    public static string? KindOf(string? nextActivity)
    {
        if (string.IsNullOrWhiteSpace(nextActivity))
        {
            return null;
        }

        var bracket = nextActivity.LastIndexOf(" (", StringComparison.Ordinal);
        return (bracket > 0 ? nextActivity[..bracket] : nextActivity).Trim();
    }

    /// <summary>One factor per line: "No activity in 24 days (−8 pts)".</summary>
    public static string? Factors(IReadOnlyList<ScoreFactor> factors) =>
        factors.Count == 0 ? null : string.Join('\n', factors.Select(f => $"{f.Text} ({Points(f.Impact * 100, signed: true)} pts)"));

    /// <summary>One activity kind per line with its expected gain: "Demo (+12 pts)\nEmail (−0.3 pts)".</summary>
    public static string? Gains(IReadOnlyList<ActivityRecommendation> gains) =>
        gains.Count == 0 ? null : string.Join('\n', gains.Select(NextActivity));

    /// <summary>The probability in percent with one decimal, as the Percent field stores it.</summary>
    public static decimal Percent(double probability) =>
        Math.Round((decimal)Math.Clamp(probability, 0, 1) * 100m, 1, MidpointRounding.AwayFromZero);

    /// <summary>Improving, Steady or Declining by the change in points; null before the first score.</summary>
    public static string? Trend(decimal? change, double thresholdPoints) => change switch
    {
        null => null,
        var c when (double)c.Value >= thresholdPoints && c.Value > 0 => "Improving",
        var c when (double)c.Value <= -thresholdPoints && c.Value < 0 => "Declining",
        _ => "Steady",
    };

    private static string Points(double points, bool signed)
    {
        var whole = Math.Abs(Math.Round(points, 1, MidpointRounding.AwayFromZero)) >= 1;
        var rounded = Math.Round(points, whole ? 0 : 1, MidpointRounding.AwayFromZero);
        var text = Math.Abs(rounded).ToString(whole ? "0" : "0.0", CultureInfo.InvariantCulture);

        // U+2212 is the minus sign reps read in the examples; a hyphen would look like a dash.
        return !signed ? text : rounded < 0 ? "\u2212" + text : "+" + text;
    }
}
