using SfPredictor.SyntheticOrg.Model;
using SfPredictor.SyntheticOrg.Simulation;

namespace SfPredictor.SyntheticOrg.Tests;

/// <summary>Each world's truth implies the ordering its description promises, on small orgs.</summary>
public sealed class WorldTests
{
    private const int Opportunities = 1500;

    [Fact]
    public void StageDependent_TopKindEarly_DiffersFromTopKindLate()
    {
        var simulation = Run(OrgWorld.StageDependent);

        var early = TopKind(simulation, SalesProcess.Prospecting, SalesProcess.Qualification);
        var late = TopKind(simulation, SalesProcess.ProposalPriceQuote, SalesProcess.NegotiationReview);

        Assert.NotEqual(early, late);
        Assert.Contains(early, new[] { CausalKind.Call, CausalKind.Email, CausalKind.Meeting });
        Assert.Contains(late, new[] { CausalKind.Proposal, CausalKind.ExecutiveMeeting });
    }

    [Fact]
    public void StageDependent_ProposalEarly_Hurts()
    {
        var simulation = Run(OrgWorld.StageDependent);

        Assert.True(MeanUplift(simulation, CausalKind.Proposal, SalesProcess.Prospecting) < 0);
        Assert.True(MeanUplift(simulation, CausalKind.Proposal, SalesProcess.ProposalPriceQuote) > 0);
    }

    [Fact]
    public void DiminishingReturns_ADemoAfterTwoInTheStage_AddsLessThanTheFirst()
    {
        var simulation = Run(OrgWorld.DiminishingReturns);
        var first = new List<double>();
        var third = new List<double>();
        foreach (var deal in simulation.Deals.Where(d => d.Truth is not null))
        {
            var plan = deal.Plan!;
            var position = plan.PositionAt(simulation.Options.AsOf);
            if (plan.Stages[position] is not (SalesProcess.Qualification or SalesProcess.NeedsAnalysis))
            {
                continue;
            }

            var demos = plan.Activities.Count(a => a.Position == position && a.Kind == CausalKind.Demo);
            (demos == 0 ? first : demos == 2 ? third : []).Add(deal.Truth!.Uplift(CausalKind.Demo.Name()) / Slope(deal.Truth.WinProbability));
        }

        Assert.NotEmpty(first);
        Assert.NotEmpty(third);
        Assert.True(third.Average() < 0.25 * first.Average(), $"third demo {third.Average():0.000}, first {first.Average():0.000} (log-odds per unit slope)");
    }

    [Fact]
    public void Segmented_ExecutiveMeetingsHelpLargeAccountsMoreThanSmallOnes()
    {
        var simulation = Run(OrgWorld.Segmented);
        var bySize = simulation.Deals.Where(d => d.Truth is not null && d.Plan!.Stages[d.Plan.PositionAt(simulation.Options.AsOf)] >= SalesProcess.ValueProposition)
            .GroupBy(d => simulation.Population.Accounts.First(a => a.Id == d.Opportunity.AccountId).Size.MedianAmountUsd)
            .ToDictionary(g => g.Key, g => g.Average(d => d.Truth!.Uplift(CausalKind.ExecutiveMeeting.Name())));

        Assert.True(bySize[Traits.Sizes[^1].MedianAmountUsd] > bySize[Traits.Sizes[0].MedianAmountUsd]);
        Assert.True(bySize[Traits.Sizes[0].MedianAmountUsd] <= 0.0001);
    }

    [Fact]
    public void Confounded_WonDealsLogMoreOfEveryKindThanInTheDefaultWorld()
    {
        var confounded = Run(OrgWorld.Confounded);
        var original = Run(OrgWorld.Default);

        Assert.True(LoggedPerWonDeal(confounded) / LoggedPerLostDeal(confounded) > LoggedPerWonDeal(original) / LoggedPerLostDeal(original));
    }

    [Fact]
    public void SparseLogging_LogsAboutAQuarterOfTheActivities_WithTheSameTruth()
    {
        var sparse = Run(OrgWorld.SparseLogging);
        var original = Run(OrgWorld.Default);
        var sparseData = sparse.ToOrgData();
        var originalData = original.ToOrgData();

        var share = (sparseData.Tasks.Count + sparseData.Events.Count) / (double)(originalData.Tasks.Count + originalData.Events.Count);
        Assert.InRange(share, 0.2, 0.45);
        Assert.Equal(original.ToTruth().Opportunities.Select(t => t.WinProbability), sparse.ToTruth().Opportunities.Select(t => t.WinProbability));
    }

    [Fact]
    public void LoggedShare_InPlaceOfTheWorlds_LogsThatShareWithTheSameTruth()
    {
        var half = OrgSimulation.Run(new SyntheticOrgOptions { Opportunities = Opportunities, Seed = 5, World = OrgWorld.Confounded, LoggedShare = 0.5 }).ToOrgData();
        var sparseAsDefault = OrgSimulation.Run(new SyntheticOrgOptions { Opportunities = Opportunities, Seed = 5, World = OrgWorld.SparseLogging, LoggedShare = 1 });
        var original = Run(OrgWorld.Default);
        var confounded = Run(OrgWorld.Confounded).ToOrgData();

        var share = (half.Tasks.Count + half.Events.Count) / (double)(confounded.Tasks.Count + confounded.Events.Count);
        Assert.InRange(share, 0.45, 0.65);
        // Sparse logging with every activity logged is the default world, record for record.
        Assert.Equal(original.ToOrgData().Tasks.Select(t => t.Id + t.Subject), sparseAsDefault.ToOrgData().Tasks.Select(t => t.Id + t.Subject));
        Assert.Equal(original.ToTruth().Opportunities.Select(t => t.WinProbability), sparseAsDefault.ToTruth().Opportunities.Select(t => t.WinProbability));
    }

    [Theory]
    [InlineData(OrgWorld.StageDependent)]
    [InlineData(OrgWorld.DiminishingReturns)]
    [InlineData(OrgWorld.Segmented)]
    public void Uplift_EqualsTheProbabilityWithOneMoreActivityInTheWorld(OrgWorld world)
    {
        var simulation = Run(world, 400);
        foreach (var deal in simulation.Deals.Where(d => d.Truth is not null))
        {
            var plan = deal.Plan!;
            var position = plan.PositionAt(simulation.Options.AsOf);
            foreach (var kind in CausalKinds.All)
            {
                var withOneMore = new DealPlan
                {
                    World = plan.World,
                    BaseLogOdds = plan.BaseLogOdds,
                    EffectScale = plan.EffectScale,
                    Stages = plan.Stages,
                    Created = plan.Created,
                    StageEnds = plan.StageEnds,
                    Activities = [.. plan.Activities.Append(new PlannedActivity(simulation.Options.AsOf, kind, position)).OrderBy(a => a.Time)],
                    GateDraws = plan.GateDraws,
                };

                Assert.Equal(deal.Truth!.WinProbability + deal.Truth.Uplift(kind.Name()), CausalModel.WinProbability(withOneMore, position), 12);
            }
        }
    }

    [Fact]
    public void Parse_EveryName_RoundTrips_AndAnUnknownNameListsTheWorlds()
    {
        Assert.All(OrgWorlds.All, w => Assert.Equal(w, OrgWorlds.Parse(OrgWorlds.Name(w).ToUpperInvariant())));
        var error = Assert.Throws<ArgumentException>(() => OrgWorlds.Parse("real"));
        Assert.Contains("stage-dependent", error.Message, StringComparison.Ordinal);
    }

    private static OrgSimulation Run(OrgWorld world, int opportunities = Opportunities) =>
        OrgSimulation.Run(new SyntheticOrgOptions { Opportunities = opportunities, Seed = 5, World = world }, keepPlans: true);

    // The kind with the largest mean true uplift over the open deals in the given stages.
    private static CausalKind TopKind(OrgSimulation simulation, params int[] stages) =>
        CausalKinds.All.MaxBy(k => stages.Average(s => MeanUplift(simulation, k, s)));

    private static double MeanUplift(OrgSimulation simulation, CausalKind kind, int stage)
    {
        var open = simulation.Deals.Where(d => d.Truth is not null && d.Plan!.Stages[d.Plan.PositionAt(simulation.Options.AsOf)] == stage).ToList();
        Assert.NotEmpty(open);
        return open.Average(d => d.Truth!.Uplift(kind.Name()));
    }

    // Uplifts in probability scale with p(1-p); dividing by it compares effects in log-odds.
    private static double Slope(double p) => Math.Max(1e-6, p * (1 - p));

    private static double LoggedPerWonDeal(OrgSimulation simulation) => Logged(simulation, won: true);

    private static double LoggedPerLostDeal(OrgSimulation simulation) => Logged(simulation, won: false);

    private static double Logged(OrgSimulation simulation, bool won)
    {
        var deals = simulation.Deals.Where(d => d.Opportunity.IsClosed && d.Opportunity.IsWon == won).ToList();
        return deals.Average(d => (double)(d.Activities.Tasks.Count + d.Activities.Events.Count));
    }
}
