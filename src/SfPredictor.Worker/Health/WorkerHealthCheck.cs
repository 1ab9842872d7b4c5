using Microsoft.Extensions.Diagnostics.HealthChecks;
using SfPredictor.Worker.Models;
using SfPredictor.Worker.State;

namespace SfPredictor.Worker.Health;

/// <summary>
/// The worker's health: <see cref="HealthDocument"/> built from the state store. Healthy while the latest
/// scoring run succeeded (or none ran yet), Degraded when it failed; the check fails (Unhealthy) only when
/// the state store cannot be read. The document travels in the result's data under <see cref="DocumentKey"/>.
/// </summary>
internal sealed class WorkerHealthCheck(StateStore state, ModelProvider models) : IHealthCheck
{
    /// <summary>The name the check is registered under.</summary>
    public const string Name = "worker";

    /// <summary>The key of the <see cref="HealthDocument"/> in <see cref="HealthCheckResult.Data"/>.</summary>
    public const string DocumentKey = "document";

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var document = await HealthDocument.CreateAsync(state, models.CurrentVersion, cancellationToken);
        var data = new Dictionary<string, object> { [DocumentKey] = document };
        return document.Status == "ok"
            ? HealthCheckResult.Healthy("The latest scoring run succeeded or none ran yet.", data)
            : HealthCheckResult.Degraded($"The latest scoring run failed: {document.LastRun?.Error}", data: data);
    }
}
