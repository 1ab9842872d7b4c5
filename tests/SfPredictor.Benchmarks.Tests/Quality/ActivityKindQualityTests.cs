using SfPredictor.Worker.Pipeline;
using SfPredictor.Recommendations;
using SfPredictor.Recommendations.Tests;
using SfPredictor.Features;
using SfPredictor.Features.Activities;
using SfPredictor.Features.Indexing;
using SfPredictor.Benchmarks.Quality;
using SfPredictor.SyntheticOrg;
using SfPredictor.Training;

namespace SfPredictor.Benchmarks.Tests.Quality;

// Orgs in their own words: the same deals written in Spanish with blank Types, a kind with too few
// examples, and an org none of whose activities are recognised.
public sealed class ActivityKindQualityTests
{
    private static GeneratedOrg Generate(int opportunities, string language = "en", bool blankTypes = false) =>
        SyntheticOrgGenerator.Generate(new SyntheticOrgOptions { Opportunities = opportunities, Seed = 3, Language = language, BlankActivityTypes = blankTypes });

    private static RecommendationQuality Quality(GeneratedOrg org) =>
        new(
            org.Data,
            [.. org.Truth.Opportunities.Select(t => new TrueUplifts(t.OpportunityId, t.Kinds.Select((k, i) => (k, t.Uplifts[i])).ToDictionary(x => x.k, x => x.Item2, StringComparer.OrdinalIgnoreCase)))],
            org.Truth.AsOf);

    [Fact]
    public void SpanishOrgWithBlankTypes_NoSettings_RecognisesItsActivitiesAndRecommendsAsWellAsItsEnglishTwin()
    {
        var english = Generate(1500);
        var spanish = Generate(1500, "es", blankTypes: true);
        var englishIndex = new OrgIndex(english.Data, new FeatureOptions());
        var spanishIndex = new OrgIndex(spanish.Data, new FeatureOptions());

        var coverage = ActivityKindCoverage.Measure(spanish.Data, spanishIndex);
        // The twins log the same activities in the same order: the English one, with its Types, is the truth of each kind.
        var sameKind = english.Data.Activities().Zip(spanish.Data.Activities()).Where(p => englishIndex.Kinds.IndexOf(p.First) >= 0)
            .Select(p => englishIndex.Kinds.IndexOf(p.First) == spanishIndex.Kinds.IndexOf(p.Second))
            .ToList();
        var defaults = RecommendationQuality.ModellingChoices[0];
        var englishQuality = Quality(english).Measure(defaults);
        var spanishQuality = Quality(spanish).Measure(defaults);

        Assert.All(spanish.Data.Tasks, t => Assert.Null(t.Type));
        Assert.True(1 - coverage.UnrecognisedShare >= 0.9, $"recognised {1 - coverage.UnrecognisedShare:P1}");
        Assert.Null(coverage.Warning);
        Assert.True(sameKind.Count(s => s) >= 0.9 * sameKind.Count, $"same kind as the English twin: {sameKind.Count(s => s)} of {sameKind.Count}");
        Assert.True(spanishQuality.Scores.GainShare >= englishQuality.Scores.GainShare - 0.05, $"gain share {spanishQuality.Scores.GainShare:0.000} vs {englishQuality.Scores.GainShare:0.000}");
        Assert.True(spanishQuality.Scores.PrecisionAt3 >= englishQuality.Scores.PrecisionAt3 - 0.05, $"precision@3 {spanishQuality.Scores.PrecisionAt3:0.000} vs {englishQuality.Scores.PrecisionAt3:0.000}");
    }

    [Fact]
    public async Task Run_KindWithTooFewExamples_IsNeverRecommendedAndTheManifestSaysWhy()
    {
        var org = Generate(600).Data;
        var kinds = ActivityKindCoverage.Measure(org, new OrgIndex(org, new FeatureOptions())).Kinds;
        var rarest = kinds.MinBy(k => k.ClosedDeals)!;
        // The choice among models is off: on this small org the stage win rates may win it, and they recommend nothing.
        var training = new TrainingOptions { MinDealsPerActivityKind = rarest.ClosedDeals + 1, ChooseRegularisationBelow = 0 };

        var model = new TrainingPipeline(training).Train(org);
        var folder = Path.Combine(Path.GetTempPath(), "sfp-too-few-" + Guid.NewGuid().ToString("N"));
        model.Save(folder);
        RecommendationRun run;
        try
        {
            run = await OfflineRecommendations.RunAsync(org, folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        var leftOut = Assert.Single(model.Manifest.LeftOutActivityKinds);
        Assert.Equal(rarest.Kind, leftOut.Kind);
        Assert.Contains("SfPredictor:Training:MinDealsPerActivityKind", leftOut.Reason, StringComparison.Ordinal);
        Assert.Contains("Never recommended", model.ReportHtml, StringComparison.Ordinal);
        Assert.Equal([rarest.Kind], run.LeftOutKinds.Select(k => k.Kind));
        Assert.Contains(run.Results, r => r.Recommendations.Count > 0);
        Assert.DoesNotContain(run.Results, r => r.Recommendations.Any(x => x.Kind == rarest.Kind));
    }

    [Fact]
    public async Task Run_NoActivityRecognised_StillScoresEveryOpenDealAndSaysSoLoudly()
    {
        var org = Generate(600).Data;
        var features = new FeatureOptions { ActivityKinds = [new ActivityKind { Name = "Site visit", Types = ["Visita de obra"] }] };

        var run = await OfflineRecommendations.RunAsync(org, modelDirectory: null, features: features);

        Assert.Equal(org.Opportunities.Count(o => !o.IsClosed), run.Results.Count);
        Assert.All(run.Results, r => Assert.InRange(r.WinProbability, 0, 1));
        Assert.All(run.Results, r => Assert.Empty(r.Recommendations));
        Assert.StartsWith("WARNING: none of the", run.ActivityCoverage!.Warning, StringComparison.Ordinal);
        Assert.Equal(["Site visit"], run.LeftOutKinds.Select(k => k.Kind));
    }
}
