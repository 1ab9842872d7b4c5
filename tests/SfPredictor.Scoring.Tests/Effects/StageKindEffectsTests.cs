using System.Text.Json;
using SfPredictor.Scoring.Effects;

namespace SfPredictor.Scoring.Tests.Effects;

public sealed class StageKindEffectsTests
{
    [Theory]
    [InlineData(0.3, 0.4)]
    [InlineData(0.8, -0.5)]
    public void GatesAhead_NoGatesOrOne_TheWinLogOddsMoveByTheGain(double probability, double gain)
    {
        var expected = (1 / (1 + Math.Exp(-(Math.Log(probability / (1 - probability)) + gain)))) - probability;

        Assert.Equal(expected, new GatesAhead([], probability).Uplift(gain), 12);
        Assert.Equal(expected, new GatesAhead([0.85], probability).Uplift(gain), 12);
    }

    [Fact]
    public void GatesAhead_GatesAhead_NoGainNoChange_AndMoreGatesAheadGainMore()
    {
        double[] gates = [Logit(0.6), Logit(0.75), Logit(0.9), Logit(0.9)];

        Assert.Equal(0, new GatesAhead(gates, 0.25).Uplift(0), 9);
        // One more activity counts at every gate still ahead: the same gain is worth more to a deal
        // with four gates ahead than to one with one, at the same win probability.
        var early = new GatesAhead(gates, 0.25).Uplift(0.3);
        var late = new GatesAhead(gates[^1..], 0.25).Uplift(0.3);
        Assert.True(early > late, $"{early} should exceed {late}");
        Assert.True(new GatesAhead(gates, 0.25).Uplift(-0.3) < 0);
    }

    [Theory]
    [InlineData(1e-9)]
    [InlineData(0.999999)]
    public void GatesAhead_ExtremeProbabilities_StayFiniteAndWithinTheUnitInterval(double probability)
    {
        var uplift = new GatesAhead([0, 0.4, 0.8, 1.4, 2.2, 2.9], probability).Uplift(0.5);

        Assert.True(double.IsFinite(uplift));
        Assert.InRange(probability + uplift, 0, 1);
    }

    [Fact]
    public void RemainingGateLogOdds_PerGateEffects_FromTheStageOn_SnapshotEffectsNone()
    {
        var gates = Effects(0.6, 0.8, 0.9);
        var snapshots = Effects(null, null, null);

        Assert.Equal([Logit(0.8), Logit(0.9)], gates.RemainingGateLogOdds(1));
        Assert.Empty(snapshots.RemainingGateLogOdds(1));
    }

    [Fact]
    public void FromJson_RoundTrip_AndAVersion1FileWithoutPassRatesReads()
    {
        var effects = Effects(0.6, 0.8, 0.9);
        Assert.Equal(effects.ToJson(), StageKindEffects.FromJson(effects.ToJson()).ToJson());

        var version1 = effects.ToJson().Replace($"\"format_version\": {StageKindEffects.CurrentFormatVersion}", "\"format_version\": 1", StringComparison.Ordinal)
            .Replace("\"pass_rate\": 0.6", "\"pass_rate\": null", StringComparison.Ordinal)
            .Replace("\"pass_rate\": 0.8", "\"pass_rate\": null", StringComparison.Ordinal)
            .Replace("\"pass_rate\": 0.9", "\"pass_rate\": null", StringComparison.Ordinal);
        var read = StageKindEffects.FromJson(version1);

        Assert.Equal(1, read.FormatVersion);
        Assert.Empty(read.RemainingGateLogOdds(0));
    }

    [Fact]
    public void FromJson_PassRateOutsideZeroToOne_NamesTheStage()
    {
        var json = Effects(0.6, 0.8, 0.9).ToJson().Replace("\"pass_rate\": 0.8", "\"pass_rate\": 1.5", StringComparison.Ordinal);

        var error = Assert.Throws<JsonException>(() => StageKindEffects.FromJson(json));

        Assert.Contains("Discover", error.Message, StringComparison.Ordinal);
        Assert.Contains("1.5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_PartLogged_RoundTrips_AndAVersion2FileIsEveryActivityLogged()
    {
        var effects = PartLogged();
        var read = StageKindEffects.FromJson(effects.ToJson());

        Assert.Equal(effects.ToJson(), read.ToJson());
        Assert.Equal(0.25, read.LoggedShare);
        Assert.Equal(new CountTerm(0.25, new LoggedCounts(1.5, 2)).Gain(1), read.CountTerms(0)[0].Gain(1), 12);

        var version2 = StageKindEffects.FromJson(Effects(0.6, 0.8, 0.9).ToJson()
            .Replace($"\"format_version\": {StageKindEffects.CurrentFormatVersion}", "\"format_version\": 2", StringComparison.Ordinal));
        Assert.Equal(1, version2.LoggedShare);
        Assert.All(version2.CountTerms(1), t => Assert.Same(CountTerm.Plain, t));
    }

    [Fact]
    public void LogOddsGain_PartLogged_PromisesLessForOneMoreDoneThanForOneMoreLogged()
    {
        var effects = PartLogged();
        var stage = effects.Stages[0];

        var partLogged = StageKindEffects.LogOddsGain(stage, effects.CountTerms(0), kind: 1, count: 0, anyCount: 1);
        var everyLogged = StageKindEffects.LogOddsGain(stage, [CountTerm.Plain, CountTerm.Plain, CountTerm.Plain], kind: 1, count: 0, anyCount: 1);

        Assert.InRange(partLogged, 0, everyLogged * 0.9);
    }

    [Theory]
    [InlineData("\"logged_share\": 0.25", "\"logged_share\": 0", "logged share 0")]
    [InlineData("\"shape\": 2", "\"shape\": -1", "Qualify")]
    public void FromJson_WrongLoggedShareOrCounts_SaysWhich(string from, string to, string named)
    {
        var json = PartLogged().ToJson();
        Assert.Contains(from, json, StringComparison.Ordinal);

        var error = Assert.Throws<JsonException>(() => StageKindEffects.FromJson(json.Replace(from, to, StringComparison.Ordinal)));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    private static StageKindEffects PartLogged() => Effects(0.6, 0.8, 0.9) with
    {
        LoggedShare = 0.25,
        Stages = [.. Effects(0.6, 0.8, 0.9).Stages.Select(s => s with { LoggedCounts = [new(1.5, 2), new(0.5, 1), new(2, 3)] })],
    };

    private static double Logit(double p) => Math.Log(p / (1 - p));

    private static StageKindEffects Effects(double? first, double? second, double? third) => new()
    {
        FeatureHash = "hash",
        ActivityKinds = ["Call", "Demo"],
        Stages =
        [
            new StageKindWeights("Qualify", [0.1, 0.2], 0) { PassRate = first },
            new StageKindWeights("Discover", [0.3, -0.1], 0.05) { PassRate = second },
            new StageKindWeights("Negotiate", [0.0, 0.4], -0.02) { PassRate = third },
        ],
    };
}
