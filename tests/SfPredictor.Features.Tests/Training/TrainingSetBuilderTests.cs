using SfPredictor.Features.Indexing;
using SfPredictor.Features.Schema;
using SfPredictor.Features.Training;

namespace SfPredictor.Features.Tests.Training;

public class TrainingSetBuilderTests
{
    private static (OrgIndex Index, FeatureBuilder Builder) Build(OrgBuilder org, FeatureSchema? schema = null)
    {
        var index = new OrgIndex(org.Build(), schema?.Options ?? new FeatureOptions());
        return (index, schema is null ? new FeatureBuilder(index, new FeatureOptions()) : new FeatureBuilder(index, schema));
    }

    [Fact]
    public void Build_ClosedDeals_GiveSnapshotsAtLifeFractionsAndStageEntries()
    {
        var org = new OrgBuilder().WithCustomStages();
        var won = org.Opportunity(0, "Qualify");
        org.History(won, 20, "Prove");
        org.History(won, 60, "Negotiate");
        org.Close(won, 100, "Signed", won: true);
        var lost = org.Opportunity(10, "Qualify");
        org.Close(lost, 30, "Dropped", won: false);
        var open = org.Opportunity(5, "Qualify");
        var (index, builder) = Build(org);

        var set = TrainingSetBuilder.Build(builder, index, new TrainingSetOptions());

        Assert.DoesNotContain(open, set.OpportunityIds);
        Assert.Equal(2, set.OpportunityCount);
        var wonTimes = set.SnapshotTimes.Where((_, r) => set.OpportunityIds[r] == won).Select(t => (t - OrgBuilder.Day0).TotalDays);
        Assert.Equal([0, 10, 20, 30, 50, 60, 70, 90], wonTimes.Select(d => Math.Round(d, 6)));
        var lostTimes = set.SnapshotTimes.Where((_, r) => set.OpportunityIds[r] == lost).Select(t => (t - OrgBuilder.Day0).TotalDays);
        Assert.Equal([10, 12, 16, 20, 24, 28], lostTimes.Select(d => Math.Round(d, 6)));

        // Lost closed first, so its rows come first.
        Assert.Equal(lost, set.OpportunityIds[0]);
        Assert.Equal(set.Count, set.Labels.Length);
        Assert.All(Enumerable.Range(0, set.Count), r => Assert.Equal(set.OpportunityIds[r] == won ? 1f : 0f, set.Labels[r]));
        Assert.Equal(8, set.WonCount);
        Assert.Equal(1, set.WonOpportunityCount);
        Assert.Equal(["Qualify", "Qualify", "Prove", "Prove", "Prove", "Negotiate", "Negotiate", "Negotiate"],
            set.Stages.Where((_, r) => set.OpportunityIds[r] == won));
    }

    [Fact]
    public void Build_EveryRow_IsTheFeaturesAsOfItsSnapshotBeforeTheClose()
    {
        var org = RandomOrg.Create(seed: 5, withStageDefinitions: true);
        var (index, builder) = Build(org);

        var set = TrainingSetBuilder.Build(builder, index, new TrainingSetOptions());

        Assert.True(set.Count > 20);
        var row = new float[set.Width];
        for (var r = 0; r < set.Count; r++)
        {
            var i = index.IndexOf(set.OpportunityIds[r]);
            Assert.True(set.SnapshotTimes[r] >= index.Opportunities[i].CreatedDate);
            Assert.True(set.SnapshotTimes[r] < set.CloseTimes[r]);
            Assert.Equal(index.GetCloseTime(i), set.CloseTimes[r]);
            Assert.Equal(index.IsWon(i) ? 1f : 0f, set.Labels[r]);
            builder.Build(i, set.SnapshotTimes[r], row);
            Assert.Equal(row, set.Row(r).ToArray());
        }

        foreach (var group in Enumerable.Range(0, set.Count).GroupBy(r => set.OpportunityIds[r]))
        {
            Assert.Equal(1f, group.Sum(r => set.Weights[r]), 4);
        }
    }

    [Fact]
    public void Build_ActivitiesAndHistoryLoggedAfterTheClose_ChangeNoRow()
    {
        var org = RandomOrg.Create(seed: 9, withStageDefinitions: false);
        var (index, builder) = Build(org);
        var expected = TrainingSetBuilder.Build(builder, index, new TrainingSetOptions());

        // The classic leak: wrap-up calls, "won" emails and close-out tasks logged after the deal closed.
        // Account activities reach every deal of the Account, so they come after the last close.
        var lastClose = (expected.CloseTimes.Max() - OrgBuilder.Day0).TotalDays;
        foreach (var o in org.Opportunities.Where(o => o.IsClosed).ToList())
        {
            var close = (index.GetCloseTime(index.IndexOf(o.Id))!.Value - OrgBuilder.Day0).TotalDays;
            org.Task(close + 0.5, o.Id, "Call", "Exec thank-you call", completed: close - 2);
            org.Task(close, o.Id, "Email", "Contract signed", completed: close);
            org.Event(lastClose + 1, close + 3, o.AccountId, "Meeting", "Kick-off");
            if (org.Histories.Any(h => h.OpportunityId == o.Id))
            {
                org.History(o.Id, close + 2, o.StageName, amount: 1);
            }
        }

        var (laterIndex, laterBuilder) = Build(org, builder.Schema);
        var actual = TrainingSetBuilder.Build(laterBuilder, laterIndex, new TrainingSetOptions());

        Assert.Equal(expected.OpportunityIds, actual.OpportunityIds);
        Assert.Equal(expected.SnapshotTimes, actual.SnapshotTimes);
        Assert.Equal(expected.Features, actual.Features);
        Assert.Equal(expected.Labels, actual.Labels);
    }

    [Fact]
    public void Build_AsOf_KeepsOnlyDealsClosedByThen()
    {
        var org = RandomOrg.Create(seed: 3, withStageDefinitions: true);
        var (index, builder) = Build(org);
        var all = TrainingSetBuilder.Build(builder, index, new TrainingSetOptions());
        var cut = all.CloseTimes[all.Count / 2];

        var early = TrainingSetBuilder.Build(builder, index, new TrainingSetOptions(), cut);

        Assert.All(early.CloseTimes, c => Assert.True(c <= cut));
        Assert.True(early.Count < all.Count);
        Assert.Equal(all.Features.Take(early.Features.Length), early.Features);
    }

    [Fact]
    public void Split_ByDateAndByShare_TrainsOnEarlierClosesOnly()
    {
        var org = RandomOrg.Create(seed: 11, withStageDefinitions: true);
        var (index, builder) = Build(org);
        var set = TrainingSetBuilder.Build(builder, index, new TrainingSetOptions());
        Assert.True(set.OpportunityCount >= 4);

        var (train, validation) = set.SplitByCloseTime(0.25);

        Assert.Equal(set.Count, train.Count + validation.Count);
        Assert.True(train.CloseTimes.Max() < validation.CloseTimes.Min());
        Assert.Empty(train.OpportunityIds.Intersect(validation.OpportunityIds));
        Assert.InRange(validation.OpportunityCount, 1, (set.OpportunityCount / 2) + 1);
        Assert.Equal(set.Features.Take(train.Features.Length), train.Features);

        var date = validation.CloseTimes.Min();
        var (before, after) = set.Split(date);
        Assert.All(before.CloseTimes, c => Assert.True(c < date));
        Assert.All(after.CloseTimes, c => Assert.True(c >= date));
        Assert.Equal(train.OpportunityIds, before.OpportunityIds);
        Assert.Throws<ArgumentOutOfRangeException>(() => set.SplitByCloseTime(1));
    }

    [Fact]
    public void Build_MoreSnapshotsThanAllowed_KeepsEvenlySpacedOnes()
    {
        var org = new OrgBuilder().WithCustomStages();
        var o = org.Opportunity(0, "Qualify");
        for (var d = 1; d < 40; d += 2)
        {
            org.History(o, d, d % 4 == 1 ? "Prove" : "Discover");
        }

        org.Close(o, 50, "Signed", won: true);
        var (index, builder) = Build(org);

        var set = TrainingSetBuilder.Build(builder, index, new TrainingSetOptions { MaxSnapshotsPerOpportunity = 4, LifeFractions = [0.0, 0.9] });

        Assert.Equal(4, set.Count);
        Assert.Equal(OrgBuilder.Day(0), set.SnapshotTimes[0]);
        Assert.Equal(OrgBuilder.Day(45), set.SnapshotTimes[^1]);
        Assert.Equal(0.25f, set.Weights[0]);
    }

    [Fact]
    public void Build_BadLifeFraction_NamesTheSetting()
    {
        var org = new OrgBuilder().WithCustomStages();
        var (index, builder) = Build(org);

        var e = Assert.Throws<ArgumentException>(() =>
            TrainingSetBuilder.Build(builder, index, new TrainingSetOptions { LifeFractions = [1.5] }));
        Assert.Contains("LifeFractions", e.Message, StringComparison.Ordinal);
    }
}
