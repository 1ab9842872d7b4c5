namespace SfPredictor.Salesforce;

/// <summary>The fields read for each object: the one place the queries and the record mapping take them from.</summary>
internal static class SalesforceFields
{
    /// <summary>
    /// Opportunity.CurrencyIsoCode (and Account.CurrencyIsoCode) exist only in multi-currency orgs, so they are
    /// selected only there.
    /// </summary>
    public const string CurrencyIsoCode = "CurrencyIsoCode";

    /// <summary>Account fields.</summary>
    public static IReadOnlyList<string> Account { get; } =
        ["Id", "Name", "Industry", "Type", "AnnualRevenue", "NumberOfEmployees", "OwnerId", "CreatedDate"];

    /// <summary>User fields.</summary>
    public static IReadOnlyList<string> User { get; } = ["Id", "Name", "Title", "IsActive"];

    /// <summary>Opportunity fields (plus <see cref="CurrencyIsoCode"/> in multi-currency orgs).</summary>
    public static IReadOnlyList<string> Opportunity { get; } =
    [
        "Id", "Name", "AccountId", "OwnerId", "StageName", "Amount", "Probability", "CloseDate", "Type", "LeadSource",
        "ForecastCategoryName", "IsClosed", "IsWon", "CreatedDate", "LastModifiedDate", "SystemModstamp",
    ];

    /// <summary>OpportunityHistory fields.</summary>
    public static IReadOnlyList<string> OpportunityHistory { get; } =
        ["Id", "OpportunityId", "StageName", "Amount", "Probability", "CloseDate", "ForecastCategory", "CreatedDate"];

    /// <summary>Task fields.</summary>
    public static IReadOnlyList<string> Task { get; } =
    [
        "Id", "WhatId", "WhoId", "AccountId", "OwnerId", "Subject", "Type", "TaskSubtype", "Status", "IsClosed",
        "ActivityDate", "CompletedDateTime", "CreatedDate", "SystemModstamp",
    ];

    /// <summary>Event fields.</summary>
    public static IReadOnlyList<string> Event { get; } =
    [
        "Id", "WhatId", "WhoId", "AccountId", "OwnerId", "Subject", "Type", "EventSubtype", "StartDateTime", "EndDateTime",
        "CreatedDate", "SystemModstamp",
    ];

    /// <summary>OpportunityStage fields.</summary>
    public static IReadOnlyList<string> OpportunityStage { get; } =
        ["ApiName", "MasterLabel", "SortOrder", "DefaultProbability", "IsClosed", "IsWon", "IsActive"];

    /// <summary>CurrencyType fields.</summary>
    public static IReadOnlyList<string> CurrencyType { get; } = ["IsoCode", "ConversionRate", "IsCorporate", "IsActive"];
}
