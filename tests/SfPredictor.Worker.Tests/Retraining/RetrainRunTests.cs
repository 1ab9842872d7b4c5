using Microsoft.Extensions.DependencyInjection;
using SfPredictor.ModelStore;
using SfPredictor.Worker.Models;
using SfPredictor.Worker.State;
using SfPredictor.Worker.Tests.Infrastructure;

namespace SfPredictor.Worker.Tests.Retraining;

[Collection(WorkerCollection.Name)]
public sealed class RetrainRunTests(WorkerFixture fixture)
{
    [Fact]
    public async Task RunAsync_WithACurrentModel_PublishesEveryCandidateAndPromotesOnlyOneThatIsNotWorse()
    {
        await using var org = await TestOrg.StartAsync(fixture);

        // A single one-split tree barely learns anything: on the recent holdout it loses to the current model.
        // The small org's cross-validated choice is off, or it would pick something better than that tree.
        var weak = new Dictionary<string, string?>
        {
            ["SfPredictor:Training:ChooseRegularisationBelow"] = "0",
            ["SfPredictor:Training:MaxRounds"] = "1",
            ["SfPredictor:Training:MaxDepth"] = "1",
            ["SfPredictor:Training:LearningRate"] = "0.3",
            ["SfPredictor:Retrain:MaxLogLossIncrease"] = "0",
        };
        string weakVersion;
        await using (var session = await org.SessionAsync(weak))
        {
            var result = await session.RetrainAsync();
            weakVersion = result.CandidateVersion!;
            Assert.True(result.Report.Outcome == RunOutcome.Succeeded, result.Report.Error);
            Assert.False(result.Promoted);
            Assert.Contains("worse", result.Report.Detail, StringComparison.Ordinal);
            Assert.Equal(fixture.ModelVersion, (await session.Services.GetRequiredService<IModelStore>().GetCurrentAsync())!.Version);
        }

        org.Time.Advance(TimeSpan.FromMinutes(1));
        await using var again = await org.SessionAsync(new Dictionary<string, string?> { ["SfPredictor:Retrain:MaxLogLossIncrease"] = "1" });
        var promoted = await again.RetrainAsync();
        var store = again.Services.GetRequiredService<IModelStore>();

        Assert.True(promoted.Promoted);
        Assert.Equal(promoted.CandidateVersion, (await store.GetCurrentAsync())!.Version);
        Assert.Equal(promoted.CandidateVersion, again.Services.GetRequiredService<ModelProvider>().CurrentVersion);
        Assert.Equal(new[] { fixture.ModelVersion, weakVersion, promoted.CandidateVersion! }.Order(StringComparer.Ordinal), await store.ListVersionsAsync());
        Assert.True(File.Exists(promoted.ReportPath));
    }
}
