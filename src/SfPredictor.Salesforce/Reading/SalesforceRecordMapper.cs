using SfPredictor.Records;

namespace SfPredictor.Salesforce;

/// <summary>
/// Maps flat records (from <see cref="SalesforceClient.QueryAsync"/> or <see cref="SalesforceClient.BulkQueryAsync"/>)
/// to the typed records. Ids become 18 characters; datetimes UTC; other columns of Accounts and
/// Opportunities, and custom (<c>__c</c>) columns of Tasks and Events, go to <c>Custom</c>.
/// Given a <see cref="StringPool"/> (one per read), the values a record keeps as text are shared across its rows.
/// </summary>
/// <exception cref="SalesforceDataException">A value does not fit its field, or a required one is missing.</exception>
internal static class SalesforceRecordMapper
{
    /// <summary>
    /// The longest text value a read's pool shares: subjects (up to 255 characters) repeat too ("Follow-up call"),
    /// and what the worker read stays in memory until its next run, so sharing them pays.
    /// </summary>
    public const int PooledTextLength = 255;

    /// <summary>A pool for one read of records.</summary>
    public static StringPool NewPool() => new(PooledTextLength);

    /// <summary>An Account.</summary>
    public static Account ToAccount(IReadOnlyDictionary<string, string?> row, StringPool? texts = null)
    {
        var r = new RowReader("Account", row, texts);
        return new Account
        {
            Id = r.RecordId(),
            Name = r.Text("Name"),
            Industry = r.Text("Industry"),
            Type = r.Text("Type"),
            AnnualRevenue = r.Decimal("AnnualRevenue"),
            NumberOfEmployees = r.Int("NumberOfEmployees"),
            OwnerId = r.OptionalId("OwnerId"),
            CreatedDate = r.DateTime("CreatedDate") ?? default,
            SystemModstamp = r.DateTime("SystemModstamp") ?? default,
            Custom = r.Custom(SalesforceFields.Account, "SystemModstamp"),
        };
    }

    /// <summary>A User.</summary>
    public static User ToUser(IReadOnlyDictionary<string, string?> row, StringPool? texts = null)
    {
        var r = new RowReader("User", row, texts);
        return new User { Id = r.RecordId(), Name = r.Text("Name"), Title = r.Text("Title"), IsActive = r.Bool("IsActive", whenAbsent: true) };
    }

    /// <summary>An Opportunity.</summary>
    public static Opportunity ToOpportunity(IReadOnlyDictionary<string, string?> row, StringPool? texts = null)
    {
        var r = new RowReader("Opportunity", row, texts);
        return new Opportunity
        {
            Id = r.RecordId(),
            Name = r.Text("Name"),
            AccountId = r.OptionalId("AccountId"),
            OwnerId = r.OptionalId("OwnerId"),
            StageName = r.RequiredText("StageName"),
            Amount = r.Decimal("Amount"),
            CurrencyIsoCode = r.CurrencyCode(SalesforceFields.CurrencyIsoCode),
            Probability = r.Decimal("Probability"),
            CloseDate = r.RequiredDate("CloseDate"),
            Type = r.Text("Type"),
            LeadSource = r.Text("LeadSource"),
            ForecastCategoryName = r.Text("ForecastCategoryName"),
            IsClosed = r.Bool("IsClosed", whenAbsent: false),
            IsWon = r.Bool("IsWon", whenAbsent: false),
            CreatedDate = r.DateTime("CreatedDate") ?? default,
            LastModifiedDate = r.DateTime("LastModifiedDate") ?? default,
            SystemModstamp = r.DateTime("SystemModstamp") ?? default,
            Custom = r.Custom(SalesforceFields.Opportunity, SalesforceFields.CurrencyIsoCode),
        };
    }

    /// <summary>An OpportunityHistory row.</summary>
    public static OpportunityHistory ToOpportunityHistory(IReadOnlyDictionary<string, string?> row, StringPool? texts = null)
    {
        var r = new RowReader("OpportunityHistory", row, texts);
        return new OpportunityHistory
        {
            Id = r.RecordId(),
            OpportunityId = r.Id("OpportunityId"),
            StageName = r.RequiredText("StageName"),
            Amount = r.Decimal("Amount"),
            Probability = r.Decimal("Probability"),
            CloseDate = r.Date("CloseDate"),
            ForecastCategory = r.Text("ForecastCategory"),
            CreatedDate = r.DateTime("CreatedDate") ?? default,
        };
    }

    /// <summary>A Task.</summary>
    public static SfTask ToTask(IReadOnlyDictionary<string, string?> row, StringPool? texts = null)
    {
        var r = new RowReader("Task", row, texts);
        return new SfTask
        {
            Id = r.RecordId(),
            WhatId = r.OptionalId("WhatId"),
            WhoId = r.OptionalId("WhoId"),
            AccountId = r.OptionalId("AccountId"),
            OwnerId = r.OptionalId("OwnerId"),
            Subject = r.Text("Subject"),
            Type = r.Text("Type"),
            TaskSubtype = r.Text("TaskSubtype"),
            Status = r.Text("Status"),
            IsClosed = r.Bool("IsClosed", whenAbsent: false),
            ActivityDate = r.Date("ActivityDate"),
            CompletedDateTime = r.DateTime("CompletedDateTime"),
            CreatedDate = r.DateTime("CreatedDate") ?? default,
            SystemModstamp = r.DateTime("SystemModstamp") ?? default,
            Custom = r.CustomFieldsOnly(),
        };
    }

    /// <summary>An Event.</summary>
    public static SfEvent ToEvent(IReadOnlyDictionary<string, string?> row, StringPool? texts = null)
    {
        var r = new RowReader("Event", row, texts);
        return new SfEvent
        {
            Id = r.RecordId(),
            WhatId = r.OptionalId("WhatId"),
            WhoId = r.OptionalId("WhoId"),
            AccountId = r.OptionalId("AccountId"),
            OwnerId = r.OptionalId("OwnerId"),
            Subject = r.Text("Subject"),
            Type = r.Text("Type"),
            EventSubtype = r.Text("EventSubtype"),
            StartDateTime = r.DateTime("StartDateTime") ?? default,
            EndDateTime = r.DateTime("EndDateTime"),
            CreatedDate = r.DateTime("CreatedDate") ?? default,
            SystemModstamp = r.DateTime("SystemModstamp") ?? default,
            Custom = r.CustomFieldsOnly(),
        };
    }

    /// <summary>An OpportunityStage (named by ApiName, else MasterLabel).</summary>
    public static OpportunityStage ToOpportunityStage(IReadOnlyDictionary<string, string?> row, StringPool? texts = null)
    {
        var r = new RowReader("OpportunityStage", row, texts);
        return new OpportunityStage
        {
            Name = r.Text("ApiName") ?? r.RequiredText("MasterLabel"),
            SortOrder = r.Int("SortOrder") ?? 0,
            DefaultProbability = r.Decimal("DefaultProbability"),
            IsClosed = r.Bool("IsClosed", whenAbsent: false),
            IsWon = r.Bool("IsWon", whenAbsent: false),
            IsActive = r.Bool("IsActive", whenAbsent: true),
        };
    }

    /// <summary>A CurrencyType.</summary>
    public static CurrencyType ToCurrencyType(IReadOnlyDictionary<string, string?> row, StringPool? texts = null)
    {
        var r = new RowReader("CurrencyType", row, texts);
        return new CurrencyType
        {
            IsoCode = r.CurrencyCode("IsoCode") ?? throw new SalesforceDataException("CurrencyType: field IsoCode is missing or empty."),
            ConversionRate = r.Decimal("ConversionRate") ?? 1m,
            IsCorporate = r.Bool("IsCorporate", whenAbsent: false),
            IsActive = r.Bool("IsActive", whenAbsent: true),
        };
    }
}
