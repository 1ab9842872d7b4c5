using SfPredictor.Records;

namespace SfPredictor.SyntheticOrg.Simulation;

/// <summary>
/// Salesforce-shaped Ids: key prefix, a pod code, a reserved zero, a 9-character base-62 number, and
/// the 3-character case checksum. Numbers only need to be unique per prefix.
/// </summary>
internal static class IdFactory
{
    public const string Account = "001";
    public const string User = "005";
    public const string Opportunity = "006";
    public const string OpportunityHistory = "008";
    public const string Task = "00T";
    public const string Event = "00U";

    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string Pod = "5j0";

    public static string Create(string prefix, long number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        Span<char> id = stackalloc char[15];
        prefix.AsSpan().CopyTo(id);
        Pod.AsSpan().CopyTo(id[3..]);
        for (var i = 14; i >= 6; i--)
        {
            id[i] = Base62[(int)(number % 62)];
            number /= 62;
        }

        if (number != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(number), "The number does not fit in a Salesforce Id.");
        }

        return SalesforceId.TryNormalize(id, out var full) ? full : throw new InvalidOperationException("Unreachable: the Id is well-formed.");
    }
}
