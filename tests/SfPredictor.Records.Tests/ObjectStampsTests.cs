using SfPredictor.Records.Sources;

namespace SfPredictor.Records.Tests;

/// <summary>Where a read of changes starts: the latest stamp of each object among the records held.</summary>
public sealed class ObjectStampsTests
{
    private static readonly DateTimeOffset T = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Of_RecordsOfEachObject_TakesTheLatestStampOfEachAndHistoryRowsByCreatedDate()
    {
        var stamps = ObjectStamps.Of(new OrgData
        {
            Opportunities = [Deal("006000000000001AAA", T.AddHours(2)), Deal("006000000000002AAA", T)],
            OpportunityHistories = [new OpportunityHistory { Id = "008000000000001AAA", OpportunityId = "006000000000001AAA", StageName = "Prospecting", CreatedDate = T.AddHours(5) }],
            Tasks = [new SfTask { Id = "00T000000000001AAA", SystemModstamp = T.AddHours(1) }],
            Currencies = [new CurrencyType { IsoCode = "EUR" }],
        });

        Assert.Equal(new ObjectStamps(T.AddHours(2), T.AddHours(5), T.AddHours(1), null, null, MultiCurrency: true), stamps);
        Assert.Equal(T.AddHours(5), stamps.Latest);
    }

    [Fact]
    public void Latest_AccountsNewerThanEverythingElse_LeavesThemOut()
    {
        var stamps = new ObjectStamps(T, null, T.AddHours(1), null, T.AddDays(1), MultiCurrency: false);

        Assert.Equal(T.AddHours(1), stamps.Latest);
        Assert.Null((stamps with { Opportunity = null, Task = null }).Latest);
    }

    [Fact]
    public void Then_ChangesOlderNewerAndWithoutStamp_MovesOnlyToNewerStamps()
    {
        var stamps = new ObjectStamps(T, T, null, T, T, MultiCurrency: false);

        var moved = stamps.Then(new OrgData
        {
            Opportunities = [Deal("006000000000001AAA", T.AddHours(-1))],
            Tasks = [new SfTask { Id = "00T000000000001AAA", SystemModstamp = T.AddHours(3) }],
            Accounts = [new Account { Id = "001000000000001AAA" }],
        });

        Assert.Equal(stamps with { Task = T.AddHours(3) }, moved);
    }

    private static Opportunity Deal(string id, DateTimeOffset stamp) => new() { Id = id, StageName = "Prospecting", SystemModstamp = stamp };
}
