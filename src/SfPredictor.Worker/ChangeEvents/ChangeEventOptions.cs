using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SfPredictor.Worker.ChangeEvents;

/// <summary>
/// Rescoring within seconds of a change: Change Data Capture events streamed through Salesforce's Pub/Sub API.
/// Off by default; the polling schedule keeps scores correct either way.
/// </summary>
public sealed class ChangeEventOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "SfPredictor:ChangeEvents";

    /// <summary>The channels subscribed when <see cref="Topics"/> is empty.</summary>
    public static readonly IReadOnlyList<string> DefaultTopics = ["/data/OpportunityChangeEvent", "/data/TaskChangeEvent", "/data/EventChangeEvent"];

    /// <summary>Subscribe to change events and rescore the Opportunities they touch.</summary>
    public bool Enabled { get; set; }

    /// <summary>The Pub/Sub API endpoint (gRPC). Default: Salesforce's global endpoint.</summary>
    [Required]
    public Uri Endpoint { get; set; } = new("https://api.pubsub.salesforce.com:7443");

    /// <summary>
    /// Channels to subscribe, one stream each: standard change event channels, or a single custom channel
    /// (<c>/data/SfPredictorChanges__chn</c>) with Opportunity, Task and Event as members. Empty: <see cref="DefaultTopics"/>.
    /// </summary>
    public IList<string> Topics { get; } = [];

    /// <summary>
    /// How long after the first change of a batch the rescore starts, so a burst of changes (a rep logging several
    /// activities, a data load) is scored in one run. Default 5 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan Debounce { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Events asked for in each <c>FetchRequest</c> (flow control; Salesforce keeps at most 100 requested events pending).</summary>
    [Range(1, 100)]
    public int FetchSize { get; set; } = 100;

    /// <summary>First wait before subscribing again after the stream failed; it doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between attempts to subscribe again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The channels to subscribe.</summary>
    public IReadOnlyList<string> EffectiveTopics => Topics.Count > 0 ? [.. Topics.Distinct(StringComparer.Ordinal)] : DefaultTopics;
}

/// <summary>Validates <see cref="ChangeEventOptions"/> at start.</summary>
[OptionsValidator]
internal sealed partial class ValidateChangeEventOptions : IValidateOptions<ChangeEventOptions>;
