using Microsoft.Extensions.Logging;
using SfPredictor.Scoring.Packaging;
using SfPredictor.Worker.Retraining;
using SfPredictor.Worker.Telemetry;

namespace SfPredictor.Worker.Models;

/// <summary>The model a scoring run scores with: the model store's current one, or a package given for one run.</summary>
internal interface IModelSource
{
    /// <summary>The version scoring now, or null before a model was loaded.</summary>
    string? CurrentVersion { get; }

    /// <summary>Leases the model to score with; dispose the lease when the run is done.</summary>
    /// <exception cref="NoModelException">There is no usable model and none could be trained.</exception>
    Task<ModelLease> AcquireAsync(CancellationToken cancellationToken);
}

/// <summary>The model store's current model (<see cref="ModelProvider"/>); when the store has none yet, one is trained first.</summary>
internal sealed class StoreModels(ModelProvider models, RetrainRun retrain, ILogger<StoreModels> logger) : IModelSource
{
    public string? CurrentVersion => models.CurrentVersion;

    public async Task<ModelLease> AcquireAsync(CancellationToken cancellationToken)
    {
        if (await models.AcquireAsync(cancellationToken) is { } lease)
        {
            return lease;
        }

        Log.TrainingFirstModel(logger);
        var trained = await retrain.RunAsync(progress: null, cancellationToken);
        return await models.AcquireAsync(cancellationToken)
            ?? throw new NoModelException($"The model store has no usable model and training a first one failed: {trained.Report.Error ?? trained.Report.Detail}");
    }
}

/// <summary>One model package, given for the runs of one command (<c>sfp recommend</c>); disposing it frees the package once no run holds it.</summary>
internal sealed class PackageModel(ModelPackage package) : IModelSource, IDisposable
{
    private readonly LoadedModel _model = new(package);

    public string? CurrentVersion => _model.Package.Manifest.Version;

    public Task<ModelLease> AcquireAsync(CancellationToken cancellationToken) => Task.FromResult(new ModelLease(_model));

    public void Dispose() => _model.Release();
}

/// <summary>The model store has no usable model and none could be trained.</summary>
internal sealed class NoModelException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NoModelException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public NoModelException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public NoModelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
