using Microsoft.ML;
using SfPredictor.Scoring.Packaging;
using SfPredictor.Training.Evaluation;

namespace SfPredictor.Training.Tests.MlNet;

public sealed class MlNetTrainerTests(GeneratedOrgFixture fixture) : IClassFixture<GeneratedOrgFixture>
{
    [Theory]
    [InlineData(TrainingOptions.LightGbmTrainer)]
    [InlineData(TrainingOptions.FastTreeTrainer)]
    public void Train_MlNetTrainer_ExportedToTheSameGraphAndBeatsTheStage(string trainer)
    {
        var pipeline = new TrainingPipeline(new TrainingOptions { Threads = 2, Trainer = trainer });

        var model = pipeline.Train(fixture.WithClosed(won: 150, lost: 220));

        var m = model.Manifest;
        Assert.Equal(trainer, m.Kind);
        Assert.StartsWith("ML.NET ", m.XGBoostVersion, StringComparison.Ordinal);
        Assert.True(m.Trees > 1);
        Assert.True(m.ParityMaxDifference <= 1e-5, $"parity {m.ParityMaxDifference}");
        Assert.True(m.ValidationMetrics.Auc > m.BaselineValidationMetrics.Auc - 0.03, $"{trainer} AUC {m.ValidationMetrics.Auc:0.000} vs stage {m.BaselineValidationMetrics.Auc:0.000}");
        var folder = Path.Combine(Path.GetTempPath(), $"sfp-{trainer}-{Guid.NewGuid():N}");
        try
        {
            model.Save(folder);
            using var package = ModelPackage.Load(folder);
            Assert.Equal(m.FeatureCount, package.Scorer.FeatureCount);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public void Evaluate_MlNetMetrics_AgreeWithOurs()
    {
        var random = new Random(4);
        var labels = Enumerable.Range(0, 2000).Select(_ => random.NextDouble() < 0.4 ? 1f : 0f).ToArray();
        var probabilities = labels.Select(y => (float)Math.Clamp((0.35 * y) + (random.NextDouble() * 0.6) + 0.02, 0.01, 0.99)).ToArray();
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(labels.Select((y, i) => new Scored { Label = y > 0.5f, Score = probabilities[i], Probability = probabilities[i], PredictedLabel = probabilities[i] >= 0.5f }));

        var theirs = ml.BinaryClassification.Evaluate(data);
        var ours = Metrics.Evaluate(probabilities, labels, 0.5);

        Assert.Equal(ours.Auc, theirs.AreaUnderRocCurve, 6);
        // ML.NET reports log loss in bits; ours is in nats, as XGBoost's and scikit-learn's are.
        Assert.Equal(ours.LogLoss / Math.Log(2), theirs.LogLoss, 4);

        // ML.NET's accuracy, precision and recall cut the raw score at 0, not the probability at a threshold.
        Assert.Equal(labels.Average(), theirs.Accuracy, 6);
    }

    private sealed class Scored
    {
        public bool Label { get; set; }

        public float Score { get; set; }

        public float Probability { get; set; }

        public bool PredictedLabel { get; set; }
    }
}
