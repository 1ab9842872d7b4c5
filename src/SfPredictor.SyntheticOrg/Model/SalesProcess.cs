using SfPredictor.Records;

namespace SfPredictor.SyntheticOrg.Model;

/// <summary>The generated org's sales process: six open stages in order, then Closed Won and Closed Lost.</summary>
internal static class SalesProcess
{
    public const int OpenStageCount = 6;
    public const string ClosedWon = "Closed Won";
    public const string ClosedLost = "Closed Lost";

    public const int Prospecting = 0;
    public const int Qualification = 1;
    public const int NeedsAnalysis = 2;
    public const int ValueProposition = 3;
    public const int ProposalPriceQuote = 4;
    public const int NegotiationReview = 5;

    public static IReadOnlyList<string> OpenStageNames { get; } =
        ["Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Proposal/Price Quote", "Negotiation/Review"];

    public static IReadOnlyList<int> OpenStageProbabilities { get; } = [10, 20, 30, 50, 70, 90];

    // Opportunity.ForecastCategoryName labels and the OpportunityHistory.ForecastCategory API values.
    public static IReadOnlyList<string> ForecastCategoryNames { get; } =
        ["Pipeline", "Pipeline", "Pipeline", "Pipeline", "Best Case", "Commit"];

    public static IReadOnlyList<string> HistoryForecastCategories { get; } =
        ["Pipeline", "Pipeline", "Pipeline", "Pipeline", "BestCase", "Forecast"];

    public static IReadOnlyList<OpportunityStage> Definitions { get; } = BuildDefinitions();

    private static OpportunityStage[] BuildDefinitions()
    {
        var stages = new OpportunityStage[OpenStageCount + 2];
        for (var i = 0; i < OpenStageCount; i++)
        {
            stages[i] = new OpportunityStage
            {
                Name = OpenStageNames[i],
                SortOrder = i + 1,
                DefaultProbability = OpenStageProbabilities[i],
            };
        }

        stages[OpenStageCount] = new OpportunityStage
        {
            Name = ClosedWon, SortOrder = OpenStageCount + 1, DefaultProbability = 100, IsClosed = true, IsWon = true,
        };
        stages[OpenStageCount + 1] = new OpportunityStage
        {
            Name = ClosedLost, SortOrder = OpenStageCount + 2, DefaultProbability = 0, IsClosed = true,
        };
        return stages;
    }
}
