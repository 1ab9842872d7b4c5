using SfPredictor.Records;
using SfPredictor.Salesforce.Tests.Infrastructure;

namespace SfPredictor.Salesforce.Tests.Reading;

public sealed class ChangesTests
{
    private static readonly DateTimeOffset Since = new(2024, 4, 30, 0, 0, 0, TimeSpan.Zero);

    private static string Id(string prefix, int n) => SalesforceId.Normalize($"{prefix}5g{n:D10}");

    private static Dictionary<string, object?> Opportunity(int n, int account, bool closed, string modstamp) => new()
    {
        ["Id"] = Id("006", n), ["AccountId"] = Id("001", account), ["IsClosed"] = closed, ["SystemModstamp"] = modstamp,
    };

    private static Dictionary<string, object?> Task(int n, string whatId, int account, string modstamp) => new()
    {
        ["Id"] = Id("00T", n), ["WhatId"] = whatId, ["AccountId"] = Id("001", account), ["SystemModstamp"] = modstamp,
    };

    // Opportunity 1 changed itself; 3 through a Task on it; 4 and 3 through a Task on their Account 2; 2 (closed) through a
    // history row; 5 not at all (its Task is older than the watermark).
    private static TestOrg CreateOrg()
    {
        var org = new TestOrg();
        org.Add("Opportunity",
            Opportunity(1, account: 1, closed: false, "2024-05-01T10:00:00.000+0000"),
            Opportunity(2, account: 1, closed: true, "2024-04-01T10:00:00.000+0000"),
            Opportunity(3, account: 2, closed: false, "2024-04-01T10:00:00.000+0000"),
            Opportunity(4, account: 2, closed: false, "2024-04-01T10:00:00.000+0000"),
            Opportunity(5, account: 3, closed: false, "2024-04-01T10:00:00.000+0000"));
        org.Add("Task",
            Task(1, Id("006", 3), account: 2, "2024-05-02T08:00:00.000+0000"),
            Task(2, Id("001", 2), account: 2, "2024-05-02T09:00:00.000+0000"),
            Task(3, Id("006", 5), account: 3, "2024-04-02T08:00:00.000+0000"));
        org.Add("Event");
        org.Add("OpportunityHistory",
            new Dictionary<string, object?> { ["Id"] = Id("008", 1), ["OpportunityId"] = Id("006", 2), ["CreatedDate"] = "2024-05-03T09:00:00.000+0000" });
        return org;
    }

    [Fact]
    public async Task FindAsync_ChangesSinceAWatermark_NameEachOpenOpportunityWithItsLatestStamp()
    {
        var org = CreateOrg();
        using var salesforce = SalesforceMock.Start();
        org.Serve(salesforce);
        await using var test = TestClient.Create(salesforce);

        var changes = await new SalesforceChanges(test.Client).FindAsync(Since, CancellationToken.None);

        Assert.Equal([Id("006", 1)], changes.RecordChanges.Keys);
        Assert.Equal([Id("006", 2), Id("006", 3), Id("006", 4)], changes.RelatedChanges.Keys.Order());
        Assert.Equal(new DateTimeOffset(2024, 5, 2, 9, 0, 0, TimeSpan.Zero), changes.ChangedAt(Id("006", 3)));
        Assert.Equal(new DateTimeOffset(2024, 5, 3, 9, 0, 0, TimeSpan.Zero), changes.LatestStamp);
        Assert.Null(changes.ChangedAt(Id("006", 5)));
    }

    [Fact]
    public async Task OpenOpportunitiesOfAsync_ActivitiesAndAccounts_StandForTheOpenOpportunitiesTheyTouch()
    {
        var org = CreateOrg();
        using var salesforce = SalesforceMock.Start();
        org.Serve(salesforce);
        await using var test = TestClient.Create(salesforce);
        var activities = new Dictionary<string, HashSet<string>> { ["Task"] = [Id("00T", 2), Id("00T", 3)] };

        var opportunities = await new SalesforceChanges(test.Client).OpenOpportunitiesOfAsync(activities, [Id("001", 1)], CancellationToken.None);

        // Task 2 is on Account 2 (open 3 and 4), Task 3 on Opportunity 5, Account 1 has open 1 (2 is closed).
        Assert.Equal([Id("006", 1), Id("006", 3), Id("006", 4), Id("006", 5)], opportunities.Order());
        Assert.Contains(org.Soql, q => q.StartsWith("SELECT Id, WhatId, AccountId FROM Task WHERE Id IN", StringComparison.Ordinal));
    }
}
