using System.Text.Json;

namespace SfPredictor.Salesforce.Tests.Reading;

public sealed class RecordMapperTests
{
    private const string RestOpportunity = """
        {
          "attributes": { "type": "Opportunity", "url": "/services/data/v62.0/sobjects/Opportunity/0065g00000AbCdEAAV" },
          "Id": "0065g00000AbCdEAAV",
          "Name": "Acme - 200 Widgets",
          "AccountId": "0015g00000XyZaB",
          "OwnerId": "0055g00000AbCdE",
          "StageName": "Needs Analysis",
          "Amount": 15000.0,
          "Probability": 20,
          "CloseDate": "2024-09-30",
          "IsClosed": false,
          "IsWon": false,
          "CreatedDate": "2024-01-10T09:00:00.000+0000",
          "LastModifiedDate": "2024-05-01T12:00:00.000+0200",
          "SystemModstamp": "2024-05-01T10:00:00.000+0000",
          "Region__c": "EMEA",
          "Account": { "attributes": { "type": "Account" }, "Industry": "Manufacturing" },
          "Type": null
        }
        """;

    [Fact]
    public void ToOpportunity_RestRecord_MapsTypesIdsTimesAndCustomFields()
    {
        var opportunity = SalesforceRecordMapper.ToOpportunity(JsonRecords.Flatten(JsonDocument.Parse(RestOpportunity).RootElement));

        Assert.Equal("0065g00000AbCdEAAV", opportunity.Id);
        Assert.Equal("0015g00000XyZaBAAV", opportunity.AccountId);
        Assert.Equal("0055g00000AbCdEAAV", opportunity.OwnerId);
        Assert.Equal((15000m, 20m), (opportunity.Amount, opportunity.Probability));
        Assert.Equal(new DateOnly(2024, 9, 30), opportunity.CloseDate);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero), opportunity.LastModifiedDate);
        Assert.Equal(TimeSpan.Zero, opportunity.LastModifiedDate.Offset);
        Assert.Null(opportunity.Type);
        Assert.Equal(new Dictionary<string, string?> { ["Region__c"] = "EMEA", ["Account.Industry"] = "Manufacturing" }, opportunity.Custom);
    }

    [Fact]
    public async Task ToOpportunity_BulkCsvRowOfTheSameRecord_GivesTheSameRecord()
    {
        var rest = SalesforceRecordMapper.ToOpportunity(JsonRecords.Flatten(JsonDocument.Parse(RestOpportunity).RootElement));
        var csv = "Id,Name,AccountId,OwnerId,StageName,Amount,Probability,CloseDate,IsClosed,IsWon,CreatedDate,LastModifiedDate,SystemModstamp,Region__c,Account.Industry,Type\n" +
                  "\"0065g00000AbCdEAAV\",\"Acme - 200 Widgets\",\"0015g00000XyZaBAAV\",\"0055g00000AbCdEAAV\",\"Needs Analysis\",\"15000.0\",\"20\",\"2024-09-30\"," +
                  "\"false\",\"false\",\"2024-01-10T09:00:00.000Z\",\"2024-05-01T10:00:00.000Z\",\"2024-05-01T10:00:00.000Z\",\"EMEA\",\"Manufacturing\",\"\"\n";

        using var body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv));
        var rows = await SfPredictor.Salesforce.Bulk.BulkCsv.ReadRowsAsync(body, "test").ToListAsync();
        var bulk = SalesforceRecordMapper.ToOpportunity(Assert.Single(rows));

        Assert.Equal(rest with { Custom = EmptyFields() }, bulk with { Custom = EmptyFields() });
        Assert.Equal(rest.Custom, bulk.Custom);
    }

    [Fact]
    public void ToTask_RowsReadWithOnePool_ShareTheTextsTheyKeep()
    {
        Dictionary<string, string?> Row(string id) => new()
        {
            ["Id"] = id,
            ["WhatId"] = "0065g00000AbCdEAAV",
            ["Subject"] = string.Concat("Follow-up ", "call"),
            ["Status"] = string.Concat("Com", "pleted"),
            ["CreatedDate"] = "2024-05-01T10:00:00.000+0000",
            ["Channel__c"] = string.Concat("Phone", ""),
        };
        var texts = SalesforceRecordMapper.NewPool();

        var first = SalesforceRecordMapper.ToTask(Row("00T5g00000AbCdE"), texts);
        var second = SalesforceRecordMapper.ToTask(Row("00T5g00000AbCdF"), texts);

        Assert.Same(first.Subject, second.Subject);
        Assert.Same(first.Status, second.Status);
        Assert.Same(first.WhatId, second.WhatId);
        Assert.Same(first.Custom["Channel__c"], second.Custom["Channel__c"]);
        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public void ToTask_WithoutPool_KeepsTheRowsOwnStrings()
    {
        var subject = string.Concat("Follow-up ", "call");
        var row = new Dictionary<string, string?> { ["Id"] = "00T5g00000AbCdEAAA", ["Subject"] = subject, ["CreatedDate"] = "2024-05-01T10:00:00.000+0000" };

        Assert.Same(subject, SalesforceRecordMapper.ToTask(row).Subject);
    }

    private static IReadOnlyDictionary<string, string?> EmptyFields() => SfPredictor.Records.EmptyFields.Instance;

    [Theory]
    [InlineData("CloseDate", "2024-13-01", "field CloseDate has '2024-13-01', which is not a date")]
    [InlineData("Amount", "lots", "field Amount has 'lots', which is not a number")]
    [InlineData("IsClosed", "yes", "field IsClosed has 'yes', which is not a boolean")]
    [InlineData("OwnerId", "005' OR 1=1", "field OwnerId has '005' OR 1=1', which is not a Salesforce Id")]
    [InlineData("SystemModstamp", "yesterday", "field SystemModstamp has 'yesterday', which is not a datetime")]
    [InlineData("StageName", null, "field StageName is missing or empty")]
    [InlineData("CurrencyIsoCode", "EURO", "field CurrencyIsoCode has 'EURO', which is not a currency code")]
    public void ToOpportunity_BadValue_ThrowsNamingRecordAndField(string field, string? value, string expected)
    {
        var row = new Dictionary<string, string?>(JsonRecords.Flatten(JsonDocument.Parse(RestOpportunity).RootElement)) { [field] = value };

        var error = Assert.Throws<SalesforceDataException>(() => SalesforceRecordMapper.ToOpportunity(row));

        Assert.StartsWith("Opportunity 0065g00000AbCdEAAV: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToOpportunity_DataExportForms_ReadAsTheApiForms()
    {
        // The same record values as a Data Export writes them: one parser for every source reads both alike.
        var rest = SalesforceRecordMapper.ToOpportunity(JsonRecords.Flatten(JsonDocument.Parse(RestOpportunity).RootElement));
        var row = new Dictionary<string, string?>(JsonRecords.Flatten(JsonDocument.Parse(RestOpportunity).RootElement))
        {
            ["IsClosed"] = "0", ["IsWon"] = "0", ["CreatedDate"] = "2024-01-10 09:00:00",
            ["LastModifiedDate"] = "2024-05-01 10:00:00", ["SystemModstamp"] = "2024-05-01 10:00:00",
        };

        Assert.Equal(rest, SalesforceRecordMapper.ToOpportunity(row) with { Custom = rest.Custom });
    }

    [Fact]
    public void ToTask_RowWith15CharacterIds_NormalizesThemAndReadsDates()
    {
        var task = SalesforceRecordMapper.ToTask(new Dictionary<string, string?>
        {
            ["Id"] = "00T5g00000AbCdE", ["WhatId"] = "0065g00000AbCdE", ["IsClosed"] = "true", ["ActivityDate"] = "2024-04-02",
            ["CompletedDateTime"] = "2024-04-02T15:30:00.000+0000", ["TaskSubtype"] = "Call",
        });

        Assert.Equal(("00T5g00000AbCdEEAV", "0065g00000AbCdEAAV"), (task.Id, task.WhatId));
        Assert.True(task.IsClosed);
        Assert.Equal(new DateOnly(2024, 4, 2), task.ActivityDate);
        Assert.Equal(new DateTimeOffset(2024, 4, 2, 15, 30, 0, TimeSpan.Zero), task.CompletedDateTime);
        Assert.Null(task.WhoId);
    }

    [Fact]
    public void ToOpportunityStage_WithoutApiName_UsesMasterLabel() =>
        Assert.Equal("Negotiation/Review", SalesforceRecordMapper.ToOpportunityStage(new Dictionary<string, string?> { ["MasterLabel"] = "Negotiation/Review", ["SortOrder"] = "5" }).Name);
}
