namespace SfPredictor.Recommendations;

/// <summary>An activity kind worth doing now and what it is expected to add.</summary>
/// <param name="Kind">The activity kind's name (e.g. "Demo").</param>
/// <param name="Uplift">Expected change in win probability if one more activity of the kind is done now, in probability units (0.034 = 3.4 points).</param>
public sealed record ActivityRecommendation(string Kind, double Uplift);

/// <summary>One reason for a score, in plain words, and how much it moves it.</summary>
/// <param name="Text">What is true of the Opportunity, e.g. "No activity in 24 days".</param>
/// <param name="Impact">
/// How much higher (positive) or lower (negative) the win probability is, in probability units, than
/// if this aspect of the Opportunity were like that of a typical open Opportunity.
/// </param>
public sealed record ScoreFactor(string Text, double Impact);

/// <summary>The score, next best activities and explanation of one Opportunity.</summary>
/// <param name="OpportunityId">The Opportunity's Id.</param>
/// <param name="WinProbability">Calibrated win probability (0–1).</param>
/// <param name="Recommendations">Up to <see cref="RecommendationOptions.MaxRecommendations"/> kinds, largest uplift first; empty when none helps enough.</param>
/// <param name="TopFactors">The factors moving the score most, largest effect first.</param>
/// <param name="KindGains">
/// The expected change of every enabled activity kind, largest first, whatever the minimum gain and cooldown
/// (what would raise the score, for the score card's chart); null when not computed.
/// </param>
public sealed record OpportunityRecommendation(
    string OpportunityId,
    double WinProbability,
    IReadOnlyList<ActivityRecommendation> Recommendations,
    IReadOnlyList<ScoreFactor> TopFactors,
    IReadOnlyList<ActivityRecommendation>? KindGains = null);
