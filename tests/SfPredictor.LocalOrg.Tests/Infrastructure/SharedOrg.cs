namespace SfPredictor.LocalOrg.Tests.Infrastructure;

/// <summary>One read-only org over the sample export, shared by the tests of a class that never change it.</summary>
public sealed class SharedOrg : IAsyncLifetime
{
    internal OrgHarness Org { get; private set; } = null!;

    public async Task InitializeAsync() => Org = await OrgHarness.StartAsync();

    public async Task DisposeAsync() => await Org.DisposeAsync();
}
