namespace SfPredictor.LocalOrg.Data;

/// <summary>What describe says of a field: its type and size, and whether it may be null or written.</summary>
/// <param name="Name">API name.</param>
/// <param name="Type">Type.</param>
/// <param name="Length">Characters for text types; 0 otherwise.</param>
/// <param name="Precision">Digits in all for numbers; 0 otherwise.</param>
/// <param name="Scale">Digits after the point for numbers.</param>
/// <param name="Nillable">Whether the field may be empty.</param>
/// <param name="Updateable">Whether an API user may write it.</param>
/// <param name="RestrictedValues">For a restricted picklist, the values it takes; null otherwise.</param>
internal sealed record FieldSpec(string Name, FieldType Type, int Length, int Precision, int Scale, bool Nillable, bool Updateable, IReadOnlyList<string>? RestrictedValues = null)
{
    /// <summary>The size of a field known only by its type (an exported column no catalog names, or a configured custom field).</summary>
    public static FieldSpec ForType(string name, FieldType type, bool updateable, int? length = null, (int Precision, int Scale)? number = null)
    {
        var (precision, scale) = number ?? type switch
        {
            FieldType.Currency => (18, 2),
            FieldType.Percent => (18, 2),
            FieldType.Double => (18, 6),
            FieldType.Int => (9, 0),
            _ => (0, 0),
        };
        var size = length ?? type switch
        {
            FieldType.Id or FieldType.Reference => 18,
            FieldType.TextArea => 131_072,
            FieldType.String or FieldType.Picklist => 255,
            _ => 0,
        };
        return new FieldSpec(name, type, size, precision, scale, type is not (FieldType.Id or FieldType.Boolean), updateable);
    }
}

/// <summary>
/// The standard fields of the objects SfPredictor reads, as a real org's describe gives them, so that
/// describe, queries and writes know every one of them whether or not the export has its column.
/// </summary>
internal static class StandardObjects
{
    // Restricted picklists whose values are fixed by Salesforce itself.
    private static readonly string[] ForecastCategories = ["Omitted", "Pipeline", "Best Case", "Commit", "Closed"];

    // name:type[:length or precision,scale][!] — ! marks a required (not nillable) field; read-only
    // fields are those StandardFields.IsUpdateable refuses.
    private static readonly Dictionary<string, string[]> Specs = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Opportunity"] =
        [
            "Id:id", "IsDeleted:boolean", "AccountId:reference", "IsPrivate:boolean", "Name:string:120!", "Description:textarea:32000",
            "StageName:picklist:255!", "Amount:currency:18,2", "Probability:percent:3,0", "ExpectedRevenue:currency:18,2",
            "TotalOpportunityQuantity:double:18,2", "CloseDate:date!", "Type:picklist:255", "NextStep:string:255", "LeadSource:picklist:255",
            "IsClosed:boolean", "IsWon:boolean", "ForecastCategory:picklist:40", "ForecastCategoryName:picklist:255", "CurrencyIsoCode:picklist:3",
            "CampaignId:reference", "HasOpportunityLineItem:boolean", "Pricebook2Id:reference", "OwnerId:reference", "CreatedDate:datetime",
            "CreatedById:reference", "LastModifiedDate:datetime", "LastModifiedById:reference", "SystemModstamp:datetime", "LastActivityDate:date",
            "PushCount:int:9,0", "LastStageChangeDate:datetime", "FiscalQuarter:int:9,0", "FiscalYear:int:9,0", "Fiscal:string:6", "ContactId:reference",
            "LastViewedDate:datetime", "LastReferencedDate:datetime", "HasOpenActivity:boolean", "HasOverdueTask:boolean",
            "LastAmountChangedHistoryId:reference", "LastCloseDateChangedHistoryId:reference",
        ],
        ["Account"] =
        [
            "Id:id", "IsDeleted:boolean", "MasterRecordId:reference", "Name:string:255!", "Type:picklist:255", "ParentId:reference",
            "BillingStreet:textarea:255", "BillingCity:string:40", "BillingState:string:80", "BillingPostalCode:string:20", "BillingCountry:string:80",
            "BillingLatitude:double:18,15", "BillingLongitude:double:18,15", "ShippingStreet:textarea:255", "ShippingCity:string:40",
            "ShippingState:string:80", "ShippingPostalCode:string:20", "ShippingCountry:string:80", "Phone:string:40", "Fax:string:40",
            "AccountNumber:string:40", "Website:string:255", "PhotoUrl:string:255", "Sic:string:20", "Industry:picklist:255",
            "AnnualRevenue:currency:18,0", "NumberOfEmployees:int:8,0", "Ownership:picklist:255", "TickerSymbol:string:20",
            "Description:textarea:32000", "Rating:picklist:255", "Site:string:80", "CurrencyIsoCode:picklist:3", "OwnerId:reference",
            "CreatedDate:datetime", "CreatedById:reference", "LastModifiedDate:datetime", "LastModifiedById:reference", "SystemModstamp:datetime",
            "LastActivityDate:date", "LastViewedDate:datetime", "LastReferencedDate:datetime", "Jigsaw:string:20", "AccountSource:picklist:255",
            "SicDesc:string:80",
        ],
        ["Task"] =
        [
            "Id:id", "WhoId:reference", "WhatId:reference", "Subject:string:255", "ActivityDate:date", "Status:picklist:255!", "Priority:picklist:255!",
            "IsHighPriority:boolean", "OwnerId:reference", "Description:textarea:32000", "CurrencyIsoCode:picklist:3", "Type:picklist:255",
            "IsDeleted:boolean", "AccountId:reference", "IsClosed:boolean", "CreatedDate:datetime", "CreatedById:reference",
            "LastModifiedDate:datetime", "LastModifiedById:reference", "SystemModstamp:datetime", "IsArchived:boolean",
            "CallDurationInSeconds:int:9,0", "CallType:picklist:40", "CallDisposition:string:255", "CallObject:string:255",
            "ReminderDateTime:datetime", "IsReminderSet:boolean", "RecurrenceActivityId:reference", "IsRecurrence:boolean",
            "TaskSubtype:picklist:40", "CompletedDateTime:datetime",
        ],
        ["Event"] =
        [
            "Id:id", "WhoId:reference", "WhatId:reference", "Subject:string:255", "Location:string:255", "IsAllDayEvent:boolean",
            "ActivityDateTime:datetime", "ActivityDate:date", "DurationInMinutes:int:9,0", "StartDateTime:datetime", "EndDateTime:datetime",
            "EndDate:date", "Description:textarea:32000", "AccountId:reference", "OwnerId:reference", "CurrencyIsoCode:picklist:3",
            "Type:picklist:255", "IsPrivate:boolean", "ShowAs:picklist:40", "IsDeleted:boolean", "IsChild:boolean", "IsGroupEvent:boolean",
            "GroupEventType:picklist:40", "CreatedDate:datetime", "CreatedById:reference", "LastModifiedDate:datetime",
            "LastModifiedById:reference", "SystemModstamp:datetime", "IsArchived:boolean", "IsVisibleInSelfService:boolean",
            "IsRecurrence:boolean", "ReminderDateTime:datetime", "IsReminderSet:boolean", "EventSubtype:picklist:40",
        ],
        ["OpportunityHistory"] =
        [
            "Id:id", "OpportunityId:reference!", "CreatedById:reference", "CreatedDate:datetime", "StageName:picklist:255!",
            "Amount:currency:18,2", "ExpectedRevenue:currency:18,2", "CloseDate:date", "Probability:percent:3,0",
            "ForecastCategory:picklist:40", "CurrencyIsoCode:picklist:3", "SystemModstamp:datetime", "IsDeleted:boolean",
            "PrevAmount:currency:18,2", "PrevCloseDate:date", "ValidToDate:datetime",
        ],
        ["User"] =
        [
            "Id:id", "Username:string:80!", "LastName:string:80!", "FirstName:string:40", "Name:string:121", "CompanyName:string:80",
            "Division:string:80", "Department:string:80", "Title:string:80", "Email:string:128!", "Alias:string:8!", "IsActive:boolean",
            "TimeZoneSidKey:picklist:40!", "LocaleSidKey:picklist:40!", "EmailEncodingKey:picklist:40!", "ProfileId:reference!",
            "UserRoleId:reference", "LanguageLocaleKey:picklist:40!", "ManagerId:reference", "UserType:picklist:40", "CurrencyIsoCode:picklist:3",
            "CreatedDate:datetime", "CreatedById:reference", "LastModifiedDate:datetime", "LastModifiedById:reference", "SystemModstamp:datetime",
            "LastLoginDate:datetime",
        ],
    };

    private static readonly Dictionary<string, Dictionary<string, FieldSpec>> Catalog = Specs.ToDictionary(
        o => o.Key,
        o => o.Value.Select(spec => Parse(o.Key, spec)).ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase),
        StringComparer.OrdinalIgnoreCase);

    /// <summary>The standard fields of an object, in describe order; empty for an object the catalog lacks.</summary>
    public static IEnumerable<FieldSpec> Fields(string objectName) =>
        Specs.TryGetValue(objectName, out var specs) ? specs.Select(s => Catalog[objectName][s[..s.IndexOf(':')]]) : [];

    public static FieldSpec? Find(string objectName, string field) =>
        Catalog.TryGetValue(objectName, out var fields) ? fields.GetValueOrDefault(field) : null;

    /// <summary>Picklists whose values Salesforce fixes (<c>ForecastCategoryName</c>); others take their values from the data.</summary>
    public static IReadOnlyList<string>? FixedValues(string field) =>
        field.Equals("ForecastCategoryName", StringComparison.OrdinalIgnoreCase) ? ForecastCategories : null;

    private static FieldSpec Parse(string objectName, string spec)
    {
        var required = spec.EndsWith('!');
        var parts = spec.TrimEnd('!').Split(':');
        var type = FieldTypes.TryParseApiName(parts[1], out var parsed) ? parsed : throw new InvalidOperationException($"Unknown type in '{spec}'.");
        int? length = null;
        (int, int)? number = null;
        if (parts.Length > 2)
        {
            var size = parts[2].Split(',');
            if (size.Length == 2)
            {
                number = (int.Parse(size[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(size[1], System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                length = int.Parse(size[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        var field = FieldSpec.ForType(parts[0], type, StandardFields.IsUpdateable(objectName, parts[0]), length, number);
        return field with { Nillable = field.Nillable && !required };
    }
}
