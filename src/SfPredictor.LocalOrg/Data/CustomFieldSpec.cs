namespace SfPredictor.LocalOrg.Data;

/// <summary>One <see cref="LocalOrgOptions.CustomFields"/> entry: <c>Object.Field__c:type</c>.</summary>
internal sealed record CustomFieldSpec(string ObjectName, string FieldName, FieldType Type)
{
    public static bool TryParse(string? text, out CustomFieldSpec spec, out string problem)
    {
        spec = null!;
        problem = string.Empty;
        var colon = text?.LastIndexOf(':') ?? -1;
        var dot = text?.IndexOf('.') ?? -1;
        if (text is null || dot <= 0 || colon < dot + 2)
        {
            problem = "expected Object.Field__c:type, e.g. Opportunity.SfP_Win_Probability__c:percent.";
            return false;
        }

        var objectName = text[..dot].Trim();
        var fieldName = text[(dot + 1)..colon].Trim();
        var typeName = text[(colon + 1)..].Trim();
        if (!ApiNames.IsValid(objectName) || !ApiNames.IsValid(fieldName))
        {
            problem = "object and field must be API names (letters, digits, underscores).";
            return false;
        }

        if (!FieldTypes.TryParseApiName(typeName, out var type) || type == FieldType.Id)
        {
            problem = $"unknown type '{typeName}'; use string, textarea, picklist, boolean, int, double, currency, percent, date, datetime or reference.";
            return false;
        }

        spec = new CustomFieldSpec(objectName, fieldName, type);
        return true;
    }
}

/// <summary>Salesforce API names: a letter, then letters, digits and underscores.</summary>
internal static class ApiNames
{
    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name) && char.IsAsciiLetter(name[0])
        && name.AsSpan().IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") < 0;

    /// <summary>A label from an API name: <c>SfP_Win_Probability__c</c> gives <c>SfP Win Probability</c>.</summary>
    public static string Label(string name)
    {
        var core = name.EndsWith("__c", StringComparison.OrdinalIgnoreCase) ? name[..^3] : name;
        return core.Replace('_', ' ').Trim();
    }
}
