namespace SfPredictor.LocalOrg.Data;

/// <summary>
/// One <see cref="LocalOrgOptions.CustomFields"/> entry: <c>Object.Field__c:type</c>, with an optional
/// size: <c>string(20)</c>, <c>textarea(1000)</c>, <c>percent(5,2)</c> (precision, scale).
/// </summary>
internal sealed record CustomFieldSpec(string ObjectName, string FieldName, FieldType Type, int? Length = null, (int Precision, int Scale)? Number = null)
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
        int? length = null;
        (int, int)? number = null;
        var open = typeName.IndexOf('(', StringComparison.Ordinal);
        if (open > 0)
        {
            var size = typeName.EndsWith(')') ? typeName[(open + 1)..^1].Split(',') : [];
            typeName = typeName[..open].Trim();
            var ints = size.Select(s => int.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : -1).ToArray();
            if (ints is [> 0 and <= 131_072 and var l])
            {
                length = l;
            }
            else if (ints is [> 0 and <= 18 and var p, >= 0 and var s] && s <= p)
            {
                number = (p, s);
            }
            else
            {
                problem = "the size in brackets must be a length (string(20)) or precision and scale (percent(5,2)).";
                return false;
            }
        }

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

        spec = new CustomFieldSpec(objectName, fieldName, type, length, number);
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
