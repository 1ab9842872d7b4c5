using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SfPredictor.PubSubApi;
using SfPredictor.Salesforce;
using SfPredictor.Worker.State;

namespace SfPredictor.Worker.ChangeEvents;

/// <summary>
/// Subscribes to Change Data Capture channels through the Pub/Sub API (one stream per channel), collects the
/// Opportunities the events touch, and after a short debounce has <see cref="ChangeEventRunner"/> rescore them.
/// <para>
/// Each stream resumes after the replay id kept for its channel once a batch is handled (or, within the process,
/// after the last event received), asks for <c>FetchSize</c> events at a time, and subscribes again with growing
/// waits when it fails; the polling schedule keeps every score correct meanwhile. A replay id older than Salesforce
/// keeps is reported, triggers one incremental run, and the stream restarts at the newest event.
/// </para>
/// </summary>
internal sealed class ChangeEventSubscriber(
    IOptions<ChangeEventOptions> options,
    SalesforceClient client,
    ChangeEventRunner runner,
    StateStore state,
    TimeProvider time,
    ILogger<ChangeEventSubscriber> logger) : BackgroundService
{
    private const string ErrorCodeKey = "error-code";

    private readonly ChangeEventOptions _options = options.Value;
    private readonly ChangeBatch _batch = new(client.Options.ClientName);
    private readonly Dictionary<string, ByteString> _received = new(StringComparer.Ordinal);

    /// <summary>The events collected and not yet handled.</summary>
    internal ChangeBatch Batch => _batch;

    /// <summary>Batches handled since start.</summary>
    internal int BatchesHandled { get; private set; }

    /// <summary>Whether a batch is being handled now.</summary>
    internal bool IsHandling { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        using var channel = GrpcChannel.ForAddress(_options.Endpoint, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                // Idle streams wait up to 270 s for a keepalive; pings notice a dead connection sooner.
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
                EnableMultipleHttp2Connections = true,
            },
        });
        var pubsub = new PubSub.PubSubClient(channel);
        var streams = _options.EffectiveTopics.Select(topic => SubscribeAsync(pubsub, topic, stoppingToken)).ToList();
        try
        {
            await Task.WhenAll([.. streams, HandleBatchesAsync(stoppingToken)]);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what was not handled is replayed at the next start.
        }
    }

    private async Task HandleBatchesAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            await _batch.WhenPendingAsync(cancellationToken);
            await Task.Delay(_options.Debounce, time, cancellationToken);
            IsHandling = true;
            var batch = _batch.Take();
            (bool Handled, string? Error) outcome;
            try
            {
                outcome = await runner.HandleAsync(batch, cancellationToken);
            }
            catch (Exception e) when (e is SalesforceApiException or SalesforceDataException or System.Data.Common.DbException)
            {
                outcome = (false, e.Message);
            }
            finally
            {
                IsHandling = false;
            }

            if (outcome.Handled)
            {
                failures = 0;
                BatchesHandled++;
                continue;
            }

            _batch.Return(batch);
            var delay = Backoff(++failures);
            Log.RescoreFailed(logger, outcome.Error ?? "unknown", delay.TotalSeconds);
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    private async Task SubscribeAsync(PubSub.PubSubClient pubsub, string topic, CancellationToken cancellationToken)
    {
        var failures = 0;
        var renew = false;
        var headers = new Metadata();
        var decoder = new ChangeEventDecoder((id, ct) => FetchSchemaAsync(pubsub, id, headers, ct));
        while (!cancellationToken.IsCancellationRequested)
        {
            string reason;
            try
            {
                await StreamAsync(pubsub, topic, decoder, renew, h => headers = h, () => failures = 0, cancellationToken);
                reason = "the server ended the stream";
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or RpcException)
            {
                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument && e.Trailers.GetValue(ErrorCodeKey)?.Contains("replayid", StringComparison.OrdinalIgnoreCase) == true)
            {
                Log.ReplayIdTooOld(logger, topic);
                lock (_received)
                {
                    _received.Remove(topic);
                }

                await state.DeleteReplayIdAsync(topic, cancellationToken);
                _batch.RequestCatchUp();
                continue;
            }
            catch (RpcException e)
            {
                renew = e.StatusCode == StatusCode.Unauthenticated;
                reason = $"{e.StatusCode}: {e.Status.Detail}";
            }
            catch (Exception e) when (e is SalesforceApiException or HttpRequestException or IOException or System.Data.Common.DbException)
            {
                reason = e.Message;
            }

            var delay = Backoff(++failures);
            Log.Reconnecting(logger, topic, reason, delay.TotalSeconds);
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    private async Task StreamAsync(
        PubSub.PubSubClient pubsub, string topic, ChangeEventDecoder decoder, bool renew, Action<Metadata> useHeaders, Action connected, CancellationToken cancellationToken)
    {
        var session = await client.GetStreamingSessionAsync(renew, cancellationToken);
        var headers = Headers(session);
        useHeaders(headers);
        ByteString? resumeAfter;
        lock (_received)
        {
            resumeAfter = _received.GetValueOrDefault(topic);
        }

        if (resumeAfter is null && await state.GetReplayIdAsync(topic, cancellationToken) is { } stored)
        {
            resumeAfter = ByteString.CopyFrom(stored);
        }

        using var call = pubsub.Subscribe(headers, cancellationToken: cancellationToken);
        await call.RequestStream.WriteAsync(
            new FetchRequest
            {
                TopicName = topic,
                ReplayPreset = resumeAfter is null ? ReplayPreset.Latest : ReplayPreset.Custom,
                ReplayId = resumeAfter ?? ByteString.Empty,
                NumRequested = _options.FetchSize,
            },
            cancellationToken);
        Log.Subscribed(logger, topic, resumeAfter is null ? "newest events" : "after the last event handled");
        while (await call.ResponseStream.MoveNext(cancellationToken))
        {
            connected();
            var response = call.ResponseStream.Current;
            foreach (var consumed in response.Events)
            {
                ChangeEvent? change = null;
                try
                {
                    change = await decoder.DecodeAsync(consumed.Event.SchemaId, consumed.Event.Payload.Memory, cancellationToken);
                }
                catch (InvalidDataException e)
                {
                    Log.Undecodable(logger, topic, consumed.Event.SchemaId, e.Message);
                }

                lock (_received)
                {
                    _received[topic] = consumed.ReplayId;
                }

                _batch.Add(topic, consumed.ReplayId, change, session.UserId);
            }

            // Flow control: ask for the next events once those asked for have come.
            if (response.PendingNumRequested <= 0)
            {
                await call.RequestStream.WriteAsync(new FetchRequest { TopicName = topic, NumRequested = _options.FetchSize }, cancellationToken);
            }
        }
    }

    private async Task<string> FetchSchemaAsync(PubSub.PubSubClient pubsub, string schemaId, Metadata headers, CancellationToken cancellationToken)
    {
        var info = await pubsub.GetSchemaAsync(new SchemaRequest { SchemaId = schemaId }, headers, cancellationToken: cancellationToken);
        Log.SchemaFetched(logger, schemaId);
        return info.SchemaJson;
    }

    private static Metadata Headers(SalesforceStreamingSession session) => new()
    {
        { "accesstoken", session.AccessToken },
        { "instanceurl", session.InstanceUrl.GetLeftPart(UriPartial.Authority) },
        { "tenantid", session.OrgId ?? string.Empty },
    };

    private TimeSpan Backoff(int failures)
    {
        var delay = _options.ReconnectDelay * Math.Pow(2, Math.Min(failures - 1, 20));
        return delay > _options.MaxReconnectDelay ? _options.MaxReconnectDelay : delay;
    }
}
