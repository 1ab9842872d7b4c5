using SfPredictor.Records;
using SfPredictor.Recommendations;
using SfPredictor.Worker.WriteBack;

namespace SfPredictor.Worker.Tests.WriteBack;

public sealed class WriteBackPlannerTests
{
    private static readonly WriteBackOptions Fields = new();
    private static readonly WriteBackPlanner Planner = new(Fields);
    private static readonly WriteBackRules Rules = new(MinProbabilityChangePoints: 2, TrendThresholdPoints: 3);
    private static readonly DateTimeOffset Now = new(2026, 10, 1, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Plan_NeverScored_WritesEveryFieldWithoutChangeOrTrend()
    {
        var write = Planner.Plan(Opportunity(), Score(0.4237, ("Demo", 0.1204), ("Call", 0.0071)), Rules, Now, "v1");

        Assert.NotNull(write);
        var values = write.Update!.Fields;
        Assert.Equal(42.4m, values[Fields.ProbabilityField]);
        Assert.Null(values[Fields.ScoreChangeField]);
        Assert.Null(values[Fields.ScoreTrendField]);
        Assert.Equal("Demo (+12 pts)", values[Fields.NextActivityFields[0]]);
        Assert.Equal("Call (+0.7 pts)", values[Fields.NextActivityFields[1]]);
        Assert.Null(values[Fields.NextActivityFields[2]]);
        Assert.Equal("No activity in 24 days (\u22128 pts)\nAccount won 4 of its last 5 deals (+6 pts)", values[Fields.TopFactorsField]);
        Assert.Equal(Now, values[Fields.ScoredAtField]);
        Assert.Equal("v1", values[Fields.ModelVersionField]);
        Assert.Null(values[Fields.ActivityGainsField!]);
    }

    [Fact]
    public void Plan_KindGains_WritesEveryKindOnePerLine()
    {
        var score = Score(0.4237, ("Demo", 0.1204)) with
        {
            KindGains = [new("Demo", 0.1204), new("Call", 0.0071), new("Email", -0.0032)],
        };

        var write = Planner.Plan(Opportunity(), score, Rules, Now, "v1");

        Assert.Equal("Demo (+12 pts)\nCall (+0.7 pts)\nEmail (\u22120.3 pts)", write!.Update!.Fields[Fields.ActivityGainsField!]);
    }

    [Fact]
    public void Plan_NoActivityGainsField_WritesNoGainsAndChecksNoSuchField()
    {
        var fields = new WriteBackOptions { ActivityGainsField = "" };
        var score = Score(0.4237) with { KindGains = [new("Demo", 0.1204)] };

        var write = new WriteBackPlanner(fields).Plan(Opportunity(), score, Rules, Now, "v1");

        Assert.DoesNotContain(write!.Update!.Fields.Keys, k => k.Contains("Gains", StringComparison.Ordinal));
        Assert.DoesNotContain(fields.Fields(), f => f.ApiName.Length == 0 || f.ApiName.Contains("Gains", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(41.0, null)]
    [InlineData(40.5, null)]
    [InlineData(40.4, "Steady")]
    [InlineData(38.9, "Improving")]
    [InlineData(46.0, "Declining")]
    public void Plan_AlreadyScoredWithTheSameRecommendations_WritesOnlyAMoveOfAtLeastTheThreshold(double current, string? trend)
    {
        var write = Planner.Plan(Opportunity(current, "Demo (+11 pts)", "Call (+1 pts)"), Score(0.4237, ("Demo", 0.1204), ("Call", 0.0071)), Rules, Now, "v2");

        Assert.Equal(trend, write?.Trend);
        if (write is not null)
        {
            Assert.Equal(42.4m - (decimal)current, write.Change);
            Assert.Equal(write.Change, write.Update!.Fields[Fields.ScoreChangeField]);
        }
    }

    [Fact]
    public void Plan_RecommendedKindsChanged_WritesEvenWhenTheProbabilityDidNotMove()
    {
        var write = Planner.Plan(Opportunity(42.4, "Call (+1 pts)", "Demo (+11 pts)"), Score(0.4237, ("Demo", 0.1204), ("Call", 0.0071)), Rules, Now, "v1");

        Assert.NotNull(write);
        Assert.Equal(0m, write.Change);
        Assert.Equal("Steady", write.Trend);
    }

    private static Opportunity Opportunity(double? probability = null, params string[] next)
    {
        var custom = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (probability is { } p)
        {
            custom[Fields.ProbabilityField] = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
            custom[Fields.ScoredAtField] = "2026-09-30T06:00:00.000Z";
        }

        for (var i = 0; i < next.Length; i++)
        {
            custom[Fields.NextActivityFields[i]] = next[i];
        }

        return new Opportunity { Id = "0065j0000000001AAA", StageName = "Prospecting", Custom = custom };
    }

    private static OpportunityRecommendation Score(double probability, params (string Kind, double Uplift)[] next) => new(
        "0065j0000000001AAA",
        probability,
        [.. next.Select(n => new ActivityRecommendation(n.Kind, n.Uplift))],
        [new ScoreFactor("No activity in 24 days", -0.0812), new ScoreFactor("Account won 4 of its last 5 deals", 0.061)]);
}
