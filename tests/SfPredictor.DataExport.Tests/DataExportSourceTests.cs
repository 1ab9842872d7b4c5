using SfPredictor.Records;
using SfPredictor.Records.Sources;

namespace SfPredictor.DataExport.Tests;

/// <summary>A Data Export as a scoring run's source: what changed since a watermark, found in the records' own stamps.</summary>
public sealed class DataExportSourceTests
{
    private static readonly DateTimeOffset Since = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    // Three open deals and a closed one on two Accounts; each is touched after the watermark in another way.
    private static readonly OrgData Org = new()
    {
        Opportunities =
        [
            Deal("006000000000001AAA", "001000000000001AAA", stamp: Since.AddHours(3)),
            Deal("006000000000002AAA", "001000000000001AAA", stamp: Since.AddDays(-5)),
            Deal("006000000000003AAA", "001000000000002AAA", stamp: Since.AddDays(-5)),
            Deal("006000000000004AAA", "001000000000002AAA", stamp: Since.AddHours(9), closed: true),
            Deal("006000000000005AAA", "001000000000002AAA", stamp: Since.AddDays(-5)),
        ],
        Tasks =
        [
            new SfTask { Id = "00T000000000001AAA", WhatId = "006000000000002AAA", SystemModstamp = Since.AddHours(5) },
            new SfTask { Id = "00T000000000002AAA", WhatId = "006000000000003AAA", SystemModstamp = Since.AddDays(-1) },
        ],
        Events = [new SfEvent { Id = "00U000000000001AAA", WhatId = "001000000000002AAA", SystemModstamp = Since.AddHours(7) }],
        OpportunityHistories =
        [
            new OpportunityHistory { Id = "008000000000001AAA", OpportunityId = "006000000000005AAA", StageName = "Proposal", CreatedDate = Since.AddHours(2) },
        ],
        ExtractedAt = Since.AddDays(1),
    };

    [Fact]
    public async Task ReadAsync_AnySelection_HandsOverTheWholeOrg()
    {
        var source = new DataExportSource(Org);

        var read = await source.ReadAsync(new SourceSelection(["006000000000001AAA"], [], [], "v1"), CancellationToken.None);

        Assert.Same(Org, read.Data);
        Assert.True(read.HasEveryOpenOpportunity);
    }

    [Fact]
    public async Task ReadChangedAsync_StampsOfEachObject_ReadsTheRecordsStampedFromThemAndTheSmallObjectsWhole()
    {
        var source = new DataExportSource(Org);
        var stamps = ObjectStamps.Of(Org) with { Opportunity = Since.AddHours(3), Task = Since, Event = Since.AddHours(8), History = null };

        var changed = await source.ReadChangedAsync(new SourceSelection(null, [], [], "v1"), stamps, CancellationToken.None);

        Assert.NotNull(changed);
        Assert.Equal(["006000000000001AAA", "006000000000004AAA"], changed.Opportunities.Select(o => o.Id));
        Assert.Equal(["00T000000000001AAA"], changed.Tasks.Select(t => t.Id));
        Assert.Empty(changed.Events);
        Assert.Single(changed.OpportunityHistories);
        Assert.Same(Org.Users, changed.Users);
        Assert.Equal(Org.ExtractedAt, changed.ExtractedAt);
    }

    [Fact]
    public async Task ReadChangedAsync_CurrenciesTurnedOnOrActivityRelations_AsksForAWholeRead()
    {
        var selection = new SourceSelection(null, [], [], "v1");
        var source = new DataExportSource(Org);
        var related = new DataExportSource(new OrgData { Opportunities = Org.Opportunities, ActivityRelations = [new ActivityRelation("00T000000000001AAA", "006000000000001AAA")] });

        Assert.Null(await source.ReadChangedAsync(selection, ObjectStamps.Of(Org) with { MultiCurrency = true }, CancellationToken.None));
        Assert.Null(await related.ReadChangedAsync(selection, ObjectStamps.Of(related.Data), CancellationToken.None));
    }

    [Fact]
    public async Task FindChangesAsync_OwnStampActivitiesAccountActivityAndHistory_EachCountForTheOpenDealsTheyTouch()
    {
        var changes = await new DataExportSource(Org).FindChangesAsync(Since, CancellationToken.None);

        Assert.Equal(new Dictionary<string, DateTimeOffset> { ["006000000000001AAA"] = Since.AddHours(3) }, changes.RecordChanges);
        Assert.Equal(Since.AddHours(5), changes.RelatedChanges["006000000000002AAA"]);

        // The Account's Event stands for its open deals (3 and 5), not the closed one; 5's history row is older than the Event.
        Assert.Equal(Since.AddHours(7), changes.RelatedChanges["006000000000003AAA"]);
        Assert.Equal(Since.AddHours(7), changes.RelatedChanges["006000000000005AAA"]);
        Assert.Equal(["006000000000001AAA", "006000000000002AAA", "006000000000003AAA", "006000000000005AAA"], changes.Ids.Order(StringComparer.Ordinal));
        Assert.Equal(Since.AddHours(7), changes.LatestStamp);
    }

    [Fact]
    public async Task LatestStampAsync_OnlyOpenDealsCount()
    {
        var source = new DataExportSource(Org);

        Assert.Equal(Since.AddHours(3), await source.LatestStampAsync(Since, CancellationToken.None));
        Assert.Null(await source.LatestStampAsync(Since.AddHours(3), CancellationToken.None));
    }

    [Fact]
    public async Task SettleAsync_StopsBeforeTheEarliestChangeTheRunDidNotWrite()
    {
        var source = new DataExportSource(Org);
        var written = new HashSet<string>(SalesforceId.Comparer) { "006000000000001AAA" };

        // The run wrote deal 1 (stamped +3 h); the earliest deal another change is still due for is 2, by its Task at +5 h
        // (5's history row at +2 h is older, but 5 is due again for its Account's Event at +7 h).
        Assert.Equal(Since.AddHours(5).AddTicks(-1), await source.SettleAsync(Since, Since.AddHours(3), written, CancellationToken.None));

        // With nothing but the run's own write after the watermark, the watermark may pass it.
        Assert.Equal(Since.AddHours(8), await source.SettleAsync(Since.AddHours(7), Since.AddHours(8), written, CancellationToken.None));
    }

    private static Opportunity Deal(string id, string account, DateTimeOffset stamp, bool closed = false) => new()
    {
        Id = id,
        AccountId = account,
        StageName = closed ? "Closed Won" : "Prospecting",
        IsClosed = closed,
        IsWon = closed,
        SystemModstamp = stamp,
    };
}
