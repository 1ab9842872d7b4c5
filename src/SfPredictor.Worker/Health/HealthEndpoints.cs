using Microsoft.AspNetCore.Routing;

namespace SfPredictor.Worker.Health;

/// <summary>
/// Endpoints served on the health port beside <c>GET /health</c>. Register an implementation with
/// <c>services.AddSingleton&lt;IHealthPortEndpoints, T&gt;()</c> (it is resolved from the worker's services,
/// so it may take any of them); <see cref="HealthServer"/> maps every one at start.
/// </summary>
internal interface IHealthPortEndpoints
{
    /// <summary>Maps this set's routes on the health server.</summary>
    void MapEndpoints(IEndpointRouteBuilder endpoints);
}
