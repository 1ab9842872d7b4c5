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

        var effects = StageKindEffectsFitter.Fit(builder, rows, method, seed: 42, builder.Index.DataTime, loggedShare: 1, CancellationToken.None);

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

        var trainingDeals = StageKindEffectsFitter.Fit(builder, rows, TrainingOptions.StageGateEffects, seed: 42, pointInTime: null, loggedShare: 1, CancellationToken.None)!;
        var now = StageKindEffectsFitter.Fit(builder, rows, TrainingOptions.StageGateEffects, seed: 42, asOf, loggedShare: 1, CancellationToken.None)!;
        var halfAYearAgo = StageKindEffectsFitter.Fit(builder, rows, TrainingOptions.StageGateEffects, seed: 42, asOf.AddDays(-182), loggedShare: 1, CancellationToken.None)!;

        // The open deals' passed stages join the closed deals' exits; a stage left after the point in time does not count.
        Assert.True(now.Rows > trainingDeals.Rows);
        Assert.True(halfAYearAgo.Rows < now.Rows);
        Assert.All(now.Stages, s => Assert.True(s.PassRate is > 0 and < 1));
        // Ten years before the data no deal had left a stage yet: nothing to fit.
        Assert.Null(StageKindEffectsFitter.Fit(builder, rows, TrainingOptions.StageGateEffects, seed: 42, asOf.AddYears(-10), loggedShare: 1, CancellationToken.None));
    }

    [Fact]
    public void Fit_PartLogged_KeepsTheShareAndHowTheLoggedCountsSpreadPerStage()
    {
        var (builder, rows) = StageDependent.Value;

        var everyLogged = StageKindEffectsFitter.Fit(builder, rows, TrainingOptions.StageGateEffects, seed: 42, builder.Index.DataTime, loggedShare: 1, CancellationToken.None)!;
        var partLogged = StageKindEffectsFitter.Fit(builder, rows, TrainingOptions.StageGateEffects, seed: 42, builder.Index.DataTime, loggedShare: 0.25, CancellationToken.None)!;

        Assert.Equal(1, everyLogged.LoggedShare);
        Assert.All(everyLogged.Stages, s => Assert.Null(s.LoggedCounts));
        Assert.Equal(0.25, partLogged.LoggedShare);
        Assert.All(partLogged.Stages, s =>
        {
            var counts = s.LoggedCounts!;
            Assert.Equal(partLogged.ActivityKinds.Count + 1, counts.Count);
            // Any kind's count is the sum of the kinds' counts.
            Assert.Equal(counts.Take(counts.Count - 1).Sum(c => c.Mean), counts[^1].Mean, 6);
            Assert.All(counts, c => Assert.True(c.Shape > 0));
        });
        Assert.Contains(partLogged.Stages, s => s.LoggedCounts!.Any(c => c.Mean > 0));
        // The same rows read another way: the pass rates are the same, the weights are not.
        Assert.Equal(everyLogged.Stages.Select(s => s.PassRate), partLogged.Stages.Select(s => s.PassRate));
        Assert.NotEqual(everyLogged.Stages[0].Weights, partLogged.Stages[0].Weights);
    }

    [Fact]
    public void Validate_LoggedShareOutsideItsRange_NamesTheSetting()
    {
        var options = new TrainingOptions { ActivityLoggedShare = 0 };

        var error = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.Contains(nameof(TrainingOptions.ActivityLoggedShare), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownActivityEffects_NamesTheSetting()
    {
        var options = new TrainingOptions { ActivityEffects = "per-deal" };

        var error = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.Contains(nameof(TrainingOptions.ActivityEffects), error.Message, StringComparison.Ordinal);
    }
}
