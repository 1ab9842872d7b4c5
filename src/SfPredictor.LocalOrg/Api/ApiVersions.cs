using System.Globalization;

namespace SfPredictor.LocalOrg.Api;

/// <summary>The REST API versions the org serves, from Summer '14 (31.0) to Spring '26 (66.0).</summary>
internal static class ApiVersions
{
    private const int First = 31;
    private const int Last = 66;
    private static readonly string[] Seasons = ["Summer", "Winter", "Spring"];

    public static bool IsSupported(string version) =>
        version.EndsWith(".0", StringComparison.Ordinal)
        && int.TryParse(version.AsSpan(0, version.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var major)
        && major is >= First and <= Last;

    /// <summary>Versions as <c>GET /services/data/</c> lists them: label, url, version.</summary>
    public static IEnumerable<(string Label, string Url, string Version)> All()
    {
        for (var major = First; major <= Last; major++)
        {
            // Three releases a year: Summer of one year, then Winter and Spring named after the next.
            var k = major - First;
            var season = Seasons[k % 3];
            var year = (k % 3 == 0 ? 14 : 15) + (k / 3);
            var version = string.Create(CultureInfo.InvariantCulture, $"{major}.0");
            yield return (string.Create(CultureInfo.InvariantCulture, $"{season} '{year:D2}"), $"/services/data/v{version}", version);
        }
    }
}
