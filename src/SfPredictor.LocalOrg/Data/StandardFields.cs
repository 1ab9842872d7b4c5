namespace SfPredictor.LocalOrg.Data;

/// <summary>
/// What the local org knows of standard fields by name: their type when the values alone cannot tell
/// (a picklist, a currency) and whether Salesforce lets an API user write them.
/// </summary>
internal static class StandardFields
{
    private static readonly Dictionary<string, FieldType> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Amount"] = FieldType.Currency,
        ["ExpectedRevenue"] = FieldType.Currency,
        ["AnnualRevenue"] = FieldType.Currency,
        ["Probability"] = FieldType.Percent,
        ["DefaultProbability"] = FieldType.Percent,
        ["NumberOfEmployees"] = FieldType.Int,
        ["DurationInMinutes"] = FieldType.Int,
        ["SortOrder"] = FieldType.Int,
        ["FiscalYear"] = FieldType.Int,
        ["FiscalQuarter"] = FieldType.Int,
        ["ConversionRate"] = FieldType.Double,
        ["CloseDate"] = FieldType.Date,
        ["ActivityDate"] = FieldType.Date,
        ["LastActivityDate"] = FieldType.Date,
        ["CreatedDate"] = FieldType.DateTime,
        ["LastModifiedDate"] = FieldType.DateTime,
        ["SystemModstamp"] = FieldType.DateTime,
        ["LastViewedDate"] = FieldType.DateTime,
        ["LastReferencedDate"] = FieldType.DateTime,
        ["CompletedDateTime"] = FieldType.DateTime,
        ["StartDateTime"] = FieldType.DateTime,
        ["EndDateTime"] = FieldType.DateTime,
        ["ActivityDateTime"] = FieldType.DateTime,
        ["StageName"] = FieldType.Picklist,
        ["Type"] = FieldType.Picklist,
        ["LeadSource"] = FieldType.Picklist,
        ["ForecastCategory"] = FieldType.Picklist,
        ["ForecastCategoryName"] = FieldType.Picklist,
        ["Industry"] = FieldType.Picklist,
        ["Rating"] = FieldType.Picklist,
        ["Status"] = FieldType.Picklist,
        ["Priority"] = FieldType.Picklist,
        ["TaskSubtype"] = FieldType.Picklist,
        ["EventSubtype"] = FieldType.Picklist,
        ["CurrencyIsoCode"] = FieldType.Picklist,
        ["Description"] = FieldType.TextArea,
    };

    // System fields, formula and roll-up fields: Salesforce rejects writes to them with INVALID_FIELD_FOR_INSERT_UPDATE.
    private static readonly HashSet<string> ReadOnly = new(StringComparer.OrdinalIgnoreCase)
    {
        "Id", "IsDeleted", "IsClosed", "IsWon", "IsArchived", "CreatedDate", "CreatedById", "LastModifiedDate",
        "LastModifiedById", "SystemModstamp", "LastActivityDate", "LastViewedDate", "LastReferencedDate",
        "ExpectedRevenue", "FiscalYear", "FiscalQuarter", "Fiscal", "HasOpportunityLineItem", "HasOpenActivity",
        "HasOverdueTask", "PushCount", "LastStageChangeDate", "AgeInDays",
    };

    private static readonly Dictionary<string, string> KeyPrefixes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Account"] = "001", ["Opportunity"] = "006", ["User"] = "005", ["Task"] = "00T", ["Event"] = "00U", ["OpportunityHistory"] = "008",
    };

    public static bool TryGetType(string field, out FieldType type) => Types.TryGetValue(field, out type);

    /// <summary>The key prefix Salesforce gives a standard object's Ids, for a record created in an empty table.</summary>
    public static string? KeyPrefix(string objectName) => KeyPrefixes.GetValueOrDefault(objectName);

    /// <summary>Whether API users may create and delete the object's records: not history, which Salesforce writes itself.</summary>
    public static bool IsCreateable(string objectName) =>
        !objectName.EndsWith("History", StringComparison.OrdinalIgnoreCase) && !objectName.Equals("OpportunityStage", StringComparison.OrdinalIgnoreCase)
        && !objectName.Equals("CurrencyType", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether an API user may update the field. History objects (OpportunityHistory, ...) are written
    /// only by Salesforce itself.
    /// </summary>
    public static bool IsUpdateable(string objectName, string field) =>
        !ReadOnly.Contains(field) && !objectName.EndsWith("History", StringComparison.OrdinalIgnoreCase);
}
