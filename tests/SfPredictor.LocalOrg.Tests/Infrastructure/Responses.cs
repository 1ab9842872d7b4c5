using System.Text.Json;

namespace SfPredictor.LocalOrg.Tests.Infrastructure;

/// <summary>Recorded Salesforce responses (see Responses/README.txt).</summary>
internal static class Responses
{
    public static JsonElement Load(string name)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Responses", name)).TrimStart('\uFEFF');
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
