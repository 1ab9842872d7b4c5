using System.Net;
using System.Text;
using Avro;
using Avro.Generic;
using Avro.IO;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using SfPredictor.LocalOrg.PubSub;
using SfPredictor.LocalOrg.Tests.Infrastructure;
using SfPredictor.PubSubApi;
using PubSubClient = SfPredictor.PubSubApi.PubSub.PubSubClient;

namespace SfPredictor.LocalOrg.Tests.PubSub;

public sealed class PubSubApiTests
{
    private const string OpportunityTopic = "/data/OpportunityChangeEvent";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Subscribe_CollectionsUpdate_DeliversAvroChangeEventWithHeader()
    {
        await using var org = await OrgHarness.StartAsync();
        var token = await org.LoginAsync();
        using var pubsub = Connect(org, token);

        var update = new HttpRequestMessage(HttpMethod.Patch, OrgHarness.Api("composite/sobjects"))
        {
            Content = new StringContent(
                $$"""{"records": [{"attributes": {"type": "Opportunity"}, "id": "{{SampleExport.AcmeExpansion}}", "StageName": "Negotiation/Review", "Score__c": null}]}""",
                Encoding.UTF8,
                "application/json"),
        };
        update.Headers.Add("Sforce-Call-Options", "client=sfp-test");
        Assert.Equal(HttpStatusCode.OK, (await org.SendAsync(update)).Status);

        var events = await pubsub.ReadAsync(OpportunityTopic, ReplayPreset.Earliest, null, count: 1);

        var (header, record) = await pubsub.DecodeAsync(events[0]);
        Assert.Equal("Opportunity", header["entityName"]);
        Assert.Equal([SampleExport.AcmeExpansion], ((object[])header["recordIds"]).Cast<string>());
        Assert.Equal("UPDATE", ((GenericEnum)header["changeType"]).Value);
        Assert.Equal("com/salesforce/api/rest/62.0;client=sfp-test", header["changeOrigin"]);
        Assert.Equal(SampleExport.Ada, header["commitUser"]);
        Assert.Equal(1, header["sequenceNumber"]);
        Assert.Equal(OrgHarness.Start.ToUnixTimeMilliseconds(), header["commitTimestamp"]);
        Assert.False(string.IsNullOrEmpty((string)header["transactionKey"]));
        Assert.Equal(["Score__c"], ((object[])header["nulledFields"]).Cast<string>());
        Assert.Equal(["StageName", "LastModifiedDate", "Score__c"], ChangedFieldNames(record, header));
        Assert.Equal("Negotiation/Review", record["StageName"]);
        Assert.Null(record["Name"]);
    }

    [Fact]
    public async Task Subscribe_BulkIngestUpdate_PublishesOneEventPerRecordInOneTransaction()
    {
        await using var org = await OrgHarness.StartAsync();
        var token = await org.LoginAsync();
        using var pubsub = Connect(org, token);
        var csv = $"Id,Score__c\n{SampleExport.AcmeExpansion},0.9\n{SampleExport.AcmeRenewal},0.4\n";

        var created = await org.SendJsonAsync(HttpMethod.Post, OrgHarness.Api("jobs/ingest"), """{"object": "Opportunity", "operation": "update", "contentType": "CSV", "lineEnding": "LF"}""");
        var id = created.Body.GetProperty("id").GetString()!;
        await org.SendAsync(HttpMethod.Put, OrgHarness.Api($"jobs/ingest/{id}/batches"), new StringContent(csv, Encoding.UTF8, "text/csv"));
        await org.SendJsonAsync(HttpMethod.Patch, OrgHarness.Api($"jobs/ingest/{id}"), """{"state": "UploadComplete"}""");

        var events = await pubsub.ReadAsync("/data/ChangeEvents", ReplayPreset.Earliest, null, count: 2);
        var headers = new List<GenericRecord>();
        foreach (var e in events)
        {
            headers.Add((await pubsub.DecodeAsync(e)).Header);
        }

        Assert.Equal([SampleExport.AcmeExpansion, SampleExport.AcmeRenewal], headers.Select(h => ((object[])h["recordIds"])[0]));
        Assert.All(headers, h => Assert.Equal("com/salesforce/api/bulkv2/62.0", h["changeOrigin"]));
        Assert.Single(headers.Select(h => h["transactionKey"]).Distinct());
        Assert.Equal([1, 2], headers.Select(h => h["sequenceNumber"]));
    }

    [Fact]
    public async Task Subscribe_FetchRequestSizes_DeliverNoMoreThanRequested()
    {
        await using var org = await OrgHarness.StartAsync();
        var token = await org.LoginAsync();
        using var pubsub = Connect(org, token);
        await UpdateScoresAsync(org, SampleExport.AcmeExpansion, SampleExport.AcmeRenewal, SampleExport.GlobexPilot);

        using var call = pubsub.Client.Subscribe(pubsub.Headers, cancellationToken: new CancellationTokenSource(Wait).Token);
        await call.RequestStream.WriteAsync(new FetchRequest { TopicName = OpportunityTopic, ReplayPreset = ReplayPreset.Earliest, NumRequested = 2 });
        var delivered = new List<FetchResponse>();
        while (delivered.Sum(r => r.Events.Count) < 2 && await call.ResponseStream.MoveNext())
        {
            delivered.Add(call.ResponseStream.Current);
        }

        Assert.Equal(0, delivered[^1].PendingNumRequested);
        await call.RequestStream.WriteAsync(new FetchRequest { NumRequested = 5 });
        Assert.True(await call.ResponseStream.MoveNext());
        var third = call.ResponseStream.Current;

        Assert.Equal(2, delivered.Sum(r => r.Events.Count));
        Assert.Single(third.Events);
        Assert.Equal(4, third.PendingNumRequested);
        Assert.Equal(third.Events[0].ReplayId, third.LatestReplayId);
    }

    [Fact]
    public async Task Subscribe_NumRequestedAboveMaxPending_PendingIsCappedAt100()
    {
        await using var org = await OrgHarness.StartAsync();
        var token = await org.LoginAsync();
        using var pubsub = Connect(org, token);
        await UpdateScoresAsync(org, SampleExport.AcmeExpansion, SampleExport.AcmeRenewal, SampleExport.GlobexPilot);

        using var call = pubsub.Client.Subscribe(pubsub.Headers, cancellationToken: new CancellationTokenSource(Wait).Token);
        await call.RequestStream.WriteAsync(new FetchRequest { TopicName = OpportunityTopic, ReplayPreset = ReplayPreset.Earliest, NumRequested = 150 });
        var delivered = new List<FetchResponse>();
        while (delivered.Sum(r => r.Events.Count) < 3 && await call.ResponseStream.MoveNext())
        {
            delivered.Add(call.ResponseStream.Current);
        }

        Assert.Equal(PubSubService.MaxPending - 3, delivered[^1].PendingNumRequested);

        // Asking for more while 97 are pending tops the count up to 100, not 147: keepalives show it.
        await call.RequestStream.WriteAsync(new FetchRequest { NumRequested = 50 });
        var keepAlive = await NextKeepAliveAsync(org, call.ResponseStream, r => r.PendingNumRequested != PubSubService.MaxPending - 3);
        Assert.Equal(PubSubService.MaxPending, keepAlive.PendingNumRequested);
    }

    [Fact]
    public async Task Subscribe_Idle_KeepAliveOnlyWhileRequestedEventsArePending()
    {
        await using var org = await OrgHarness.StartAsync();
        var token = await org.LoginAsync();
        using var pubsub = Connect(org, token);
        using var stop = new CancellationTokenSource(Wait);
        using var satisfied = pubsub.Client.Subscribe(pubsub.Headers, cancellationToken: stop.Token);
        using var waiting = pubsub.Client.Subscribe(pubsub.Headers, cancellationToken: stop.Token);
        await satisfied.RequestStream.WriteAsync(new FetchRequest { TopicName = OpportunityTopic, ReplayPreset = ReplayPreset.Earliest, NumRequested = 1 });
        await waiting.RequestStream.WriteAsync(new FetchRequest { TopicName = OpportunityTopic, ReplayPreset = ReplayPreset.Earliest, NumRequested = 2 });
        await UpdateScoresAsync(org, SampleExport.AcmeExpansion);
        Assert.True(await satisfied.ResponseStream.MoveNext());
        Assert.True(await waiting.ResponseStream.MoveNext());
        var first = Assert.Single(satisfied.ResponseStream.Current.Events);
        Assert.Equal(0, satisfied.ResponseStream.Current.PendingNumRequested);
        Assert.Equal(1, waiting.ResponseStream.Current.PendingNumRequested);

        // Time passes with nothing published: the stream still owed an event hears from the server, the other does not.
        var satisfiedNext = satisfied.ResponseStream.MoveNext();
        var keepAlive = await NextKeepAliveAsync(org, waiting.ResponseStream, _ => true);
        Assert.Empty(keepAlive.Events);
        Assert.Equal(first.ReplayId, keepAlive.LatestReplayId);
        Assert.Equal(1, keepAlive.PendingNumRequested);
        Assert.False(satisfiedNext.IsCompleted);

        // Once it asks again, its next response is the next event, not a keepalive held back.
        await satisfied.RequestStream.WriteAsync(new FetchRequest { NumRequested = 1 });
        await UpdateScoresAsync(org, SampleExport.AcmeRenewal);
        Assert.True(await satisfiedNext);
        Assert.Single(satisfied.ResponseStream.Current.Events);
        Assert.Equal(0, satisfied.ResponseStream.Current.PendingNumRequested);
    }

    [Fact]
    public async Task Subscribe_AfterRestartWithNewField_ResumesAfterReplayIdAcrossSchemas()
    {
        using var folder = new ExportFolder();
        SampleExport.Write(folder);
        ByteString firstReplay;
        string firstSchema;
        await using (var org = await OrgHarness.StartAsync(folder.Path, configure: null, login: true))
        {
            using var pubsub = Connect(org, await org.LoginAsync());
            await UpdateScoresAsync(org, SampleExport.AcmeExpansion);
            var first = Assert.Single(await pubsub.ReadAsync(OpportunityTopic, ReplayPreset.Earliest, null, count: 1));
            firstReplay = first.ReplayId;
            firstSchema = first.Event.SchemaId;
        }

        // An admin adds a field: the object's change events get a new schema.
        await using var restarted = await OrgHarness.StartAsync(folder.Path, o => o.CustomFields.Add("Opportunity.Extra__c:string"), login: true);
        using var again = Connect(restarted, await restarted.LoginAsync());
        await UpdateScoresAsync(restarted, SampleExport.AcmeRenewal);

        var events = await again.ReadAsync(OpportunityTopic, ReplayPreset.Custom, firstReplay, count: 1);
        var all = await again.ReadAsync(OpportunityTopic, ReplayPreset.Earliest, null, count: 2);

        var second = Assert.Single(events);
        Assert.NotEqual(firstSchema, second.Event.SchemaId);
        Assert.Equal(SampleExport.AcmeRenewal, ((object[])(await again.DecodeAsync(second)).Header["recordIds"])[0]);
        Assert.Equal([firstReplay, second.ReplayId], all.Select(e => e.ReplayId));
        var old = await again.DecodeAsync(all[0]);
        Assert.Equal(SampleExport.AcmeExpansion, ((object[])old.Header["recordIds"])[0]);
        Assert.Contains(again.Schemas[second.Event.SchemaId].Fields, f => f.Name == "Extra__c");
        Assert.DoesNotContain(again.Schemas[firstSchema].Fields, f => f.Name == "Extra__c");
    }

    [Fact]
    public async Task Subscribe_ReplayIdOlderThanRetention_FailsWithReplayIdErrorCode()
    {
        await using var org = await OrgHarness.StartAsync();
        using var pubsub = Connect(org, await org.LoginAsync());
        await UpdateScoresAsync(org, SampleExport.AcmeExpansion);
        var first = Assert.Single(await pubsub.ReadAsync(OpportunityTopic, ReplayPreset.Earliest, null, count: 1));

        org.Time.Advance(ChangeEventBus.Retention + TimeSpan.FromHours(1));
        await org.LoginAsync();
        using var later = Connect(org, org.Http.DefaultRequestHeaders.Authorization!.Parameter!);
        var error = await Assert.ThrowsAsync<RpcException>(() => later.ReadAsync(OpportunityTopic, ReplayPreset.Custom, first.ReplayId, count: 1));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted", error.Trailers.GetValue("error-code"));
    }

    [Fact]
    public async Task Subscribe_WithoutValidSession_IsUnauthenticated_AndDroppedStreamsEndUnavailable()
    {
        await using var org = await OrgHarness.StartAsync();
        var token = await org.LoginAsync();
        using var bad = Connect(org, "00D000000000001!not-a-token");
        var refused = await Assert.ThrowsAsync<RpcException>(() => bad.Client.GetTopicAsync(new TopicRequest { TopicName = OpportunityTopic }, bad.Headers).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);

        using var pubsub = Connect(org, token);
        var topic = await pubsub.Client.GetTopicAsync(new TopicRequest { TopicName = OpportunityTopic }, pubsub.Headers);
        Assert.True(topic.CanSubscribe);
        Assert.NotEmpty(topic.SchemaId);
        using var call = pubsub.Client.Subscribe(pubsub.Headers, cancellationToken: new CancellationTokenSource(Wait).Token);
        await call.RequestStream.WriteAsync(new FetchRequest { TopicName = OpportunityTopic, ReplayPreset = ReplayPreset.Earliest, NumRequested = 10 });
        var next = call.ResponseStream.MoveNext();
        await UpdateScoresAsync(org, SampleExport.AcmeExpansion);
        Assert.True(await next);
        org.Server.DropSubscriptions();

        var dropped = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.Unavailable, dropped.StatusCode);
    }

    // Moves the org's clock a keepalive interval at a time (the stream's timer may not be set yet when it first moves)
    // until a keepalive the test is waiting for comes; every response meanwhile must be an empty keepalive.
    private static async Task<FetchResponse> NextKeepAliveAsync(OrgHarness org, IAsyncStreamReader<FetchResponse> responses, Func<FetchResponse, bool> wanted)
    {
        while (true)
        {
            var next = responses.MoveNext();
            while (!next.IsCompleted)
            {
                org.Time.Advance(PubSubService.KeepAlive);
                await Task.WhenAny(next, Task.Delay(50));
            }

            Assert.True(await next);
            Assert.Empty(responses.Current.Events);
            if (wanted(responses.Current))
            {
                return responses.Current;
            }
        }
    }

    private static async Task UpdateScoresAsync(OrgHarness org, params string[] ids)
    {
        var records = string.Join(",", ids.Select((id, i) => $$"""{"attributes": {"type": "Opportunity"}, "id": "{{id}}", "Score__c": {{i}}.5}"""));
        Assert.Equal(HttpStatusCode.OK, (await org.SendJsonAsync(HttpMethod.Patch, OrgHarness.Api("composite/sobjects"), $$"""{"records": [{{records}}]}""")).Status);
    }

    private static string[] ChangedFieldNames(GenericRecord record, GenericRecord header)
    {
        var bitmap = System.Numerics.BigInteger.Parse("0" + ((string)((object[])header["changedFields"])[0])[2..], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        return [.. record.Schema.Fields.Where(f => (bitmap >> f.Pos & 1) == 1).Select(f => f.Name)];
    }

    private static PubSubConnection Connect(OrgHarness org, string token) => new(org, token);

    private sealed class PubSubConnection : IDisposable
    {
        private readonly GrpcChannel _channel;

        public PubSubConnection(OrgHarness org, string token)
        {
            _channel = GrpcChannel.ForAddress(org.Server.PubSubUri);
            Client = new PubSubClient(_channel);
            Headers = new Metadata { { "accesstoken", token }, { "instanceurl", org.Server.BaseUri.ToString() }, { "tenantid", token.Split('!')[0] } };
        }

        public PubSubClient Client { get; }

        public Metadata Headers { get; }

        public Dictionary<string, RecordSchema> Schemas { get; } = [];

        /// <summary>Subscribes and reads until <paramref name="count"/> events came.</summary>
        public async Task<List<ConsumerEvent>> ReadAsync(string topic, ReplayPreset preset, ByteString? replayId, int count)
        {
            using var call = Client.Subscribe(Headers, cancellationToken: new CancellationTokenSource(Wait).Token);
            await call.RequestStream.WriteAsync(new FetchRequest { TopicName = topic, ReplayPreset = preset, ReplayId = replayId ?? ByteString.Empty, NumRequested = count });
            var events = new List<ConsumerEvent>();
            while (events.Count < count && await call.ResponseStream.MoveNext())
            {
                events.AddRange(call.ResponseStream.Current.Events);
            }

            return events;
        }

        public async Task<(GenericRecord Header, GenericRecord Record)> DecodeAsync(ConsumerEvent consumed)
        {
            var id = consumed.Event.SchemaId;
            if (!Schemas.TryGetValue(id, out var schema))
            {
                var info = await Client.GetSchemaAsync(new SchemaRequest { SchemaId = id }, Headers);
                schema = (RecordSchema)Schema.Parse(info.SchemaJson);
                Schemas[id] = schema;
            }

            var reader = new GenericDatumReader<GenericRecord>(schema, schema);
            var record = reader.Read(null!, new BinaryDecoder(new MemoryStream(consumed.Event.Payload.ToByteArray())));
            return ((GenericRecord)record["ChangeEventHeader"], record);
        }

        public void Dispose() => _channel.Dispose();
    }
}
