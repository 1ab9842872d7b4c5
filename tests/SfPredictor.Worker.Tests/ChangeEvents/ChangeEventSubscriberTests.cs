using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SfPredictor.LocalOrg;
using SfPredictor.Salesforce;
using SfPredictor.Worker.ChangeEvents;
using SfPredictor.Worker.Hosting;
using SfPredictor.Worker.Scheduling;
using SfPredictor.Worker.State;
using SfPredictor.Worker.Tests.Infrastructure;
using SfPredictor.Worker.WriteBack;

namespace SfPredictor.Worker.Tests.ChangeEvents;

[Collection(WorkerCollection.Name)]
public sealed class ChangeEventSubscriberTests(WorkerFixture fixture)
{
    private const string OpportunityTopic = "/data/OpportunityChangeEvent";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Subscriber_BurstOfChanges_DebounceMergesThemIntoOneRunAndItsOwnWritesAreIgnored()
    {
        await using var org = await TestOrg.StartAsync(fixture);
        var log = new ListLogger();
        await using var session = await StartAsync(org, log);
        var subscriber = session.Services.GetRequiredService<ChangeEventSubscriber>();
        var open = org.OpenIds;
        var warmUpRuns = await WarmUpAsync(org, session, subscriber, open[0]);

        // A burst: 30 Opportunities edited, and a Task edit that leaves WhatId alone (looked up by Id).
        var task = org.Local.Generated.Data.Tasks.First(t => t.WhatId is { } what && open.Contains(what) && !open.Take(31).Contains(what));
        var others = subscriber.Batch.OthersReceived;
        var own = subscriber.Batch.OwnReceived;
        await ChangeAsync(session, "Opportunity", open.Skip(1).Take(30).Select(id => (id, "Amount", (object)12345)));
        await ChangeAsync(session, "Task", [(task.Id, "Subject", "Called again")]);
        await Until(() => subscriber.Batch.OthersReceived >= others + 31);
        await HandleAsync(org, subscriber);

        var runs = await ChangeEventRunsAsync(session);
        Assert.Equal(warmUpRuns + 1, runs.Count);
        var run = runs[0];
        Assert.Equal(RunOutcome.Succeeded, run.Outcome);
        Assert.Equal(31, run.Read);
        Assert.True(run.Written > 0);

        // The run's own writes come back as change events: handled (their replay ids kept) without another run.
        await Until(() => subscriber.Batch.OwnReceived >= own + run.Written);
        await HandleAsync(org, subscriber);
        Assert.Equal(own + run.Written, subscriber.Batch.OwnReceived);
        Assert.Equal(others + 31, subscriber.Batch.OthersReceived);
        Assert.Equal(warmUpRuns + 1, (await ChangeEventRunsAsync(session)).Count);
        Assert.NotNull(await session.Services.GetRequiredService<StateStore>().GetReplayIdAsync(OpportunityTopic));
    }

    [Fact]
    public async Task Subscriber_StreamDropped_SubscribesAgainAfterTheLastEventReceived_NoneLostNoneTwice()
    {
        await using var org = await TestOrg.StartAsync(fixture);
        var log = new ListLogger();
        await using var session = await StartAsync(org, log);
        var subscriber = session.Services.GetRequiredService<ChangeEventSubscriber>();
        var open = org.OpenIds;
        var warmUpRuns = await WarmUpAsync(org, session, subscriber, open[0]);
        var others = subscriber.Batch.OthersReceived;

        org.Local.Org.DropSubscriptions();
        await Until(() => log.Said("Change event stream " + OpportunityTopic + " failed"));
        await ChangeAsync(session, "Opportunity", open.Skip(1).Take(2).Select(id => (id, "Amount", (object)2468)));
        await Until(() => subscriber.Batch.OthersReceived >= others + 2);
        await HandleAsync(org, subscriber);

        var runs = await ChangeEventRunsAsync(session);
        Assert.Equal(warmUpRuns + 1, runs.Count);
        Assert.Equal(2, runs[0].Read);
        Assert.Contains(open[1], org.Writes.Saved.Keys);

        // A later change comes after anything the new stream could have sent again: nothing was.
        await ChangeAsync(session, "Opportunity", [(open[3], "Amount", (object)1357)]);
        await Until(() => subscriber.Batch.OthersReceived >= others + 3);
        Assert.Equal(others + 3, subscriber.Batch.OthersReceived);
    }

    [Fact]
    public async Task Subscriber_WriteBackThroughBulkApi_ItsEventsAreKnownByTheIntegrationUser_NoSecondRun()
    {
        // Bulk API 2.0 jobs carry no client name: their events say only who committed them.
        await using var org = await TestOrg.StartAsync(fixture);
        var log = new ListLogger();
        await using var session = await StartAsync(org, log, more: new() { ["Salesforce:BulkWriteThreshold"] = "0" });
        var subscriber = session.Services.GetRequiredService<ChangeEventSubscriber>();
        var open = org.OpenIds;
        var own = subscriber.Batch.OwnReceived;
        var runs = await WarmUpAsync(org, session, subscriber, open[0]);
        var written = (await ChangeEventRunsAsync(session)).Sum(r => r.Written);

        Assert.True(written > 0);
        Assert.True(org.Writes.BulkUploads > 0);
        Assert.Equal(own + written, subscriber.Batch.OwnReceived);
        Assert.Equal(runs, (await ChangeEventRunsAsync(session)).Count);
        Assert.False(log.Said("could not be decoded"));
    }

    [Fact]
    public async Task Subscriber_Restart_ResumesAfterTheLastHandledEvent_NoneLostNoneTwice()
    {
        await using var org = await TestOrg.StartAsync(fixture);
        var open = org.OpenIds;
        int before;
        await using (var first = await StartAsync(org, new ListLogger()))
        {
            var subscriber = first.Services.GetRequiredService<ChangeEventSubscriber>();
            before = await WarmUpAsync(org, first, subscriber, open[0]);
            Assert.Equal(open[0], Assert.Single(org.Writes.Saved.Keys));
        }

        // Changed while no worker was running.
        await using (var offline = await StartAsync(org, new ListLogger(), enabled: false, resume: true))
        {
            await ChangeAsync(offline, "Opportunity", open.Skip(1).Take(3).Select(id => (id, "Amount", (object)777)));
        }

        org.Writes.Clear();
        await using var second = await StartAsync(org, new ListLogger(), resume: true);
        var restarted = second.Services.GetRequiredService<ChangeEventSubscriber>();
        await Until(() => restarted.Batch.OthersReceived >= 3);
        await HandleAsync(org, restarted);

        var runs = await ChangeEventRunsAsync(second);
        Assert.Equal(before + 1, runs.Count);
        Assert.Equal(3, runs[0].Read);
        Assert.DoesNotContain(open[0], org.Writes.Saved.Keys);
    }

    [Fact]
    public async Task Subscriber_OrgRestartsWithNewFieldAndNoEvents_CatchesUpOnceAndDecodesTheNewSchema()
    {
        // The org keeps nothing across the restart, so the worker's replay id is unknown to it, as one older than
        // Salesforce's 72 hours would be.
        await using var org = await TestOrg.StartAsync(fixture, configureOrg: o => o.PersistUpdates = false);
        var log = new ListLogger();
        await using var session = await StartAsync(org, log, backoff: true);
        var subscriber = session.Services.GetRequiredService<ChangeEventSubscriber>();
        var open = org.OpenIds;
        var warmUpRuns = await WarmUpAsync(org, session, subscriber, open[0]);
        var schemasBefore = SchemasFetched(log);

        // The org stops and comes back with a field added to Opportunity: a new schema for its change events.
        var old = org.Local.Org;
        var options = new LocalOrgOptions
        {
            ExportDirectory = org.Local.ExportFolder,
            ClientId = LocalOrgWorkerClientId,
            PublicKeyPath = Path.Combine(org.Local.Folder, "keys", "server.pub"),
            Port = old.BaseUri.Port,
            PubSubPort = old.PubSubUri.Port,
            PersistUpdates = false,
        };
        foreach (var field in new WriteBackOptions().Fields())
        {
            options.CustomFields.Add($"Opportunity.{field.ApiName}:{field.DescribeType}");
        }

        options.CustomFields.Add("Opportunity.Region__c:string");
        await old.DisposeAsync();
        await Until(() => log.Said("Change event stream " + OpportunityTopic + " failed"));
        await using var restarted = await LocalOrgServer.StartAsync(options, org.Time, NullLoggerFactory.Instance);

        // The streams come back (after backoff on the fake clock) and the change reaches the subscriber.
        var received = subscriber.Batch.OthersReceived;
        var attempts = 0;
        await Until(() => subscriber.Batch.OthersReceived > received, async () =>
        {
            org.Time.Advance(TimeSpan.FromSeconds(1));
            if (log.Said("no longer retained") && attempts++ % 40 == 0)
            {
                await ChangeAsync(session, "Opportunity", [(open[1], "Region__c", "EMEA")]);
            }
        });
        await HandleAsync(org, subscriber);

        Assert.True(SchemasFetched(log) > schemasBefore);
        Assert.False(log.Said("could not be decoded"));
        var catchUp = await session.Services.GetRequiredService<StateStore>().GetRunsAsync(10, JobNames.Score);
        Assert.Equal(RunOutcome.Succeeded, Assert.Single(catchUp).Outcome);
        var runs = await ChangeEventRunsAsync(session);
        Assert.Equal(warmUpRuns + 1, runs.Count);
        Assert.Equal(1, runs[0].Read);
    }

    private const string LocalOrgWorkerClientId = "sfp-local";

    private static int SchemasFetched(ListLogger log) => log.Entries.Count(e => e.Message.StartsWith("Fetched change event schema", StringComparison.Ordinal));

    // Unless a test watches the backoff, a stream that fails (a loaded machine can drop one) resubscribes at once
    // rather than after a wait on the fake clock. Unless told to resume where a previous session left off, the Opportunity
    // stream starts after the org's newest event, kept as if handled, so the first change a test makes is never missed
    // (the activity streams start at the newest event, live long before a test's first activity change).
    private static async Task<PipelineSession> StartAsync(
        TestOrg org, ListLogger log, bool enabled = true, bool backoff = false, bool resume = false, Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>(more ?? [])
        {
            ["SfPredictor:ChangeEvents:Enabled"] = enabled ? "true" : "false",
            ["SfPredictor:ChangeEvents:ReconnectDelay"] = backoff ? "00:00:01" : "00:00:00",
        };
        if (!resume)
        {
            // A change first, since a new org has no event to resume after.
            await using var before = await PipelineSession.StartAsync(org.Settings(new Dictionary<string, string?>(settings) { ["SfPredictor:ChangeEvents:Enabled"] = "false" }));
            await ChangeAsync(before, "Opportunity", [(org.OpenIds[^1], "Amount", (object)1)]);
            await before.Services.GetRequiredService<StateStore>().SetReplayIdAsync(OpportunityTopic, org.Local.Org.LatestReplayId);
        }

        return await PipelineSession.StartAsync(
            org.Settings(settings),
            logging =>
            {
                logging.AddProvider(log);
                logging.SetMinimumLevel(LogLevel.Debug);
            },
            services =>
            {
                services.AddSingleton<TimeProvider>(org.Time);
                services.ConfigureHttpClientDefaults(client => client.AddHttpMessageHandler(() => new WriteLogHandler(org.Writes)));
                services.AddChangeEventSubscriber();
            });
    }

    // One change handled proves the streams are live. Waits until it is handled and the events of the run's own writes
    // have come back and been handled too, so none of them spills into what a test does next. Returns the change event
    // runs so far.
    private static async Task<int> WarmUpAsync(TestOrg org, PipelineSession session, ChangeEventSubscriber subscriber, string opportunity)
    {
        var others = subscriber.Batch.OthersReceived;
        await ChangeAsync(session, "Opportunity", [(opportunity, "Amount", (object)4321)]);
        await Until(() => subscriber.Batch.OthersReceived > others);
        do
        {
            await HandleAsync(org, subscriber);
            var written = (await ChangeEventRunsAsync(session)).Sum(r => r.Written);
            await Until(() => subscriber.Batch.OwnReceived >= written);
        }
        while (!subscriber.Batch.IsEmpty);

        return (await ChangeEventRunsAsync(session)).Count;
    }

    // Advances the clock past the debounce until every event received is handled.
    private static async Task HandleAsync(TestOrg org, ChangeEventSubscriber subscriber) =>
        await Until(() => subscriber.Batch.IsEmpty && !subscriber.IsHandling, () => org.Time.Advance(TimeSpan.FromSeconds(1)));

    private static async Task<List<RunReport>> ChangeEventRunsAsync(PipelineSession session) =>
        [.. await session.Services.GetRequiredService<StateStore>().GetRunsAsync(50, ChangeEventRunner.JobName)];

    /// <summary>Edits records as a user would, through another client than the worker's.</summary>
    private static async Task ChangeAsync(PipelineSession session, string objectName, IEnumerable<(string Id, string Field, object Value)> changes)
    {
        await using var scope = session.Services.CreateAsyncScope();
        var login = await scope.ServiceProvider.GetRequiredService<SalesforceClient>().GetStreamingSessionAsync();
        using var http = new HttpClient { BaseAddress = login.InstanceUrl };
        var records = string.Join(",", changes.Select(c => $$"""{"attributes": {"type": "{{objectName}}"}, "id": "{{c.Id}}", "{{c.Field}}": {{System.Text.Json.JsonSerializer.Serialize(c.Value)}}}"""));
        using var request = new HttpRequestMessage(HttpMethod.Patch, "/services/data/v62.0/composite/sobjects")
        {
            Content = new StringContent($$"""{"records": [{{records}}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", login.AccessToken);
        request.Headers.Add("Sforce-Call-Options", "client=sfp-test");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode && !body.Contains("\"success\":false", StringComparison.Ordinal), body);
    }

    /// <summary>Waits for a condition, doing <paramref name="step"/> (advance the fake clock, repeat a change) between looks.</summary>
    private static async Task Until(Func<bool> condition, Func<Task>? step = null)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < Patience, "The condition was not met in time.");
            if (step is not null)
            {
                await step();
            }

            await Task.Delay(50);
        }
    }

    private static Task Until(Func<bool> condition, Action step) => Until(condition, () =>
    {
        step();
        return Task.CompletedTask;
    });
}
