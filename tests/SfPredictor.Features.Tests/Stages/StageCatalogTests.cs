using SfPredictor.Features.Stages;
using SfPredictor.Records;

namespace SfPredictor.Features.Tests.Stages;

public class StageCatalogTests
{
    [Fact]
    public void FromOrg_WithOpportunityStages_UsesSortOrderProbabilityAndFlags()
    {
        var stages = new OrgBuilder().WithCustomStages().Stages;
        stages.Reverse();
        var catalog = StageCatalog.FromOrg(new OrgData { Stages = stages });

        Assert.False(catalog.IsDerived);
        Assert.Equal(["Qualify", "Discover", "Prove", "Negotiate", "Signed", "Dropped"], catalog.Stages.Select(s => s.Name));
        Assert.Equal([0, 1, 2, 3, 4, 5], catalog.Stages.Select(s => s.Position));
        Assert.Equal(50m, catalog.Find("prove")!.DefaultProbability);
        Assert.True(catalog.Find("Signed")!.IsWon);
        Assert.True(catalog.Find("Dropped")!.IsClosed);
        Assert.False(catalog.Find("Dropped")!.IsWon);
        Assert.Null(catalog.Find("Closed Won"));
    }

    [Fact]
    public void FromOrg_StageUsedInDataButNotDefined_IsAppendedAfterTheDefinedOnes()
    {
        var org = new OrgBuilder().WithCustomStages();
        var o = org.Opportunity(0, "Qualify");
        org.History(o, 5, "Legacy Review", probability: 30);

        var catalog = StageCatalog.FromOrg(org.Build());

        Assert.Equal(6, catalog.Find("Legacy Review")!.Position);
        Assert.Equal(30m, catalog.Find("Legacy Review")!.DefaultProbability);
    }

    [Fact]
    public void Derive_WithoutOpportunityStages_OrdersByProbabilityAndTakesFlagsFromOutcomes()
    {
        var org = new OrgBuilder();
        for (var n = 0; n < 3; n++)
        {
            var won = org.Opportunity(0, "Scoping");
            org.History(won, 1, "Pilot", probability: 60);
            org.History(won, 2, "Paperwork", probability: 90);
            org.History(won, 3, "Booked", probability: 100);
            org.Close(won, 3, "Booked", won: true, history: false);

            var lost = org.Opportunity(0, "Scoping");
            org.History(lost, 1, "Pilot", probability: 60);
            org.History(lost, 2, "Parked", probability: 0);
            org.Close(lost, 2, "Parked", won: false, history: false);
        }

        // Scoping rows carry no probability, so the open stages are ordered by where they appear in histories.
        var catalog = StageCatalog.FromOrg(org.Build());

        Assert.True(catalog.IsDerived);
        Assert.Equal(["Scoping", "Pilot", "Paperwork", "Booked", "Parked"], catalog.Stages.Select(s => s.Name));
        Assert.Equal(60m, catalog.Find("Pilot")!.DefaultProbability);
        Assert.True(catalog.Find("Booked") is { IsClosed: true, IsWon: true });
        Assert.True(catalog.Find("Parked") is { IsClosed: true, IsWon: false });
        Assert.True(catalog.Find("Paperwork") is { IsClosed: false });
    }

    [Fact]
    public void Derive_OpenStagesWithProbabilities_FollowTheSalesProcess()
    {
        var org = new OrgBuilder();
        var o = org.Opportunity(0, "Intro", amount: 5);
        org.History(o, 0, "Intro", probability: 5);
        org.History(o, 1, "Solution Fit", probability: 40);
        org.History(o, 2, "Commercials", probability: 75);
        org.History(o, 3, "Solution Fit", probability: 40);

        var catalog = StageCatalog.Derive(org.Build());

        Assert.Equal(["Intro", "Solution Fit", "Commercials"], catalog.Stages.Select(s => s.Name));
        Assert.All(catalog.Stages, s => Assert.False(s.IsClosed));
    }
}
