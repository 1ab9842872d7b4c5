using Microsoft.Extensions.DependencyInjection;

namespace SfPredictor.LocalOrg.PubSub;

internal static class PubSubServiceCollectionExtensions
{
    /// <summary>Registers gRPC and the Pub/Sub service over <paramref name="runtime"/>'s change events.</summary>
    public static IServiceCollection AddPubSub(this IServiceCollection services, LocalOrgRuntime runtime)
    {
        services.AddGrpc();
        services.AddSingleton(runtime);
        return services;
    }
}
