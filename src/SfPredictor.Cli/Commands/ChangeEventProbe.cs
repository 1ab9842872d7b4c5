using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SfPredictor.LocalOrg;
using SfPredictor.LocalOrg.PubSub;
using SfPredictor.Salesforce;
using SfPredictor.Worker.ChangeEvents;
using SfPredictor.Worker.Hosting;
using SfPredictor.Worker.State;
using SfPredictor.Worker.WriteBack;

namespace SfPredictor.Cli.Commands;

/// <summary>
/// Makes changes in a local org as a user would (through another API client than the worker's) and times when
/// the worker's write-back of each changed Opportunity's new score reaches the org: what <c>sfp demo</c> shows and
/// <c>sfp bench-latency</c> measures.
/// </summary>
internal sealed class ChangeEventProbe : IDisposable
{
    private const string Client = "sfp-probe";

    private readonly LocalOrgServer _org;
    private readonly string _probabilityField = new WriteBackOptions().ProbabilityField;
    private readonly ConcurrentDictionary<string, long> _changedAt = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, TimeSpan> _latency = new(StringComparer.OrdinalIgnoreCase);
    private readonly HttpClient _http = new();

    public ChangeEventProbe(LocalOrgServer org)
    {
        _org = org;
        _org.Changed += OnChanged;
    }

    /// <summary>Settings that turn the subscriber on, starting after the org's newest event.</summary>
    public static Dictionary<string, string?> Settings(IReadOnlyDictionary<string, string?> settings) =>
        new(settings, StringComparer.OrdinalIgnoreCase) { ["SfPredictor:ChangeEvents:Enabled"] = "true" };

    /// <summary>A session running the change event subscriber, which resumes after the org's newest event.</summary>
    public static async Task<PipelineSession> StartSessionAsync(LocalOrgServer org, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        // Kept as if every earlier event were handled, so the streams start exactly there, with no race against the first change.
        await using (var stores = await PipelineSession.StartAsync(settings, DemoCommand.WarningsToStderr, storesOnly: true, cancellationToken: cancellationToken))
        {
            var state = stores.Services.GetRequiredService<StateStore>();
            foreach (var topic in ChangeEventOptions.DefaultTopics)
            {
                await state.SetReplayIdAsync(topic, org.LatestReplayId, cancellationToken);
            }
        }

        return await PipelineSession.StartAsync(
            Settings(settings), DemoCommand.WarningsToStderr, services => services.AddChangeEventSubscriber(), cancellationToken: cancellationToken);
    }

    /// <summary>Opportunities changed whose new score has been written, with the time from the change.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Latencies => _latency;

    /// <summary>
    /// Updates records through the org's REST API as another client, and starts each Opportunity's clock. With
    /// <paramref name="clearScore"/> an Opportunity's score is cleared too, as a new Opportunity has none, so that the
    /// rescore writes it whatever the model makes of the change.
    /// </summary>
    public async Task ChangeAsync(
        SalesforceStreamingSession login, string objectName, IReadOnlyList<(string Id, string Field, object Value)> changes, IEnumerable<string> opportunities,
        CancellationToken cancellationToken, bool clearScore = false)
    {
        var fields = new WriteBackOptions();
        var cleared = clearScore ? $", \"{fields.ProbabilityField}\": null, \"{fields.ScoredAtField}\": null" : string.Empty;
        var started = TimeProvider.System.GetTimestamp();
        foreach (var id in opportunities)
        {
            _latency.TryRemove(id, out _);
            _changedAt[id] = started;
        }

        foreach (var chunk in changes.Chunk(SalesforceClient.CollectionBatchSize))
        {
            var records = string.Join(",", chunk.Select(c => $$"""{"attributes": {"type": "{{objectName}}"}, "id": "{{c.Id}}", "{{c.Field}}": {{JsonSerializer.Serialize(c.Value)}}{{cleared}}}"""));
            using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri(login.InstanceUrl, "/services/data/v62.0/composite/sobjects"))
            {
                Content = new StringContent($$"""{"allOrNone": false, "records": [{{records}}]}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", login.AccessToken);
            request.Headers.Add("Sforce-Call-Options", "client=" + Client);
            using var response = await _http.SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>Creates a record through the org's REST API as another client, and starts its Opportunity's clock.</summary>
    public async Task CreateAsync(
        SalesforceStreamingSession login, string objectName, IReadOnlyDictionary<string, object> fields, string opportunity, CancellationToken cancellationToken)
    {
        _latency.TryRemove(opportunity, out _);
        _changedAt[opportunity] = TimeProvider.System.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(login.InstanceUrl, $"/services/data/v62.0/sobjects/{objectName}"))
        {
            Content = new StringContent(JsonSerializer.Serialize(fields), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", login.AccessToken);
        request.Headers.Add("Sforce-Call-Options", "client=" + Client);
        using var response = await _http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Waits until every one of <paramref name="opportunities"/> has its new score written, or the time is up.</summary>
    public async Task<bool> WaitAsync(IEnumerable<string> opportunities, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var ids = opportunities.ToList();
        var started = TimeProvider.System.GetTimestamp();
        while (!ids.All(_latency.ContainsKey))
        {
            if (TimeProvider.System.GetElapsedTime(started) > timeout)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }

        return true;
    }

    public void Dispose()
    {
        _org.Changed -= OnChanged;
        _http.Dispose();
    }

    // Only the worker's write of the probability counts as the new score written.
    private void OnChanged(LocalOrgChange change)
    {
        if (change.EntityName == "Opportunity"
            && !change.ChangeOrigin.Contains("client=" + Client, StringComparison.Ordinal)
            && change.ChangedFields.Contains(_probabilityField, StringComparer.OrdinalIgnoreCase)
            && _changedAt.TryGetValue(change.RecordId, out var at))
        {
            _latency.TryAdd(change.RecordId, TimeProvider.System.GetElapsedTime(at));
        }
    }
}
