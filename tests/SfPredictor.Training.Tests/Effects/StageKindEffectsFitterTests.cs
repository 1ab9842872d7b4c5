using Microsoft.Extensions.Options;
using SfPredictor.Features;
using SfPredictor.Features.Indexing;
using SfPredictor.Features.Training;
using SfPredictor.SyntheticOrg;
using SfPredictor.Training.Effects;

namespace SfPredictor.Training.Tests.Effects;

public sealed class StageKindEffectsFitterTests
{
    private static readonly Lazy<(FeatureBuilder Builder, TrainingSet Rows)> StageDependent = new(() =>
    {
        var org = SyntheticOrgGenerator.Generate(new SyntheticOrgOptions { Opportunities = 3000, Seed = 3, World = OrgWorld.StageDependent });
        var options = new FeatureOptions();
        var index = new OrgIndex(org.Data, options);
        var builder = new FeatureBuilder(index, options);
        return (builder, TrainingSetBuilder.Build(builder, index, new TrainingSetOptions(), org.Truth.AsOf));
    });

    [Theory]
    [InlineData(TrainingOptions.BlendedEffects, true)]
    [InlineData(TrainingOptions.StageGateEffects, true)]
    [InlineData(TrainingOptions.SnapshotEffects, false)]
    public void Fit_StageDependentWorld_AProposalHelpsLessBeforeQualificationThanAtTheQuote(string method, bool perGate)
    {
        var (builder, rows) = StageDependent.Value;

        var effects = StageKindEffectsFitter.Fit(builder, rows, method, seed: 42, builder.Index.DataTime, CancellationToken.None);

        Assert.NotNull(effects);
        var stages = effects.Stages.ToDictionary(s => s.Stage);
        var proposal = effects.ActivityKinds.ToList().IndexOf("Proposal");
        // The world's truth: a proposal while prospecting hurts, at the quote it helps most.
        Assert.True(stages["Prospecting"].Weights[proposal] < stages["Proposal/Price Quote"].Weights[proposal]);
        Assert.All(effects.Stages, s => Assert.Equal(perGate, s.PassRate is > 0 and < 1));
        Assert.Equal(perGate ? 6 : 0, effects.RemainingGateLogOdds(0).Length);
    }

    [Fact]
    public void Fit_PerGateAtAPointInTime_CountsEveryStageAnyDealLeftBeforeIt()
    {
        var (builder, rows) = StageDependent.Value;
        var asOf = builder.Index.DataTime;

        var trainingDeals = StageKindEffectsFitter.Fit(builder, rows, TrainingOptions.StageGateEffects, seed: 42, pointInTime: null, CancellationToken.None)!;
        var now = StageKindEffectsFitter.Fit(builder, rows, TrainingOptions.StageGateEffects, seed: 42, asOf, CancellationToken.None)!;
        var halfAYearAgo = StageKindEffectsFitter.Fit(builder, rows, TrainingOptions.StageGateEffects, seed: 42, asOf.AddDays(-182), CancellationToken.None)!;

        // The open deals' passed stages join the closed deals' exits; a stage left after the point in time does not count.
        Assert.True(now.Rows > trainingDeals.Rows);
        Assert.True(halfAYearAgo.Rows < now.Rows);
        Assert.All(now.Stages, s => Assert.True(s.PassRate is > 0 and < 1));
        // Ten years before the data no deal had left a stage yet: nothing to fit.
        Assert.Null(StageKindEffectsFitter.Fit(builder, rows, TrainingOptions.StageGateEffects, seed: 42, asOf.AddYears(-10), CancellationToken.None));
    }

    [Fact]
    public void Validate_UnknownActivityEffects_NamesTheSetting()
    {
        var options = new TrainingOptions { ActivityEffects = "per-deal" };

        var error = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.Contains(nameof(TrainingOptions.ActivityEffects), error.Message, StringComparison.Ordinal);
    }
}
