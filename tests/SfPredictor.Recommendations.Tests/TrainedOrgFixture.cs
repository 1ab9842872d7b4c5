using SfPredictor.Features;
using SfPredictor.Features.Indexing;
using SfPredictor.Recommendations.Explanations;
using SfPredictor.Scoring;
using SfPredictor.SyntheticOrg;
using SfPredictor.Training;

namespace SfPredictor.Recommendations.Tests;

/// <summary>
/// A small generated org with a model trained on its closed deals, shared by every test class of the
/// collection: generating and training take seconds, so they happen once.
/// </summary>
public sealed class TrainedOrgFixture : IDisposable
{
    public TrainedOrgFixture()
    {
        Org = SyntheticOrgGenerator.Generate(new SyntheticOrgOptions { Opportunities = 3000, Seed = 12 });
        AsOf = Org.Truth.AsOf;
        Model = new TrainingPipeline(Training, Features).Train(Org.Data, AsOf);
        Scorer = OnnxScorer.Load(Model.OnnxModel);
        Builder = new FeatureBuilder(new OrgIndex(Org.Data, Model.Schema.Options), Model.Schema);
        Reference = ExplanationReference.FromOpenOpportunities(Builder, AsOf);
        Open = Builder.Index.OpenAt(AsOf);
        PackageDirectory = Path.Combine(Path.GetTempPath(), $"sfp-reco-tests-{Guid.NewGuid():N}");
        Model.Save(PackageDirectory);
    }

    /// <summary>The default training, on one thread so that the tests leave the other core alone.</summary>
    public static TrainingOptions Training
    {
        get
        {
            var options = new TrainingOptions();
            options.Threads = 1;
            return options;
        }
    }

    /// <summary>
    /// The default features plus the in-stage activity counts (off by default), so that the explanation
    /// texts that mention them are covered; the quality tests train without them and the owner columns.
    /// </summary>
    public static FeatureOptions Features => new() { StageActivityFeatures = true };

    public GeneratedOrg Org { get; }

    public DateTimeOffset AsOf { get; }

    public TrainedModel Model { get; }

    public OnnxScorer Scorer { get; }

    public FeatureBuilder Builder { get; }

    public ExplanationReference Reference { get; }

    /// <summary>Index positions of the Opportunities open at <see cref="AsOf"/>.</summary>
    public int[] Open { get; }

    /// <summary>The model saved as a package.</summary>
    public string PackageDirectory { get; }

    public Recommender Recommender(RecommendationOptions? options = null) => new(Builder, Scorer, Reference, options);

    public void Dispose()
    {
        Scorer.Dispose();
        Directory.Delete(PackageDirectory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class TrainedOrgCollection : ICollectionFixture<TrainedOrgFixture>
{
    public const string Name = "trained org";
}
