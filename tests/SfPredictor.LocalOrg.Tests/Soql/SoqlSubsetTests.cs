using SfPredictor.LocalOrg.Tests.Infrastructure;

namespace SfPredictor.LocalOrg.Tests.Soql;

/// <summary>The SOQL subset, run over HTTP against the sample org (the fake clock says 2025-03-01 12:00 UTC).</summary>
public sealed class SoqlSubsetTests(SharedOrg shared) : IClassFixture<SharedOrg>
{
    private const string Select = "SELECT Name FROM Opportunity ";

    [Theory]
    [InlineData("WHERE IsClosed = false", "Acme Expansion|Acme Renewal|Orphan Opportunity")]
    [InlineData("WHERE StageName != 'Prospecting'", "Acme Renewal|Globex Pilot|Initech Deal|Orphan Opportunity")]
    [InlineData("WHERE StageName <> 'Prospecting'", "Acme Renewal|Globex Pilot|Initech Deal|Orphan Opportunity")]
    [InlineData("WHERE Amount > 1000", "Acme Expansion|Acme Renewal")]
    [InlineData("WHERE Amount < 1000", "Globex Pilot|Orphan Opportunity")]
    [InlineData("WHERE Amount >= 1500", "Acme Expansion|Acme Renewal")]
    [InlineData("WHERE Amount <= 900", "Globex Pilot|Orphan Opportunity")]
    [InlineData("WHERE Amount = null", "Initech Deal")]
    [InlineData("WHERE Amount != null", "Acme Expansion|Acme Renewal|Globex Pilot|Orphan Opportunity")]
    [InlineData("WHERE Amount = 250000.00", "Acme Renewal")]
    [InlineData("WHERE StageName IN ('Closed Won', 'Closed Lost')", "Globex Pilot|Initech Deal")]
    [InlineData("WHERE StageName NOT IN ('Closed Won', 'Closed Lost')", "Acme Expansion|Acme Renewal|Orphan Opportunity")]
    [InlineData("WHERE StageName = 'closed won'", "Globex Pilot")]
    [InlineData("WHERE Name LIKE 'acme%'", "Acme Expansion|Acme Renewal")]
    [InlineData("WHERE Name LIKE '%Pilo_'", "Globex Pilot")]
    [InlineData("WHERE IsClosed = false AND Amount > 100", "Acme Expansion|Acme Renewal")]
    [InlineData("WHERE StageName = 'Closed Won' OR Amount < 100", "Globex Pilot|Orphan Opportunity")]
    [InlineData("WHERE NOT StageName = 'Prospecting'", "Acme Renewal|Globex Pilot|Initech Deal|Orphan Opportunity")]
    [InlineData("WHERE IsClosed = true AND (Amount > 500 OR Amount = null)", "Globex Pilot|Initech Deal")]
    [InlineData("WHERE (NOT Amount > 1000) AND IsClosed = false", "Orphan Opportunity")]
    [InlineData("WHERE IsWon = TRUE", "Globex Pilot")]
    [InlineData("WHERE CloseDate < 2025-01-01", "Globex Pilot|Initech Deal")]
    [InlineData("WHERE CloseDate = 2025-03-20", "Acme Renewal")]
    [InlineData("WHERE SystemModstamp > 2025-02-01T00:00:00Z", "Acme Renewal|Orphan Opportunity")]
    [InlineData("WHERE SystemModstamp >= 2025-03-01T00:59:59+01:00", "Orphan Opportunity")]
    [InlineData("WHERE SystemModstamp > 2025-03-01T00:59:59+01:00", "")]
    [InlineData("WHERE SystemModstamp < 2024-12-01T18:45:00+01:00", "Initech Deal")]
    [InlineData("WHERE SystemModstamp <= 2024-12-01T17:45:00.000Z", "Globex Pilot|Initech Deal")]
    [InlineData("WHERE CloseDate = NEXT_N_DAYS:30", "Acme Renewal")]
    [InlineData("WHERE SystemModstamp = LAST_N_DAYS:30", "Acme Renewal|Orphan Opportunity")]
    [InlineData("WHERE CloseDate < TODAY", "Globex Pilot|Initech Deal")]
    [InlineData("WHERE CloseDate = THIS_QUARTER", "Acme Renewal")]
    [InlineData("WHERE CloseDate = LAST_QUARTER", "Globex Pilot|Initech Deal")]
    [InlineData("WHERE CloseDate = NEXT_QUARTER", "Acme Expansion|Orphan Opportunity")]
    [InlineData("WHERE CloseDate = LAST_N_QUARTERS:1", "Globex Pilot|Initech Deal")]
    [InlineData("WHERE CloseDate = NEXT_N_QUARTERS:2", "Acme Expansion|Orphan Opportunity")]
    [InlineData("WHERE CloseDate = N_QUARTERS_AGO:1", "Globex Pilot|Initech Deal")]
    [InlineData("WHERE CloseDate = THIS_FISCAL_YEAR", "Acme Expansion|Acme Renewal|Orphan Opportunity")]
    [InlineData("WHERE CloseDate = NEXT_FISCAL_YEAR", "")]
    [InlineData("WHERE CloseDate = LAST_N_FISCAL_YEARS:1", "Globex Pilot|Initech Deal")]
    [InlineData("WHERE CloseDate = THIS_FISCAL_QUARTER", "Acme Renewal")]
    [InlineData("WHERE CloseDate = N_MONTHS_AGO:3", "Globex Pilot")]
    [InlineData("WHERE CloseDate = N_DAYS_AGO:90", "Globex Pilot")]
    [InlineData("WHERE CloseDate = LAST_N_MONTHS:4", "Globex Pilot|Initech Deal")]
    [InlineData("WHERE CloseDate = NEXT_N_MONTHS:1", "Acme Expansion")]
    [InlineData("WHERE CloseDate = THIS_WEEK", "")]
    [InlineData("WHERE CreatedDate = LAST_WEEK", "")]
    [InlineData("WHERE CloseDate = LAST_N_WEEKS:14", "Globex Pilot")]
    [InlineData("WHERE CloseDate = N_YEARS_AGO:1", "Globex Pilot|Initech Deal")]
    [InlineData("WHERE CreatedDate = THIS_MONTH", "")]
    [InlineData("WHERE Account.Industry = 'Technology'", "Acme Expansion|Acme Renewal")]
    [InlineData("WHERE Account.Name = null", "Orphan Opportunity")]
    [InlineData("WHERE Owner.Name LIKE 'Bob%'", "Acme Renewal|Globex Pilot")]
    [InlineData("WHERE Id = '006000000000001'", "Acme Expansion")]
    [InlineData("WHERE AccountId IN ('001000000000002', '001000000000003AAA')", "Globex Pilot|Initech Deal")]
    [InlineData("WHERE AccountId IN (SELECT Id FROM Account WHERE Industry = 'Manufacturing')", "Globex Pilot")]
    [InlineData("WHERE Score__c > 0.5", "Acme Renewal")]
    [InlineData("WHERE Notes__c LIKE '%\"quoted\"%'", "Acme Expansion")]
    public async Task Query_Filter_ReturnsMatchingRecords(string where, string expected)
    {
        var records = await shared.Org.RecordsAsync(Select + where);

        var names = records.Select(r => r.GetProperty("Name").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(expected.Split('|', StringSplitOptions.RemoveEmptyEntries), names);
    }

    [Theory]
    [InlineData("ORDER BY Amount DESC", "Acme Renewal|Acme Expansion|Globex Pilot|Orphan Opportunity|Initech Deal")]
    [InlineData("ORDER BY Amount", "Initech Deal|Orphan Opportunity|Globex Pilot|Acme Expansion|Acme Renewal")]
    [InlineData("ORDER BY Amount ASC NULLS LAST", "Orphan Opportunity|Globex Pilot|Acme Expansion|Acme Renewal|Initech Deal")]
    [InlineData("ORDER BY Account.Name DESC NULLS FIRST, Name", "Orphan Opportunity|Initech Deal|Globex Pilot|Acme Expansion|Acme Renewal")]
    [InlineData("ORDER BY SystemModstamp DESC", "Orphan Opportunity|Acme Renewal|Acme Expansion|Globex Pilot|Initech Deal")]
    [InlineData("ORDER BY Name LIMIT 2", "Acme Expansion|Acme Renewal")]
    [InlineData("ORDER BY Name LIMIT 2 OFFSET 2", "Globex Pilot|Initech Deal")]
    [InlineData("ORDER BY Name OFFSET 4", "Orphan Opportunity")]
    [InlineData("WHERE IsClosed = false ORDER BY CloseDate DESC LIMIT 1", "Orphan Opportunity")]
    public async Task Query_OrderLimitOffset_ReturnsRecordsInOrder(string clauses, string expected)
    {
        var records = await shared.Org.RecordsAsync(Select + clauses);

        Assert.Equal(expected.Split('|'), records.Select(r => r.GetProperty("Name").GetString()));
    }

    [Fact]
    public async Task Query_DeletedRecord_OnlyQueryAllReturnsIt()
    {
        const string Soql = "SELECT Name FROM Opportunity WHERE IsDeleted = true";

        var viaQuery = await shared.Org.RecordsAsync(Soql);
        var viaQueryAll = await shared.Org.RecordsAsync(Soql, "queryAll");

        Assert.Empty(viaQuery);
        Assert.Equal("Deleted Opportunity", Assert.Single(viaQueryAll).GetProperty("Name").GetString());
    }

    [Fact]
    public async Task Query_CountOnly_AnswersTotalSizeWithoutRecords()
    {
        var result = await shared.Org.QueryAsync("SELECT COUNT() FROM Opportunity WHERE IsClosed = false");

        JsonAssert.SameShape(Responses.Load("count_query.json"), result.Body);
        Assert.Equal(3, result.Body.GetProperty("totalSize").GetInt32());
        Assert.True(result.Body.GetProperty("done").GetBoolean());
        Assert.Equal(0, result.Body.GetProperty("records").GetArrayLength());
    }

    [Fact]
    public async Task Query_PolymorphicWhat_FollowsIdToItsObject()
    {
        var records = await shared.Org.RecordsAsync("SELECT Subject, What.Name FROM Task ORDER BY Subject");

        var whats = records.Select(r => (r.GetProperty("What").GetProperty("attributes").GetProperty("type").GetString(), r.GetProperty("What").GetProperty("Name").GetString()));
        Assert.Equal([("Opportunity", "Acme Expansion"), ("Opportunity", "Acme Renewal"), ("Account", "Acme")], whats);
    }

    [Fact]
    public async Task Query_TwoLevelParentPath_NestsEachParent()
    {
        var record = Assert.Single(await shared.Org.RecordsAsync("SELECT Name, Account.Owner.Name FROM Opportunity WHERE Name = 'Globex Pilot'"));

        Assert.Equal("Bob Seller", record.GetProperty("Account").GetProperty("Owner").GetProperty("Name").GetString());
        Assert.Equal("User", record.GetProperty("Account").GetProperty("Owner").GetProperty("attributes").GetProperty("type").GetString());
    }
}
