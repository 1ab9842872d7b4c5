namespace SfPredictor.Salesforce;

/// <summary>Which Opportunities to read.</summary>
public enum OpportunityScope
{
    /// <summary>IsClosed = false.</summary>
    Open,

    /// <summary>IsClosed = true.</summary>
    Closed,

    /// <summary>Every Opportunity.</summary>
    All,
}

/// <summary>What <see cref="SalesforceOrgReader"/> reads: a set of Opportunities and the records around them.</summary>
public sealed record OrgQuery
{
    /// <summary>Open, closed or all Opportunities.</summary>
    public OpportunityScope Scope { get; init; } = OpportunityScope.Open;

    /// <summary>Only Opportunities whose CloseDate is on or after this date (e.g. a training window).</summary>
    public DateOnly? CloseDateFrom { get; init; }

    /// <summary>Only these Opportunities (15- or 18-character Ids), further filtered by the other settings.</summary>
    public IReadOnlyCollection<string>? OpportunityIds { get; init; }

    /// <summary>More Opportunity fields to select (custom fields); they arrive in <c>Opportunity.Custom</c>.</summary>
    public IReadOnlyList<string> ExtraOpportunityFields { get; init; } = [];

    /// <summary>
    /// More activity fields to select on Tasks and Events (custom fields of the Activity object, such as an
    /// org's own activity type picklist); they arrive in <c>SfTask.Custom</c> and <c>SfEvent.Custom</c>.
    /// </summary>
    public IReadOnlyList<string> ExtraActivityFields { get; init; } = [];

    /// <summary>Read the Opportunities' OpportunityHistory rows.</summary>
    public bool IncludeHistories { get; init; } = true;

    /// <summary>Read Tasks on the Opportunities (WhatId) and on their Accounts (AccountId).</summary>
    public bool IncludeTasks { get; init; } = true;

    /// <summary>Read Events on the Opportunities (WhatId) and on their Accounts (AccountId).</summary>
    public bool IncludeEvents { get; init; } = true;

    /// <summary>Read the Opportunities' Accounts.</summary>
    public bool IncludeAccounts { get; init; } = true;

    /// <summary>Read the Users who own the records read.</summary>
    public bool IncludeUsers { get; init; } = true;

    /// <summary>Read the OpportunityStage definitions.</summary>
    public bool IncludeStages { get; init; } = true;

    /// <summary>Read CurrencyType (multi-currency orgs only; empty otherwise).</summary>
    public bool IncludeCurrencies { get; init; } = true;

    /// <summary>REST or Bulk API 2.0; <see cref="TransferMode.Auto"/> counts first and uses Bulk above <see cref="SalesforceOptions.BulkThreshold"/>.</summary>
    public TransferMode Mode { get; init; } = TransferMode.Auto;

    /// <summary>Every open Opportunity and its surroundings (a full rescore).</summary>
    public static OrgQuery OpenOpportunities() => new();

    /// <summary>Closed Opportunities (closing on or after <paramref name="closeDateFrom"/> when given) for training.</summary>
    public static OrgQuery ClosedOpportunities(DateOnly? closeDateFrom = null) =>
        new() { Scope = OpportunityScope.Closed, CloseDateFrom = closeDateFrom };
}
