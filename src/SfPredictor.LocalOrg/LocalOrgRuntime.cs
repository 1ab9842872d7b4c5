using Microsoft.Extensions.Logging;
using SfPredictor.LocalOrg.Api;
using SfPredictor.LocalOrg.Auth;
using SfPredictor.LocalOrg.Bulk;
using SfPredictor.LocalOrg.Data;
using SfPredictor.LocalOrg.PubSub;
using SfPredictor.Records;

namespace SfPredictor.LocalOrg;

/// <summary>Everything the endpoints share: the data, sessions, budget, cursors and jobs of one running org.</summary>
internal sealed class LocalOrgRuntime : IAsyncDisposable
{
    public LocalOrgRuntime(LocalOrgOptions options, OrgStore store, WriteJournal? journal, TimeProvider time, ILogger logger)
    {
        Journal = journal;
        Options = options;
        Store = store;
        Time = time;
        Logger = logger;
        OrgId = SalesforceId.Normalize("00D000000000001");
        UserId = store.FindTable("User") is { RowCount: > 0 } users && users.IdOf(0) is { } first ? first : SalesforceId.Normalize("005000000000001");
        Tokens = new SessionTokens(time, options.TokenLifetime, OrgId);
        Jwt = string.IsNullOrEmpty(options.PublicKeyPath) ? null : JwtBearerVerifier.FromPemFile(options.PublicKeyPath, options.ClientId, time);
        Budget = new ApiBudget(time, options.DailyApiRequests);
        Faults = new FaultInjector(options.FailureRate, options.FailureSeed);
        Cursors = new QueryCursors(time);
        Jobs = new BulkJobs();
        ChangeEvents = new ChangeEventBus(options.PersistUpdates ? Path.Combine(options.ExportDirectory, "_pubsub", "events.log") : null, time, UserId);
        Updater = new RecordUpdater(store, time, journal, ChangeEvents);
        Flusher = new FlushScheduler(store, journal, options.FlushDelay, time, logger, options.PersistUpdates);
    }

    public LocalOrgOptions Options { get; }

    /// <summary>The write log; null when updates are not persisted.</summary>
    public WriteJournal? Journal { get; }

    public OrgStore Store { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    /// <summary>The org Id (00D...), the first part of every access token.</summary>
    public string OrgId { get; }

    /// <summary>The user every session runs as: the first User of the export.</summary>
    public string UserId { get; }

    public SessionTokens Tokens { get; }

    /// <summary>Verifies JWT bearer assertions; null when no public key is configured.</summary>
    public JwtBearerVerifier? Jwt { get; }

    public ApiBudget Budget { get; }

    public FaultInjector Faults { get; }

    public QueryCursors Cursors { get; }

    public BulkJobs Jobs { get; }

    public RecordUpdater Updater { get; }

    /// <summary>Change Data Capture: every create, update and delete becomes a change event (Pub/Sub API).</summary>
    public ChangeEventBus ChangeEvents { get; }

    public FlushScheduler Flusher { get; }

    /// <summary>
    /// Applies the writes the log holds from before a stop or crash, writes them into the export's
    /// files and empties the log.
    /// </summary>
    /// <exception cref="InvalidOperationException">The log names an object or record the export lacks.</exception>
    public void Recover(IReadOnlyList<IReadOnlyList<RecordChange>> writes)
    {
        if (writes.Count == 0)
        {
            return;
        }

        Store.Write(() =>
        {
            foreach (var write in writes)
            {
                Updater.Replay(write);
            }

            return 0;
        });
        Store.FlushChangedTables(Journal is null ? null : Journal.Clear);
        Log.Recovered(Logger, writes.Count, writes.Sum(w => w.Count));
    }

    /// <summary>Where the org listens, set once Kestrel has bound its port.</summary>
    public Uri BaseUri { get; set; } = new("http://127.0.0.1/");

    /// <summary>Where the Pub/Sub API listens (HTTP/2), set once Kestrel has bound its port.</summary>
    public Uri PubSubUri { get; set; } = new("http://127.0.0.1/");

    /// <summary>Today in the org's time zone (UTC), for relative date literals.</summary>
    public DateOnly Today => DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime);

    /// <summary>The org's fiscal year, for fiscal date literals and functions.</summary>
    public Soql.FiscalYear FiscalYear => new(Options.FiscalYearStartMonth, Options.FiscalYearBasedOn);

    /// <summary>
    /// Does now, in the background, the work a first write would otherwise do while its client
    /// waits: the column types its checks read, the Id index that finds its records and the change
    /// event schema it publishes with, for every table of at most <see cref="WarmUpRowLimit"/> rows
    /// (the objects clients write: Opportunity, Account, User; Task and Event are mostly read). Held
    /// under the read lock, so a write that arrives meanwhile waits for it rather than racing it.
    /// </summary>
    public Task WarmUpAsync(CancellationToken cancellationToken) => Task.Run(
        () =>
        {
            foreach (var table in Store.Tables.Where(t => t.RowCount <= WarmUpRowLimit).OrderByDescending(t => t.RowCount))
            {
                cancellationToken.ThrowIfCancellationRequested();
                Store.Read(() =>
                {
                    foreach (var column in table.Columns)
                    {
                        _ = column.Type;
                    }

                    if (table.RowCount > 0)
                    {
                        table.TryFindRow(table.IdOf(0), out _);
                    }

                    return ChangeEvents.CurrentSchemaId(table);
                });
            }
        },
        cancellationToken);

    /// <summary>The largest table <see cref="WarmUpAsync"/> prepares.</summary>
    public const int WarmUpRowLimit = 250_000;

    public async ValueTask DisposeAsync()
    {
        await Flusher.DisposeAsync();
        Journal?.Dispose();
        ChangeEvents.Dispose();
        Jwt?.Dispose();
        Store.Dispose();
    }
}
