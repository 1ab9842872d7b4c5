using System.Globalization;
using SfPredictor.Records;

namespace SfPredictor.LocalOrg.Tests.Infrastructure;

internal static class TestIds
{
    /// <summary>The 15-character Id <c>prefix + n</c> (e.g. 006000000000001).</summary>
    public static string Short(string prefix, int n) => prefix + n.ToString("D12", CultureInfo.InvariantCulture);

    /// <summary>The 18-character form of <see cref="Short"/>.</summary>
    public static string Long(string prefix, int n) => SalesforceId.Normalize(Short(prefix, n));
}
