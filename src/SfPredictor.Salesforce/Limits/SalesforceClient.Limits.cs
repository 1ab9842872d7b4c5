using SfPredictor.Salesforce.Http;

namespace SfPredictor.Salesforce;

/// <summary>One of the org's limits from <c>/limits</c>.</summary>
/// <param name="Max">The limit.</param>
/// <param name="Remaining">What is left of it.</param>
public sealed record OrgLimit(long Max, long Remaining)
{
    /// <summary>What is used of it.</summary>
    public long Used => Max - Remaining;
}

public sealed partial class SalesforceClient
{
    /// <summary>Name of the daily API request limit in <c>/limits</c>.</summary>
    public const string DailyApiRequests = "DailyApiRequests";

    /// <summary>The org's limits (<c>GET /services/data/vXX.X/limits</c>) by name; also refreshes <see cref="Usage"/>.</summary>
    public async Task<IReadOnlyDictionary<string, OrgLimit>> GetLimitsAsync(CancellationToken cancellationToken = default)
    {
        var limits = await SendForJsonAsync(
            HttpMethod.Get, $"{DataPath}/limits", null, SalesforceJsonContext.Default.DictionaryStringLimitValue, cancellationToken);
        var result = limits.ToDictionary(l => l.Key, l => new OrgLimit(l.Value.Max, l.Value.Remaining), StringComparer.OrdinalIgnoreCase);
        if (result.TryGetValue(DailyApiRequests, out var daily) && daily.Max > 0)
        {
            Usage.Update(daily.Used, daily.Max);
        }

        return result;
    }

    /// <summary>The org's daily API request limit and what remains of it (one call).</summary>
    public async Task<OrgLimit> GetDailyApiRequestsAsync(CancellationToken cancellationToken = default)
    {
        var limits = await GetLimitsAsync(cancellationToken);
        return limits.TryGetValue(DailyApiRequests, out var daily)
            ? daily
            : throw new SalesforceApiException("MALFORMED_RESPONSE", statusCode: null, $"Salesforce's /limits answer has no {DailyApiRequests}.", []);
    }
}
