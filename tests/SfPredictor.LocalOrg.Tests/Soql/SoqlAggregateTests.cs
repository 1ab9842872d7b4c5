using System.Net;
using System.Text.Json;
using SfPredictor.LocalOrg.Tests.Infrastructure;

namespace SfPredictor.LocalOrg.Tests.Soql;

/// <summary>Aggregates, GROUP BY, FIELDS() and toLabel() over the sample org, and honest refusals of what the local org lacks.</summary>
public sealed class SoqlAggregateTests(SharedOrg shared) : IClassFixture<SharedOrg>
{
    [Fact]
    public async Task Query_CountOfField_AnswersOneAggregateResult()
    {
        var record = Assert.Single(await shared.Org.RecordsAsync("SELECT COUNT(Id) FROM Opportunity"));

        Assert.Equal("AggregateResult", record.GetProperty("attributes").GetProperty("type").GetString());
        Assert.Equal(5, record.GetProperty("expr0").GetInt32());
    }

    [Fact]
    public async Task Query_GroupByWithAggregates_AnswersOneRecordPerGroup()
    {
        var records = await shared.Org.RecordsAsync(
            "SELECT StageName, COUNT(Id) n, SUM(Amount) total, MAX(CloseDate), MIN(Name) FROM Opportunity WHERE IsClosed = false GROUP BY StageName ORDER BY StageName DESC");

        Assert.Equal(
            ["Qualification|1|50|2025-06-30|Orphan Opportunity", "Prospecting|1|1500|2025-04-15|Acme Expansion", "Negotiation/Review|1|250000|2025-03-20|Acme Renewal"],
            records.Select(r => $"{r.GetProperty("StageName").GetString()}|{r.GetProperty("n").GetInt32()}|{r.GetProperty("total").GetDecimal()}|{r.GetProperty("expr0").GetString()}|{r.GetProperty("expr1").GetString()}"));
    }

    [Fact]
    public async Task Query_AvgAndCountDistinctWithoutGroups_AnswerOverAllRows()
    {
        var record = Assert.Single(await shared.Org.RecordsAsync("SELECT AVG(Amount) average, COUNT_DISTINCT(AccountId) accounts, MIN(Amount) FROM Opportunity"));

        Assert.Equal(63112.5m, record.GetProperty("average").GetDecimal());
        Assert.Equal(3, record.GetProperty("accounts").GetInt32());
        Assert.Equal(50m, record.GetProperty("expr0").GetDecimal());
    }

    [Fact]
    public async Task Query_FieldsStandardAndToLabel_AnswerEveryStandardFieldAndTheValue()
    {
        var record = Assert.Single(await shared.Org.RecordsAsync($"SELECT FIELDS(STANDARD) FROM Opportunity WHERE Id = '{SampleExport.AcmeExpansion}'"));
        var labelled = Assert.Single(await shared.Org.RecordsAsync($"SELECT toLabel(StageName) FROM Opportunity WHERE Id = '{SampleExport.AcmeExpansion}'"));
        var all = await shared.Org.RecordsAsync("SELECT FIELDS(ALL) FROM Opportunity LIMIT 2");

        Assert.Equal("Acme Expansion", record.GetProperty("Name").GetString());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("NextStep").ValueKind);
        Assert.False(record.TryGetProperty("Score__c", out _));
        Assert.Equal("Prospecting", labelled.GetProperty("StageName").GetString());
        Assert.Equal(2, all.Count);
        Assert.True(all[0].TryGetProperty("Score__c", out _));
    }

    [Theory]
    [InlineData("SELECT FIELDS(ALL) FROM Opportunity", "LIMIT of at most 200")]
    [InlineData("SELECT COUNT(Id) FROM Opportunity HAVING COUNT(Id) > 1", "HAVING needs a GROUP BY clause")]
    [InlineData("SELECT StageName, COUNT(Id) FROM Opportunity GROUP BY StageName HAVING Name = 'x'", "Field must be grouped or aggregated: Name")]
    [InlineData("SELECT StageName FROM Opportunity WHERE COUNT(Id) > 1 GROUP BY StageName", "aggregate functions belong in the SELECT list and HAVING only")]
    [InlineData("SELECT StageName FROM Opportunity GROUP BY StageName HAVING SUM(Name) > 1", "does not support aggregate operator SUM")]
    [InlineData("SELECT CALENDAR_YEAR(CloseDate) FROM Opportunity", "Field must be grouped or aggregated: CALENDAR_YEAR(CloseDate)")]
    [InlineData("SELECT CALENDAR_YEAR(Name), COUNT(Id) FROM Opportunity GROUP BY CALENDAR_YEAR(Name)", "Date function CALENDAR_YEAR() is not supported on field Name")]
    [InlineData("SELECT Name, COUNT(Id) FROM Opportunity", "Field must be grouped or aggregated: Name")]
    [InlineData("SELECT SUM(Name) FROM Opportunity", "does not support aggregate operator SUM")]
    [InlineData("SELECT Id, (SELECT Id, (SELECT Id FROM Tasks) FROM Opportunities) FROM Account", "Nested subqueries are not supported")]
    [InlineData("SELECT FORMAT(Amount) FROM Opportunity", "does not support the function FORMAT")]
    public async Task Query_Unsupported_IsMalformedQueryNamingWhat(string soql, string expected)
    {
        var result = await shared.Org.QueryAsync(soql);

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("MALFORMED_QUERY", result.Body[0].GetProperty("errorCode").GetString());
        Assert.Contains(expected, result.Body[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_ChildSubqueries_NestChildRecordsUnderEachParent()
    {
        var opportunities = await shared.Org.RecordsAsync(
            "SELECT Name, (SELECT Subject FROM Tasks WHERE IsClosed = true ORDER BY Subject DESC LIMIT 5) FROM Opportunity WHERE Id IN ('" + SampleExport.AcmeExpansion + "', '" + SampleExport.GlobexPilot + "') ORDER BY Name");
        var accounts = await shared.Org.RecordsAsync("SELECT Name, (SELECT Name FROM Opportunities ORDER BY Name), (SELECT Subject FROM Tasks) FROM Account WHERE Name = 'Acme'");

        var tasks = opportunities[0].GetProperty("Tasks");
        Assert.Equal((1, true), (tasks.GetProperty("totalSize").GetInt32(), tasks.GetProperty("done").GetBoolean()));
        Assert.Equal("Call about pricing", tasks.GetProperty("records")[0].GetProperty("Subject").GetString());
        Assert.Equal("Task", tasks.GetProperty("records")[0].GetProperty("attributes").GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, opportunities[1].GetProperty("Tasks").ValueKind);
        var acme = Assert.Single(accounts);
        Assert.Equal(["Acme Expansion", "Acme Renewal"], acme.GetProperty("Opportunities").GetProperty("records").EnumerateArray().Select(r => r.GetProperty("Name").GetString()));
        Assert.Equal("Email follow-up", acme.GetProperty("Tasks").GetProperty("records")[0].GetProperty("Subject").GetString());
    }

    [Fact]
    public async Task Query_UnknownChildRelationship_IsInvalidType()
    {
        var result = await shared.Org.QueryAsync("SELECT Id, (SELECT Id FROM Nopes) FROM Opportunity");

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("INVALID_TYPE", result.Body[0].GetProperty("errorCode").GetString());
        Assert.Contains("Didn't understand relationship 'Nopes'", result.Body[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
