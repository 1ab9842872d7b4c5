using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SfPredictor.ModelStore;
using SfPredictor.Recommendations.Explanations;
using SfPredictor.Scoring;
using SfPredictor.Scoring.Packaging;
using SfPredictor.Worker.Telemetry;

namespace SfPredictor.Worker.Models;

/// <summary>
/// Keeps the current model loaded and swaps in a newly promoted one without a restart: each run asks the
/// store for its pointer (one small read) and loads a new version when it changed. A version that cannot be
/// downloaded or loaded (corrupt, or built for another feature schema) is rejected with one log entry and
/// the previous model keeps scoring. Runs hold a <see cref="ModelLease"/>, so a swap never disposes a model
/// a run is still using.
/// </summary>
public sealed class ModelProvider : IDisposable
{
    private readonly IModelStore _store;
    private readonly string _cacheFolder;
    private readonly ScorerOptions _scorerOptions;
    private readonly ILogger<ModelProvider> _logger;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly HashSet<string> _rejected = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private LoadedModel? _current;
    private bool _disposed;

    /// <summary>Creates a provider over a model store; nothing is loaded until the first <see cref="AcquireAsync"/>.</summary>
    public ModelProvider(IModelStore store, IOptions<WorkerOptions> options, IOptions<ScorerOptions> scorerOptions, ILogger<ModelProvider> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scorerOptions);
        _store = store;
        _cacheFolder = options.Value.ModelCachePath;
        _scorerOptions = scorerOptions.Value;
        _logger = logger;
    }

    /// <summary>The version scoring now, or null before a model was loaded.</summary>
    public string? CurrentVersion => Volatile.Read(ref _current)?.Package.Manifest.Version;

    /// <summary>
    /// Picks up the store's current version if it changed, then leases the model to score with; null when
    /// the store has no usable model yet. Dispose the lease when the run is done.
    /// </summary>
    public async Task<ModelLease?> AcquireAsync(CancellationToken cancellationToken = default)
    {
        await RefreshAsync(cancellationToken);
        lock (_gate)
        {
            return _current is { } model ? new ModelLease(model) : null;
        }
    }

    /// <summary>Loads the store's current version when it differs from the loaded one.</summary>
    /// <exception cref="ModelStoreException">The store cannot be read.</exception>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            var pointer = await _store.GetCurrentAsync(cancellationToken);
            if (pointer is null || pointer.Version == CurrentVersion || IsRejected(pointer.Version))
            {
                return;
            }

            var loaded = await TryLoadAsync(pointer.Version, cancellationToken);
            if (loaded is null)
            {
                return;
            }

            LoadedModel? previous;
            lock (_gate)
            {
                previous = _current;
                _current = loaded;
            }

            previous?.Release();
            Log.ModelLoaded(_logger, pointer.Version, loaded.Package.Manifest.Kind, loaded.Package.Manifest.FeatureCount);
            if (loaded.Package.Manifest.ActivityCoverage?.Warning is { } warning)
            {
                Log.ActivitiesUnrecognised(_logger, pointer.Version, warning);
            }

        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Releases the loaded model once no run holds it any more.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        LoadedModel? current;
        lock (_gate)
        {
            current = _current;
            _current = null;
        }

        current?.Release();
        _refresh.Dispose();
    }

    private async Task<LoadedModel?> TryLoadAsync(string version, CancellationToken cancellationToken)
    {
        try
        {
            var folder = await _store.DownloadAsync(version, _cacheFolder, cancellationToken);
            var package = ModelPackage.Load(folder, _scorerOptions);
            if (package.Manifest.Version != version)
            {
                var found = package.Manifest.Version;
                package.Dispose();
                throw new ModelPackageException($"The package stored as version '{version}' says it is version '{found}'.");
            }

            return new LoadedModel(package);
        }
        catch (Exception e) when (e is ModelPackageException or ModelStoreException or IOException or UnauthorizedAccessException or OnnxRuntimeException)
        {
            lock (_gate)
            {
                _rejected.Add(version);
            }

            Log.ModelRejected(_logger, version, CurrentVersion ?? "no model", e.Message);
            return null;
        }
    }

    private bool IsRejected(string version)
    {
        lock (_gate)
        {
            return _rejected.Contains(version);
        }
    }
}

/// <summary>A model held for the length of a run; disposing it lets a replaced model be freed.</summary>
public sealed class ModelLease : IDisposable
{
    private LoadedModel? _model;

    internal ModelLease(LoadedModel model)
    {
        model.AddRef();
        _model = model;
    }

    /// <summary>The leased model package.</summary>
    public ModelPackage Package => Model.Package;

    /// <summary>
    /// What a typical open Opportunity looks like under this model, from the last run that read every open
    /// one; the explanations of small incremental runs are measured against it.
    /// </summary>
    public ExplanationReference? Reference
    {
        get => Model.Reference;
        set => Model.Reference = value;
    }

    /// <summary>
    /// True the first time it is asked for this loaded model, false after: a warning about the model, such as
    /// explanations by replacement, is logged once per model rather than on every run.
    /// </summary>
    public bool FirstWarning() => Model.FirstWarning();

    private LoadedModel Model => _model ?? throw new ObjectDisposedException(nameof(ModelLease));

    /// <summary>Returns the lease.</summary>
    public void Dispose() => Interlocked.Exchange(ref _model, null)?.Release();
}

/// <summary>A loaded package with a count of its holders: the provider while current, and every lease.</summary>
internal sealed class LoadedModel(ModelPackage package)
{
    private int _holders = 1;
    private ExplanationReference? _reference;

    public ModelPackage Package { get; } = package;

    public ExplanationReference? Reference
    {
        get => Volatile.Read(ref _reference);
        set => Volatile.Write(ref _reference, value);
    }

    private int _warned;

    public bool FirstWarning() => Interlocked.Exchange(ref _warned, 1) == 0;

    public void AddRef() => Interlocked.Increment(ref _holders);

    public void Release()
    {
        if (Interlocked.Decrement(ref _holders) == 0)
        {
            Package.Dispose();
        }
    }
}
