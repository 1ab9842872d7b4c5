using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SfPredictor.Records;
using SfPredictor.Salesforce.Tests.Infrastructure;

namespace SfPredictor.Salesforce.Tests.Reading;

public sealed class OrgReaderTests
{
    private static string Id(string prefix, int n) => SalesforceId.Normalize($"{prefix}5g{n:D10}");

    private static string Opp(int n) => Id("006", n);

    private static string Acc(int n) => Id("001", n);

    private static string Usr(int n) => Id("005", n);

    private static Dictionary<string, object?> Opportunity(int n, int account, int owner, bool closed, string modstamp) => new()
    {
        ["Id"] = Opp(n), ["Name"] = $"Deal {n}", ["AccountId"] = Acc(account), ["OwnerId"] = Usr(owner),
        ["StageName"] = closed ? "Closed Won" : "Prospecting", ["Amount"] = 1000.5m * n, ["Probability"] = closed ? 100m : 10m,
        ["CloseDate"] = "2024-09-30", ["Type"] = "New Business", ["LeadSource"] = "Web", ["ForecastCategoryName"] = "Pipeline",
        ["IsClosed"] = closed, ["IsWon"] = closed, ["CreatedDate"] = "2024-01-10T09:00:00.000+0000",
        ["LastModifiedDate"] = modstamp, ["SystemModstamp"] = modstamp, ["Region__c"] = "EMEA", ["CurrencyIsoCode"] = "EUR",
    };

    private static Dictionary<string, object?> Activity(string prefix, int n, string whatId, int account, int owner, string modstamp) => new()
    {
        ["Id"] = Id(prefix, n), ["WhatId"] = whatId, ["AccountId"] = Acc(account), ["OwnerId"] = Usr(owner), ["Subject"] = $"Call {n}",
        ["Type"] = "Call", ["TaskSubtype"] = "Call", ["EventSubtype"] = "Event", ["Status"] = "Completed", ["IsClosed"] = true,
        ["ActivityDate"] = "2024-04-02", ["StartDateTime"] = "2024-04-02T14:00:00.000+0000", ["CreatedDate"] = "2024-04-01T08:00:00.000+0000",
        ["SystemModstamp"] = modstamp,
    };

    private static TestOrg CreateOrg(bool multiCurrency = false)
    {
        var org = new TestOrg();
        org.Add("Opportunity",
            Opportunity(1, account: 1, owner: 1, closed: false, "2024-05-01T10:00:00.000+0000"),
            Opportunity(2, account: 2, owner: 2, closed: true, "2024-05-03T10:00:00.000+0000"),
            Opportunity(3, account: 2, owner: 2, closed: false, "2024-04-01T10:00:00.000+0000"),
            Opportunity(4, account: 2, owner: 2, closed: false, "2024-04-01T10:00:00.000+0000"));
        org.Add("OpportunityHistory",
            new() { ["Id"] = Id("008", 1), ["OpportunityId"] = Opp(1), ["StageName"] = "Qualification", ["CreatedDate"] = "2024-01-10T09:00:00.000+0000" },
            new() { ["Id"] = Id("008", 2), ["OpportunityId"] = Opp(1), ["StageName"] = "Prospecting", ["Amount"] = 900m, ["CreatedDate"] = "2024-02-10T09:00:00.000+0000" },
            new() { ["Id"] = Id("008", 3), ["OpportunityId"] = Opp(2), ["StageName"] = "Closed Won", ["CreatedDate"] = "2024-05-03T09:00:00.000+0000" });
        org.Add("Task",
            Activity("00T", 1, Opp(1), account: 1, owner: 3, "2024-04-01T08:00:00.000+0000"),
            Activity("00T", 2, Acc(1), account: 1, owner: 1, "2024-04-01T08:00:00.000+0000"),
            Activity("00T", 3, Opp(2), account: 2, owner: 2, "2024-04-01T08:00:00.000+0000"),
            Activity("00T", 4, Opp(3), account: 3, owner: 2, "2024-05-02T08:00:00.000+0000"));
        org.Add("Event", Activity("00U", 1, Opp(1), account: 1, owner: 1, "2024-04-01T08:00:00.000+0000"));
        org.Add("Account",
            new() { ["Id"] = Acc(1), ["Name"] = "Acme", ["Industry"] = "Manufacturing", ["OwnerId"] = Usr(1), ["NumberOfEmployees"] = 250, ["CreatedDate"] = "2023-01-01T00:00:00.000+0000" },
            new() { ["Id"] = Acc(2), ["Name"] = "Globex", ["OwnerId"] = Usr(2) });
        org.Add("User",
            new() { ["Id"] = Usr(1), ["Name"] = "Ada", ["IsActive"] = true },
            new() { ["Id"] = Usr(2), ["Name"] = "Bo", ["IsActive"] = true },
            new() { ["Id"] = Usr(3), ["Name"] = "Cy", ["Title"] = "SDR", ["IsActive"] = false });
        org.Add("OpportunityStage",
            new() { ["ApiName"] = "Prospecting", ["MasterLabel"] = "Prospecting", ["SortOrder"] = 1, ["DefaultProbability"] = 10m, ["IsClosed"] = false, ["IsWon"] = false, ["IsActive"] = true },
            new() { ["ApiName"] = "Closed Won", ["MasterLabel"] = "Closed Won", ["SortOrder"] = 2, ["DefaultProbability"] = 100m, ["IsClosed"] = true, ["IsWon"] = true, ["IsActive"] = true });
        if (multiCurrency)
        {
            org.Add("CurrencyType",
                new() { ["IsoCode"] = "USD", ["ConversionRate"] = 1m, ["IsCorporate"] = true, ["IsActive"] = true },
                new() { ["IsoCode"] = "EUR", ["ConversionRate"] = 0.92m, ["IsCorporate"] = false, ["IsActive"] = true });
        }

        return org;
    }

    [Fact]
    public async Task ReadAsync_OpenOpportunities_ReadsThemAndEverythingAroundThem()
    {
        var org = CreateOrg();
        using var salesforce = SalesforceMock.Start();
        org.Serve(salesforce);
        await using var test = TestClient.Create(salesforce);

        var data = await test.Reader.ReadAsync(OrgQuery.OpenOpportunities() with { ExtraOpportunityFields = ["Region__c"] });

        Assert.Equal([Opp(1), Opp(3), Opp(4)], data.Opportunities.Select(o => o.Id));
        var first = data.Opportunities[0];
        Assert.Equal(("Prospecting", 1000.5m, new DateOnly(2024, 9, 30), Acc(1)), (first.StageName, first.Amount, first.CloseDate, first.AccountId));
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero), first.SystemModstamp);
        Assert.Equal("EMEA", first.Custom["Region__c"]);
        Assert.Null(first.CurrencyIsoCode);
        Assert.Equal([Id("008", 1), Id("008", 2)], data.OpportunityHistories.Select(h => h.Id).Order());
        // Tasks on the Opportunities, and every Task of their Accounts (00T3 is on a closed Opportunity of Account 2).
        Assert.Equal([Id("00T", 1), Id("00T", 2), Id("00T", 3), Id("00T", 4)], data.Tasks.Select(t => t.Id).Order());
        Assert.Equal([Id("00U", 1)], data.Events.Select(e => e.Id));
        Assert.Equal([Acc(1), Acc(2)], data.Accounts.Select(a => a.Id).Order());
        Assert.Equal([Usr(1), Usr(2), Usr(3)], data.Users.Select(u => u.Id).Order());
        Assert.False(data.Users.Single(u => u.Id == Usr(3)).IsActive);
        Assert.Equal(["Prospecting", "Closed Won"], data.Stages.Select(s => s.Name));
        Assert.Empty(data.Currencies);
        Assert.NotNull(data.ExtractedAt);

        Assert.Contains("SELECT COUNT() FROM Opportunity WHERE IsClosed = false", org.Soql);
        var select = org.Soql.Single(q => q.StartsWith("SELECT Id, Name, AccountId", StringComparison.Ordinal) && q.Contains("FROM Opportunity", StringComparison.Ordinal));
        Assert.DoesNotContain("CurrencyIsoCode", select, StringComparison.Ordinal);
        Assert.EndsWith(", SystemModstamp, Region__c FROM Opportunity WHERE IsClosed = false", select, StringComparison.Ordinal);
        Assert.Equal(0, salesforce.Count("POST", SalesforceMock.DataPath + "/jobs/query"));
    }

    [Fact]
    public async Task ReadAsync_CountAboveBulkThreshold_ReadsThroughBulkAndMapsTheSameRecords()
    {
        var org = CreateOrg();
        using var salesforce = SalesforceMock.Start();
        org.Serve(salesforce);
        await using var rest = TestClient.Create(salesforce);
        await using var bulk = TestClient.Create(salesforce, ("BulkThreshold", "2"));

        var viaRest = await rest.Reader.ReadAsync(OrgQuery.OpenOpportunities() with { IncludeTasks = false, IncludeEvents = false });
        var viaBulk = await bulk.Reader.ReadAsync(OrgQuery.OpenOpportunities() with { IncludeTasks = false, IncludeEvents = false });

        Assert.Equal(1, salesforce.Count("POST", SalesforceMock.DataPath + "/jobs/query"));
        Assert.Equal(viaRest.Opportunities.Select(o => o with { Custom = EmptyFields.Instance }), viaBulk.Opportunities.Select(o => o with { Custom = EmptyFields.Instance }));
        Assert.Equal(viaRest.OpportunityHistories, viaBulk.OpportunityHistories);
    }

    [Fact]
    public async Task ReadObjects_StampedFrom_ReadOnlyWhatWasStampedSinceWithHistoriesByCreatedDate()
    {
        var org = CreateOrg();
        using var salesforce = SalesforceMock.Start();
        org.Serve(salesforce);
        await using var test = TestClient.Create(salesforce);
        var since = new ObjectRead { StampedFrom = new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero) };

        var opportunities = await test.Reader.ReadOpportunitiesAsync(since);
        var histories = await test.Reader.ReadHistoriesAsync(since);
        var tasks = await test.Reader.ReadTasksAsync(since with { ExtraFields = ["Channel__c"] });

        // >= : a record stamped in the very second of the watermark is read again rather than missed.
        Assert.Equal([Opp(1), Opp(2)], opportunities.Select(o => o.Id));
        Assert.Equal([Id("008", 3)], histories.Select(h => h.Id));
        Assert.Equal([Id("00T", 4)], tasks.Select(t => t.Id));
        Assert.Contains(org.Soql, q => q.EndsWith("FROM OpportunityHistory WHERE CreatedDate >= 2024-05-01T10:00:00Z", StringComparison.Ordinal));
        Assert.Contains(org.Soql, q => q.Contains(", Channel__c FROM Task WHERE SystemModstamp >= 2024-05-01T10:00:00Z", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadObjects_Whole_ReadEveryRecordWithoutCountingAndRefuseABadFieldName()
    {
        var org = CreateOrg(multiCurrency: true);
        using var salesforce = SalesforceMock.Start();
        org.Serve(salesforce);
        await using var test = TestClient.Create(salesforce);

        var closed = await test.Reader.ReadOpportunitiesAsync(new ObjectRead { MultiCurrency = true }, OpportunityScope.Closed, new DateOnly(2024, 1, 1));
        var accounts = await test.Reader.ReadAccountsAsync(new ObjectRead());
        var users = await test.Reader.ReadUsersAsync();
        var stages = await test.Reader.ReadStagesAsync();
        var currencies = await test.Reader.ReadCurrenciesAsync();

        Assert.Equal([(Opp(2), "EUR")], closed.Select(o => (o.Id, o.CurrencyIsoCode)));
        Assert.Equal(2, accounts.Count);
        Assert.Equal(3, users.Count);
        Assert.Equal(["Prospecting", "Closed Won"], stages.Select(s => s.Name));
        Assert.Equal(2, currencies.Count);
        Assert.Contains(org.Soql, q => q.EndsWith("CurrencyIsoCode FROM Opportunity WHERE IsClosed = true AND CloseDate >= 2024-01-01", StringComparison.Ordinal));
        Assert.DoesNotContain(org.Soql, q => q.StartsWith("SELECT COUNT()", StringComparison.Ordinal));
        await Assert.ThrowsAsync<ArgumentException>(() => test.Reader.ReadTasksAsync(new ObjectRead { ExtraFields = ["Type FROM User --"] }));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadAsync_Accounts_CarryTheirCurrencyOnlyInAMultiCurrencyOrg(bool multiCurrency)
    {
        var org = CreateOrg(multiCurrency);
        org.Objects["Account"][0]["CurrencyIsoCode"] = "EUR";
        using var salesforce = SalesforceMock.Start();
        org.Serve(salesforce);
        await using var test = TestClient.Create(salesforce);

        var data = await test.Reader.ReadAsync(OrgQuery.OpenOpportunities() with { IncludeTasks = false, IncludeEvents = false });

        // AnnualRevenue is in the Account's currency; the features convert it with this code.
        var acme = data.Accounts.Single(a => a.Id == Acc(1));
        Assert.Equal(multiCurrency ? "EUR" : null, acme.Custom.GetValueOrDefault("CurrencyIsoCode"));
        var select = org.Soql.Single(q => q.Contains("FROM Account", StringComparison.Ordinal));
        Assert.Equal(multiCurrency, select.Contains("CurrencyIsoCode", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_MultiCurrencyOrg_SelectsCurrencyIsoCodeAndReadsCurrencies()
    {
        var org = CreateOrg(multiCurrency: true);
        using var salesforce = SalesforceMock.Start();
        org.Serve(salesforce);
        await using var test = TestClient.Create(salesforce);

        var data = await test.Reader.ReadAsync(OrgQuery.ClosedOpportunities(new DateOnly(2024, 1, 1)));

        var won = Assert.Single(data.Opportunities);
        Assert.Equal((Opp(2), true, "EUR"), (won.Id, won.IsWon, won.CurrencyIsoCode));
        Assert.Equal([("USD", 1m, true), ("EUR", 0.92m, false)], data.Currencies.Select(c => (c.IsoCode, c.ConversionRate, c.IsCorporate)));
        Assert.Contains(org.Soql, q => q.Contains("CurrencyIsoCode FROM Opportunity WHERE IsClosed = true AND CloseDate >= 2024-01-01", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_BulkForced_ReadsEveryObjectThroughBulkWithoutCounting()
    {
        var org = CreateOrg();
        using var salesforce = SalesforceMock.Start();
        org.Serve(salesforce);
        await using var test = TestClient.Create(salesforce);

        var data = await test.Reader.ReadAsync(new OrgQuery { Scope = OpportunityScope.All, Mode = TransferMode.Bulk, IncludeStages = false });

        Assert.Equal(4, data.Opportunities.Count);
        Assert.Equal(4, data.Tasks.Count);
        Assert.DoesNotContain(org.Soql, q => q.StartsWith("SELECT COUNT()", StringComparison.Ordinal));
        Assert.True(salesforce.Count("POST", SalesforceMock.DataPath + "/jobs/query") >= 6);
    }

    [Fact]
    public async Task ReadAsync_OpportunityIdsGiven_ReadsOnlyThose()
    {
        var org = CreateOrg();
        using var salesforce = SalesforceMock.Start();
        org.Serve(salesforce);
        await using var test = TestClient.Create(salesforce);

        var data = await test.Reader.ReadAsync(new OrgQuery { Scope = OpportunityScope.All, OpportunityIds = [Opp(2)[..15]], IncludeTasks = false, IncludeEvents = false });

        Assert.Equal([Opp(2)], data.Opportunities.Select(o => o.Id));
        Assert.Contains(org.Soql, q => q.EndsWith($"FROM Opportunity WHERE Id IN ('{Opp(2)}')", StringComparison.Ordinal));
        await Assert.ThrowsAsync<ArgumentException>(() => test.Reader.ReadAsync(new OrgQuery { OpportunityIds = ["006' OR Id != '"] }));
    }

    [Theory]
    [InlineData(1, 1_000)]
    [InlineData(1_000, 1)]
    public async Task ReadAsync_SmallOrLargeIdSets_GiveTheSameRecordsByInListsOrWholeObjectReads(int idsPerQuery, int maxIdsForFilteredRead)
    {
        var org = CreateOrg();
        using var salesforce = SalesforceMock.Start();
        org.Serve(salesforce);
        await using var test = TestClient.Create(salesforce);
        var reader = new SalesforceOrgReader(test.Client, TimeProvider.System, test.Services.GetRequiredService<ILogger<SalesforceOrgReader>>())
        {
            IdsPerQuery = idsPerQuery,
            MaxIdsForFilteredRead = maxIdsForFilteredRead,
        };

        var data = await reader.ReadAsync(OrgQuery.OpenOpportunities() with { Mode = TransferMode.Rest });

        Assert.Equal([Id("008", 1), Id("008", 2)], data.OpportunityHistories.Select(h => h.Id).Order());
        Assert.Equal([Id("00T", 1), Id("00T", 2), Id("00T", 3), Id("00T", 4)], data.Tasks.Select(t => t.Id).Order());
        Assert.Equal([Acc(1), Acc(2)], data.Accounts.Select(a => a.Id).Order());
        var whole = org.Soql.Any(q => q.EndsWith("FROM OpportunityHistory", StringComparison.Ordinal));
        Assert.Equal(maxIdsForFilteredRead == 1, whole);
        Assert.Equal(idsPerQuery == 1 ? 3 : 0, org.Soql.Count(q => q.Contains("FROM OpportunityHistory WHERE OpportunityId IN", StringComparison.Ordinal)));
    }
}
