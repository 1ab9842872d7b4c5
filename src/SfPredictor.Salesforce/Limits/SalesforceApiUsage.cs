using System.Globalization;

namespace SfPredictor.Salesforce;

/// <summary>
/// The client's view of the org's daily API budget: calls this process made, and the org's usage as
/// the last <c>Sforce-Limit-Info</c> header (or <c>/limits</c>) reported it. One instance per service provider.
/// </summary>
public sealed class SalesforceApiUsage
{
    private readonly Lock _gate = new();
    private long _apiCalls;
    private long? _used;
    private long? _max;

    /// <summary>API calls this process made (every attempt to the data API, retries included; logins excluded).</summary>
    public long ApiCalls => Interlocked.Read(ref _apiCalls);

    /// <summary>API requests the org used today, as last reported; null before the first answer.</summary>
    public long? DailyUsed
    {
        get
        {
            lock (_gate)
            {
                return _used;
            }
        }
    }

    /// <summary>The org's daily API request limit, as last reported; null before the first answer.</summary>
    public long? DailyMax
    {
        get
        {
            lock (_gate)
            {
                return _max;
            }
        }
    }

    /// <summary>Requests left today, as last reported; null before the first answer.</summary>
    public long? DailyRemaining
    {
        get
        {
            lock (_gate)
            {
                return _max - _used;
            }
        }
    }

    internal void RecordCall() => Interlocked.Increment(ref _apiCalls);

    internal void Update(long used, long max)
    {
        lock (_gate)
        {
            _used = used;
            _max = max;
        }
    }

    /// <summary>Reads <c>api-usage=USED/MAX</c> from a <c>Sforce-Limit-Info</c> header value.</summary>
    internal static bool TryParseLimitInfo(string header, out long used, out long max)
    {
        used = 0;
        max = 0;
        // The header may also carry per-app usage: "api-usage=18/5000; per-app-api-usage=17/250(appName=x)".
        foreach (var part in header.Split([';', ','], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            const string Key = "api-usage=";
            if (!part.StartsWith(Key, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var numbers = part[Key.Length..].Split('/');
            return numbers.Length == 2
                && long.TryParse(numbers[0], NumberStyles.None, CultureInfo.InvariantCulture, out used)
                && long.TryParse(numbers[1], NumberStyles.None, CultureInfo.InvariantCulture, out max)
                && max > 0;
        }

        return false;
    }

    /// <summary>Throws when one more call would take the org past <paramref name="share"/> of its daily limit.</summary>
    internal void EnsureWithinShare(double share, string call)
    {
        long used;
        long max;
        lock (_gate)
        {
            if (_used is null || _max is null)
            {
                return;
            }

            used = _used.Value;
            max = _max.Value;
        }

        var budget = (long)Math.Floor(max * share);
        if (used + 1 > budget)
        {
            throw new SalesforceLimitException(
                "API_SHARE_EXCEEDED",
                statusCode: null,
                string.Create(CultureInfo.InvariantCulture,
                    $"Not calling {call}: the org has used {used} of its {max} daily API requests, and this client may take it only to {share:P0} ({budget}) (Salesforce:DailyApiShareLimit). The run stops here."),
                used,
                max);
        }
    }
}
