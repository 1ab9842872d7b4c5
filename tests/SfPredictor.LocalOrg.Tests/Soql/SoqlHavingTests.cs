using System.Text.Json;
using SfPredictor.LocalOrg.Tests.Infrastructure;

namespace SfPredictor.LocalOrg.Tests.Soql;

/// <summary>HAVING over aggregates and grouped fields, on the sample org (the deleted Opportunity never counts).</summary>
public sealed class SoqlHavingTests(SharedOrg shared) : IClassFixture<SharedOrg>
{
    [Fact]
    public async Task Query_HavingCountAboveOne_KeepsOnlyTheAccountWithTwoOpportunities()
    {
        var records = await shared.Org.RecordsAsync("SELECT AccountId, COUNT(Id) n FROM Opportunity GROUP BY AccountId HAVING COUNT(Id) > 1");

        var acme = Assert.Single(records);
        Assert.Equal(SampleExport.Acme, acme.GetProperty("AccountId").GetString());
        Assert.Equal(2, acme.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Query_HavingAggregateAndGroupedFieldWithAnd_KeepsGroupsMatchingBoth()
    {
        var records = await shared.Org.RecordsAsync(
            "SELECT StageName, SUM(Amount) total FROM Opportunity GROUP BY StageName HAVING SUM(Amount) >= 900 AND StageName != 'Closed Won' ORDER BY StageName");

        Assert.Equal(
            ["Negotiation/Review 250000", "Prospecting 1500"],
            records.Select(r => $"{r.GetProperty("StageName").GetString()} {r.GetProperty("total").GetDecimal()}"));
    }

    [Fact]
    public async Task Query_HavingOrOverMaxDateAndCount_KeepsGroupsMatchingEither()
    {
        var records = await shared.Org.RecordsAsync(
            "SELECT AccountId FROM Opportunity GROUP BY AccountId HAVING (MAX(CloseDate) < 2025-01-01 OR COUNT(Id) > 1) ORDER BY AccountId");

        Assert.Equal([SampleExport.Acme, SampleExport.Globex, SampleExport.Initech], records.Select(r => r.GetProperty("AccountId").GetString()));
    }

    [Fact]
    public async Task Query_HavingAnAggregateNotSelected_FiltersWithoutAnsweringIt()
    {
        var records = await shared.Org.RecordsAsync("SELECT StageName FROM Opportunity GROUP BY StageName HAVING AVG(Amount) > 1000 ORDER BY StageName");

        Assert.Equal(["Negotiation/Review", "Prospecting"], records.Select(r => r.GetProperty("StageName").GetString()));
        Assert.Equal(["attributes", "StageName"], records[0].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Query_HavingNotAndIn_OverGroupedFieldAndMin()
    {
        var records = await shared.Org.RecordsAsync(
            "SELECT StageName, MIN(Name) first FROM Opportunity GROUP BY StageName HAVING NOT (StageName IN ('Prospecting', 'Qualification') OR MIN(Name) = 'Zed') ORDER BY StageName");

        Assert.Equal(
            ["Closed Lost|Initech Deal", "Closed Won|Globex Pilot", "Negotiation/Review|Acme Renewal"],
            records.Select(r => $"{r.GetProperty("StageName").GetString()}|{r.GetProperty("first").GetString()}"));
    }

    [Fact]
    public async Task Query_HavingOverAGroupedDateFunction_ComparesTheNumber()
    {
        var records = await shared.Org.RecordsAsync(
            "SELECT CALENDAR_YEAR(CloseDate), COUNT(Id) FROM Opportunity GROUP BY CALENDAR_YEAR(CloseDate) HAVING CALENDAR_YEAR(CloseDate) >= 2025");

        var year = Assert.Single(records);
        Assert.Equal(JsonValueKind.Number, year.GetProperty("expr0").ValueKind);
        Assert.Equal((2025, 3), (year.GetProperty("expr0").GetInt32(), year.GetProperty("expr1").GetInt32()));
    }
}
