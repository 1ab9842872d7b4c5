using SfPredictor.Features.Indexing;

namespace SfPredictor.Features.Tests.Stages;

public sealed class StageExitTests
{
    [Fact]
    public void StageExits_LostDeal_EachOpenStageLeftOnce_TheLastOneFailed()
    {
        var org = new OrgBuilder().WithCustomStages();
        var lost = org.Opportunity(0, "Qualify");
        org.History(lost, 5, "Qualify", amount: 2000);  // no stage change: not an exit
        org.History(lost, 10, "Discover");
        org.History(lost, 20, "Prove");
        org.Close(lost, 30, "Dropped", won: false);

        var exits = Exits(org, lost);

        Assert.Equal(
            [(0, OrgBuilder.Day(10), true), (1, OrgBuilder.Day(20), true), (2, OrgBuilder.Day(30), false)],
            exits.Select(e => (e.Stage, e.Time, e.Passed)));
    }

    [Fact]
    public void StageExits_WonDeal_LastGatePassed_AndAReopenedDealEndsAtItsFirstClose()
    {
        var org = new OrgBuilder().WithCustomStages();
        var won = org.Opportunity(0, "Prove");
        org.Close(won, 12, "Signed", won: true);
        var reopened = org.Opportunity(0, "Negotiate");
        org.Close(reopened, 8, "Dropped", won: false);
        org.History(reopened, 9, "Negotiate");
        org.Close(reopened, 15, "Signed", won: true);

        Assert.Equal([(2, OrgBuilder.Day(12), true)], Exits(org, won).Select(e => (e.Stage, e.Time, e.Passed)));
        Assert.Equal([(3, OrgBuilder.Day(8), false)], Exits(org, reopened).Select(e => (e.Stage, e.Time, e.Passed)));
    }

    [Fact]
    public void StageExits_OpenDealWithoutHistory_None()
    {
        var org = new OrgBuilder().WithCustomStages();
        var open = org.Opportunity(0, "Discover", history: false);

        Assert.Empty(Exits(org, open));
    }

    private static List<StageExit> Exits(OrgBuilder org, string opportunity)
    {
        var index = new OrgIndex(org.Build(), new FeatureOptions());
        var exits = new List<StageExit> { new(9, OrgBuilder.Day(99), false) };
        index.StageExits(index.IndexOf(opportunity), exits);
        return exits;
    }
}
