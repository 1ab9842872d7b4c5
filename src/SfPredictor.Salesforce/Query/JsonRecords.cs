using System.Text.Json;

namespace SfPredictor.Salesforce;

/// <summary>Flattens a REST query record into field name → raw text, the shape Bulk CSV rows have too.</summary>
internal static class JsonRecords
{
    public static IReadOnlyDictionary<string, string?> Flatten(JsonElement record)
    {
        var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        Add(record, prefix: string.Empty, fields);
        return fields;
    }

    private static void Add(JsonElement element, string prefix, Dictionary<string, string?> fields)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (property.NameEquals("attributes"))
            {
                continue;
            }

            var name = prefix + property.Name;
            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.Object when value.TryGetProperty("records", out _):
                    // A child subquery keeps its JSON: its records are not fields of this one.
                    fields[name] = value.GetRawText();
                    break;
                case JsonValueKind.Object:
                    // A parent relationship (Account.Industry) or a compound field (BillingAddress.city).
                    Add(value, name + ".", fields);
                    break;
                case JsonValueKind.Null:
                    fields[name] = null;
                    break;
                case JsonValueKind.String:
                    fields[name] = value.GetString();
                    break;
                case JsonValueKind.True:
                    fields[name] = "true";
                    break;
                case JsonValueKind.False:
                    fields[name] = "false";
                    break;
                default:
                    fields[name] = value.GetRawText();
                    break;
            }
        }
    }
}
