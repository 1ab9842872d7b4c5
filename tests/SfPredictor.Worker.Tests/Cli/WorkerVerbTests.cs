using System.Text.Json;
using SfPredictor.ModelStore.Local;
using SfPredictor.Scoring.Packaging;
using SfPredictor.Worker.Tests.Infrastructure;
using SfPredictor.Worker.WriteBack;

namespace SfPredictor.Worker.Tests.Cli;

/// <summary>The admin verbs as an admin runs them: <c>sfp</c> in its own process, configured by environment variables.</summary>
[Collection(WorkerCollection.Name)]
public sealed class WorkerVerbTests(WorkerFixture fixture)
{
    [Fact]
    public async Task ScoreOnceDryRun_AgainstAnOrg_PrintsThePlannedWritesAndWritesNothing()
    {
        await using var org = await TestOrg.StartAsync(fixture);

        var (exit, output, error) = await SfpAsync(org.Settings(), "score", "--once", "--dry-run", "--show", "5");

        Assert.True(exit == 0, error);
        Assert.Contains($"would write {org.OpenIds.Count:N0}", output, StringComparison.Ordinal);
        Assert.Contains("Next activities", output, StringComparison.Ordinal);
        Assert.Contains(fixture.ModelVersion, output, StringComparison.Ordinal);
        var export = await org.ReadExportAsync();
        Assert.All(export.Opportunities, o => Assert.Null(o.Custom.GetValueOrDefault(new WriteBackOptions().ProbabilityField)));
    }

    [Fact]
    public async Task ModelsAndHealth_WithTheStoreSettingsOnly_ListPromoteAndReport()
    {
        var root = Path.Combine(fixture.Root, "verbs-" + Guid.NewGuid().ToString("N")[..8]);
        var store = new LocalFolderModelStore(Path.Combine(root, "models"));
        await store.PublishAsync(fixture.ModelVersion, fixture.PackageFolder);
        await store.PromoteAsync(fixture.ModelVersion, null);
        using (var original = ModelPackage.Load(fixture.PackageFolder))
        {
            var older = Path.Combine(root, "staging", "0-older");
            ModelPackage.Write(older, File.ReadAllBytes(Path.Combine(fixture.PackageFolder, ModelPackage.ModelFileName)), original.Manifest with { Version = "0-older" }, original.Schema);
            await store.PublishAsync("0-older", older);
        }

        var settings = new Dictionary<string, string?>
        {
            ["SfPredictor:ModelStore:LocalPath"] = Path.Combine(root, "models"),
            ["SfPredictor:JobStore:ConnectionString"] = $"Data Source={Path.Combine(root, "data", "state.db")}",
            ["SfPredictor:Worker:ModelCachePath"] = Path.Combine(root, "cache"),
        };

        var listed = await SfpAsync(settings, "models", "list");
        var promoted = await SfpAsync(settings, "models", "promote", "0-older");
        var health = await SfpAsync(settings, "health");

        Assert.True(listed.Exit == 0, listed.Error);
        Assert.Equal(["  0-older", "* " + fixture.ModelVersion], listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(promoted.Exit == 0, promoted.Error);
        Assert.Equal("0-older", (await store.GetCurrentAsync())!.Version);
        Assert.True(health.Exit == 0, health.Error);
        using var document = JsonDocument.Parse(health.Output);
        Assert.Equal("ok", document.RootElement.GetProperty("status").GetString());
        Assert.Equal("0-older", document.RootElement.GetProperty("modelVersion").GetString());
    }

    private static Task<(int Exit, string Output, string Error)> SfpAsync(IReadOnlyDictionary<string, string?> settings, params string[] arguments) =>
        SfpProcess.RunAsync(settings, arguments);
}
