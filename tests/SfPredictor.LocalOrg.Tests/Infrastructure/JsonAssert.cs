using System.Text.Json;

namespace SfPredictor.LocalOrg.Tests.Infrastructure;

internal static class JsonAssert
{
    /// <summary>
    /// Every property of the recorded response exists in the actual one with the same kind of value
    /// (recursively; arrays by their first elements). A recorded null accepts any value.
    /// </summary>
    public static void SameShape(JsonElement recorded, JsonElement actual, string path = "$")
    {
        if (recorded.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        Assert.True(Kind(recorded) == Kind(actual), $"{path}: recorded {recorded.ValueKind}, local org answered {actual.ValueKind}");
        if (recorded.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in recorded.EnumerateObject())
            {
                Assert.True(actual.TryGetProperty(property.Name, out var value), $"{path}.{property.Name} is missing");
                SameShape(property.Value, value, $"{path}.{property.Name}");
            }
        }
        else if (recorded.ValueKind == JsonValueKind.Array && recorded.GetArrayLength() > 0 && actual.GetArrayLength() > 0)
        {
            SameShape(recorded[0], actual[0], path + "[0]");
        }
    }

    /// <summary>
    /// A query answer has the recorded one's envelope (totalSize, done, nextRecordsUrl, ...) and its
    /// records the recorded <c>attributes</c>; the fields themselves differ by object.
    /// </summary>
    public static void SameQueryEnvelope(JsonElement recorded, JsonElement actual)
    {
        foreach (var property in recorded.EnumerateObject().Where(p => p.Name != "records"))
        {
            Assert.True(actual.TryGetProperty(property.Name, out var value), $"$.{property.Name} is missing");
            SameShape(property.Value, value, "$." + property.Name);
        }

        SameShape(recorded.GetProperty("records")[0].GetProperty("attributes"), actual.GetProperty("records")[0].GetProperty("attributes"), "$.records[0].attributes");
    }

    /// <summary>Equal JSON, ignoring the order of object properties.</summary>
    public static void Equivalent(JsonElement expected, JsonElement actual) =>
        Assert.True(JsonElement.DeepEquals(expected, actual), $"expected {expected.GetRawText()} but got {actual.GetRawText()}");

    private static JsonValueKind Kind(JsonElement element) =>
        element.ValueKind is JsonValueKind.True or JsonValueKind.False ? JsonValueKind.True : element.ValueKind;
}
