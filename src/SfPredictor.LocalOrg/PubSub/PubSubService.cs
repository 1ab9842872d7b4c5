using Grpc.Core;
using SfPredictor.PubSubApi;

namespace SfPredictor.LocalOrg.PubSub;

/// <summary>
/// The Pub/Sub API's subscribe side over the org's change events: <c>Subscribe</c> (pull-based, as many events as
/// the subscriber asked for), <c>GetSchema</c> and <c>GetTopic</c>. Topics: <c>/data/ChangeEvents</c> (every object),
/// <c>/data/{Object}ChangeEvent</c>, and any custom channel <c>/data/{Name}__chn</c> (every object). Calls carry the
/// session as Salesforce wants it: <c>accesstoken</c>, <c>instanceurl</c> and <c>tenantid</c> metadata. Publishing is
/// not served (Unimplemented).
/// </summary>
internal sealed class PubSubService(LocalOrgRuntime runtime) : PubSubApi.PubSub.PubSubBase
{
    /// <summary>
    /// Events requested and not yet delivered, at most, across a stream's FetchRequests: Salesforce treats a request
    /// for more as one for this many.
    /// </summary>
    public const int MaxPending = 100;

    /// <summary>
    /// A stream with requested events pending and none to send gets an empty response (the latest replay id) this
    /// often; Salesforce sends one within 270 seconds. A stream with none pending gets none: it waits for a FetchRequest.
    /// </summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(60);

    private const string ErrorCodeKey = "error-code";

    private ChangeEventBus Bus => runtime.ChangeEvents;

    public override Task<SchemaInfo> GetSchema(SchemaRequest request, ServerCallContext context)
    {
        Authenticate(context);
        var json = Bus.SchemaJson(request.SchemaId)
            ?? throw Error(StatusCode.NotFound, "sfdc.platform.eventbus.grpc.schema.not.found", $"No schema with id {request.SchemaId}.");
        return Task.FromResult(new SchemaInfo { SchemaId = request.SchemaId, SchemaJson = json, RpcId = RpcId() });
    }

    public override Task<TopicInfo> GetTopic(TopicRequest request, ServerCallContext context)
    {
        Authenticate(context);
        _ = Filter(request.TopicName);
        var table = EntityOf(request.TopicName) is { } entity ? runtime.Store.FindTable(entity) : null;
        return Task.FromResult(new TopicInfo
        {
            TopicName = request.TopicName,
            TenantGuid = runtime.OrgId,
            CanPublish = false,
            CanSubscribe = true,
            SchemaId = table is null ? string.Empty : Bus.CurrentSchemaId(table),
            RpcId = RpcId(),
        });
    }

    public override async Task Subscribe(IAsyncStreamReader<FetchRequest> requestStream, IServerStreamWriter<FetchResponse> responseStream, ServerCallContext context)
    {
        Authenticate(context);
        if (!await requestStream.MoveNext(context.CancellationToken))
        {
            return;
        }

        var first = requestStream.Current;
        var matches = Filter(first.TopicName);
        var position = first.ReplayPreset switch
        {
            ReplayPreset.Earliest => Bus.BeforeEarliest,
            ReplayPreset.Custom => ChangeEventBus.TryDecode(first.ReplayId.Span, out var after) && Bus.CanResumeAfter(after)
                ? after
                : throw Error(
                    StatusCode.InvalidArgument,
                    "sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted",
                    "The replay id is not valid or is older than the events retained (72 hours); subscribe with LATEST or EARLIEST."),
            _ => Bus.LastReplayId,
        };
        var gate = new object();
        var pending = Math.Clamp(first.NumRequested, 0, MaxPending);
        var grantedMore = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int Pending()
        {
            lock (gate)
            {
                return pending;
            }
        }

        void Grant(int n)
        {
            lock (gate)
            {
                pending = Math.Min(pending + n, MaxPending);
            }

            Interlocked.Exchange(ref grantedMore, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, Bus.DropToken);
        var reading = ReadRequestsAsync(requestStream, first.TopicName, Grant, stop.Token);
        while (true)
        {
            // Taken before looking, so that a publish or grant arriving meanwhile is not missed.
            var next = Bus.NextPublish;
            var more = Volatile.Read(ref grantedMore).Task;
            if (stop.IsCancellationRequested)
            {
                break;
            }

            var wanted = Pending();
            if (wanted > 0)
            {
                var (events, readUpTo) = Bus.Read(matches, position, wanted);
                position = readUpTo;
                if (events.Count > 0)
                {
                    int remaining;
                    lock (gate)
                    {
                        pending -= events.Count;
                        remaining = pending;
                    }

                    var response = new FetchResponse { LatestReplayId = Google.Protobuf.ByteString.CopyFrom(ChangeEventBus.Encode(position)), PendingNumRequested = remaining, RpcId = RpcId() };
                    response.Events.AddRange(events.Select(e => new ConsumerEvent
                    {
                        ReplayId = Google.Protobuf.ByteString.CopyFrom(ChangeEventBus.Encode(e.ReplayId)),
                        Event = new ProducerEvent { Id = e.ReplayId.ToString(System.Globalization.CultureInfo.InvariantCulture), SchemaId = e.SchemaId, Payload = Google.Protobuf.ByteString.CopyFrom(e.Payload) },
                    }));
                    await responseStream.WriteAsync(response, stop.Token);
                    continue;
                }
            }

            // Salesforce sends keepalives only while requested events are pending; a drop or a closed call ends reading.
            var keepAlive = wanted > 0 ? Task.Delay(KeepAlive, runtime.Time, stop.Token) : null;
            Task[] waits = keepAlive is null ? [next, more, reading] : [next, more, reading, keepAlive];
            var woke = await Task.WhenAny(waits);
            if (woke == reading)
            {
                await reading;
                if (stop.IsCancellationRequested)
                {
                    break;
                }
            }

            if (woke == keepAlive && !stop.IsCancellationRequested)
            {
                var latest = Math.Max(position, Bus.LastReplayId);
                await responseStream.WriteAsync(
                    new FetchResponse { LatestReplayId = Google.Protobuf.ByteString.CopyFrom(ChangeEventBus.Encode(latest)), PendingNumRequested = Pending(), RpcId = RpcId() },
                    stop.Token);
            }
        }

        if (!context.CancellationToken.IsCancellationRequested)
        {
            throw Error(StatusCode.Unavailable, "sfdc.platform.eventbus.grpc.service.unavailable", "The subscription was closed by the server; subscribe again.");
        }
    }

    // Later requests only grant more events; their topic, when given, must be the first one's.
    private static async Task ReadRequestsAsync(IAsyncStreamReader<FetchRequest> requests, string topic, Action<int> grant, CancellationToken cancellationToken)
    {
        try
        {
            while (await requests.MoveNext(cancellationToken))
            {
                var request = requests.Current;
                if (request.TopicName.Length > 0 && request.TopicName != topic)
                {
                    continue;
                }

                grant(Math.Max(0, request.NumRequested));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or RpcException)
        {
            // The stream ended or was dropped; the send loop sees the cancellation.
        }

        // The client closed its side: wait until the call ends.
        await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private Func<string, bool> Filter(string topic)
    {
        if (topic == "/data/ChangeEvents" || (topic.StartsWith("/data/", StringComparison.Ordinal) && topic.EndsWith("__chn", StringComparison.Ordinal)))
        {
            return _ => true;
        }

        if (EntityOf(topic) is { } entity && runtime.Store.FindTable(entity) is { } table)
        {
            return name => name.Equals(table.Name, StringComparison.OrdinalIgnoreCase);
        }

        throw Error(StatusCode.NotFound, "sfdc.platform.eventbus.grpc.topic.not.found", $"Topic {topic} does not exist or change events are not enabled for its object.");
    }

    private static string? EntityOf(string topic) =>
        topic.StartsWith("/data/", StringComparison.Ordinal) && topic.EndsWith("ChangeEvent", StringComparison.Ordinal) && topic.Length > "/data/ChangeEvent".Length
            ? topic["/data/".Length..^"ChangeEvent".Length]
            : null;

    private void Authenticate(ServerCallContext context)
    {
        var token = context.RequestHeaders.GetValue("accesstoken");
        var tenant = context.RequestHeaders.GetValue("tenantid");
        if (!runtime.Tokens.IsValid(token) || !Records.SalesforceId.TryNormalize(tenant, out var org) || !Records.SalesforceId.Comparer.Equals(org, runtime.OrgId))
        {
            throw Error(StatusCode.Unauthenticated, "sfdc.platform.eventbus.grpc.service.auth.error", "The session (accesstoken) or tenant (tenantid) is not valid.");
        }
    }

    private static RpcException Error(StatusCode code, string errorCode, string message) =>
        new(new Status(code, message), new Metadata { { ErrorCodeKey, errorCode } });

    private static string RpcId() => Guid.NewGuid().ToString();
}
