using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SfPredictor.DataExport;
using SfPredictor.LocalOrg.Api;
using SfPredictor.LocalOrg.Auth;
using SfPredictor.LocalOrg.Bulk;
using SfPredictor.LocalOrg.Data;
using SfPredictor.LocalOrg.PubSub;

namespace SfPredictor.LocalOrg;

/// <summary>
/// A local, Salesforce-compatible org: serves a Data Export folder over the REST, OAuth and Bulk API
/// 2.0 endpoints on 127.0.0.1 and writes updates back to the folder.
/// <code>
/// await using var org = await LocalOrgServer.StartAsync(new LocalOrgOptions { ExportDirectory = dir, ClientSecret = "s" });
/// // point a Salesforce client at org.BaseUri (login URL and instance URL), client id org options' ClientId
/// await org.FlushAsync();   // updates are now in dir's CSV files
/// </code>
/// Disposing stops the server and writes pending updates.
/// </summary>
public sealed class LocalOrgServer : IAsyncDisposable
{
    // Bulk API 2.0 accepts uploads up to 150 MB.
    private const int MaxUriBytes = 16_384;

    private const long MaxRequestBodyBytes = 150L * 1024 * 1024;

    private readonly WebApplication _app;
    private readonly LocalOrgRuntime _runtime;
    private bool _disposed;
    private readonly CancellationTokenSource _stopping = new();
    private Task _warmUp = Task.CompletedTask;

    private LocalOrgServer(WebApplication app, LocalOrgRuntime runtime, LocalOrgLoadSummary load)
    {
        _app = app;
        _runtime = runtime;
        Load = load;
    }

    /// <summary>The org's URL (<c>http://127.0.0.1:port/</c>): both the login URL and the instance URL.</summary>
    public Uri BaseUri => _runtime.BaseUri;

    /// <summary>The Pub/Sub API endpoint (<c>http://127.0.0.1:port/</c>, HTTP/2): Change Data Capture events of every write.</summary>
    public Uri PubSubUri => _runtime.PubSubUri;

    /// <summary>Raised for every change event the org publishes, under its write lock (keep handlers short).</summary>
    public event Action<LocalOrgChange>? Changed
    {
        add => _runtime.ChangeEvents.Published += value;
        remove => _runtime.ChangeEvents.Published -= value;
    }

    /// <summary>The replay id of the newest change event (a subscriber that starts after it misses nothing that follows).</summary>
    public byte[] LatestReplayId => ChangeEventBus.Encode(_runtime.ChangeEvents.LastReplayId);

    /// <summary>Ends every open Pub/Sub subscription with UNAVAILABLE, as a dropped connection would.</summary>
    public void DropSubscriptions() => _runtime.ChangeEvents.DropSubscriptions();

    /// <summary>API calls counted against the daily budget since the org started (logins are not API calls).</summary>
    public long ApiCallCount => _runtime.Budget.TotalCalls;

    /// <summary>What was loaded and how long it took.</summary>
    public LocalOrgLoadSummary Load { get; }

    /// <summary>Loads the export, starts listening, and returns once the org answers.</summary>
    /// <exception cref="OptionsValidationException">A setting is invalid; the message names it.</exception>
    /// <exception cref="SfPredictor.DataExport.DataExportFormatException">An export file is malformed; the message names file, line and field.</exception>
    public static Task<LocalOrgServer> StartAsync(LocalOrgOptions options, CancellationToken cancellationToken = default) =>
        StartAsync(options, TimeProvider.System, NullLoggerFactory.Instance, cancellationToken);

    /// <summary>Loads the export, starts listening, and returns once the org answers.</summary>
    /// <param name="options">Settings.</param>
    /// <param name="timeProvider">The org's clock: token expiry, SystemModstamp of updates, the daily budget, date literals.</param>
    /// <param name="loggerFactory">Logs loading, flushes and refused logins (never tokens or secrets).</param>
    /// <param name="cancellationToken">Cancels loading and start.</param>
    /// <exception cref="OptionsValidationException">A setting is invalid; the message names it.</exception>
    /// <exception cref="SfPredictor.DataExport.DataExportFormatException">An export file is malformed; the message names file, line and field.</exception>
    public static async Task<LocalOrgServer> StartAsync(
        LocalOrgOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var validation = new ValidateLocalOrgOptions().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(LocalOrgOptions.SectionName, typeof(LocalOrgOptions), validation.Failures);
        }

        var logger = loggerFactory.CreateLogger<LocalOrgServer>();
        var customFields = options.CustomFields.Select(f => CustomFieldSpec.TryParse(f, out var spec, out _) ? spec : null!).ToList();
        var store = await OrgStore.LoadAsync(options.ExportDirectory, customFields, new ExportCsvLimits(options.MaxFieldLength, options.MaxRowLength), cancellationToken);
        var load = new LocalOrgLoadSummary(store.Tables.ToDictionary(t => t.Name, t => t.RowCount, StringComparer.OrdinalIgnoreCase), store.LoadTime);
        Log.Loaded(logger, load.RowCounts.Count, load.TotalRows, options.ExportDirectory, (long)load.Elapsed.TotalMilliseconds);

        LocalOrgRuntime? runtime = null;
        WebApplication? app = null;
        WriteJournal? journal = null;
        try
        {
            List<IReadOnlyList<RecordChange>> pending = [];
            if (options.PersistUpdates)
            {
                (journal, pending) = WriteJournal.Open(options.ExportDirectory);
            }

            runtime = new LocalOrgRuntime(options, store, journal, timeProvider, logger);
            runtime.Recover(pending);
            app = Build(runtime, options.Port, loggerFactory);
            await app.StartAsync(cancellationToken);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
            runtime.BaseUri = new Uri(addresses[0].Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
            runtime.PubSubUri = new Uri(addresses[1].Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
            Log.Listening(logger, runtime.BaseUri);
            var server = new LocalOrgServer(app, runtime, load);
            server._warmUp = runtime.WarmUpAsync(server._stopping.Token);
            return server;
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            if (runtime is not null)
            {
                await runtime.DisposeAsync();
            }
            else
            {
                journal?.Dispose();
                store.Dispose();
            }

            throw;
        }
    }

    /// <summary>Writes every update not yet written to the export's CSV files.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) => _runtime.Flusher.FlushAsync(cancellationToken);

    /// <summary>Ends every session: the next API call with an old token gets 401 INVALID_SESSION_ID.</summary>
    public void ExpireTokens() => _runtime.Tokens.ExpireAll();

    /// <summary>Stops listening and writes pending updates.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stopping.CancelAsync();
        try
        {
            await _warmUp;
        }
        catch (OperationCanceledException)
        {
            // Stopped before it finished: nothing was changed.
        }

        _stopping.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _runtime.DisposeAsync();
    }

    private static WebApplication Build(LocalOrgRuntime runtime, int port, ILoggerFactory loggerFactory)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.Replace(ServiceDescriptor.Singleton(loggerFactory));

        // The owner of the server decides when it stops, not Ctrl-C handlers of a console lifetime.
        builder.Services.Replace(ServiceDescriptor.Singleton<IHostLifetime, OwnerControlledLifetime>());
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;

            // Salesforce takes URIs of up to 16,384 bytes (a SOQL IN list of a few hundred Ids);
            // Kestrel's default 8 KB request line would answer such queries with 414.
            kestrel.Limits.MaxRequestLineSize = MaxUriBytes + 64;
            kestrel.Listen(IPAddress.Loopback, runtime.Options.PubSubPort, listen => listen.Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddPubSub(runtime);

        var app = builder.Build();
        app.UseRouting();
        app.UseApiGate(runtime);
        app.UseChangeOrigin();
        app.MapOAuth(runtime);
        app.MapLimitsAndVersions(runtime);
        app.MapQueries(runtime);
        app.MapCollections(runtime);
        app.MapSObjects(runtime);
        app.MapIdentity(runtime);
        app.MapDescribe(runtime);
        app.MapBulkQueries(runtime);
        app.MapBulkIngest(runtime);
        app.MapGrpcService<PubSubService>();
        app.MapFallback("/services/data/{**path}", ApiResponses.WriteNotFoundAsync);
        return app;
    }

    private sealed class OwnerControlledLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>What a local org loaded.</summary>
/// <param name="RowCounts">Records per object.</param>
/// <param name="Elapsed">Time to read the export.</param>
public sealed record LocalOrgLoadSummary(IReadOnlyDictionary<string, int> RowCounts, TimeSpan Elapsed)
{
    /// <summary>Records across all objects.</summary>
    public long TotalRows => RowCounts.Values.Sum(n => (long)n);
}
