using Google.Protobuf;
using SfPredictor.Features;
using SfPredictor.Features.Indexing;
using SfPredictor.Features.Training;
using SfPredictor.Scoring;
using SfPredictor.Scoring.Calibration;
using SfPredictor.Training.Boosting;
using SfPredictor.Training.Export;

namespace SfPredictor.Training.Tests;

public sealed class ModelFitterTests(GeneratedOrgFixture fixture) : IClassFixture<GeneratedOrgFixture>
{
    [Fact]
    public void CheckParity_OnnxDisagreesWithReference_ThrowsNamingRow()
    {
        var options = new FeatureOptions();
        var index = new OrgIndex(fixture.Org, options);
        var builder = new FeatureBuilder(index, options);
        var rows = TrainingSetBuilder.Build(builder, index, new TrainingSetOptions()).Slice(0, 20);
        var leaf = new RegressionTree([-1], [-1], [0], [0f], [false], [0]);
        using var scorer = OnnxScorer.Load(OnnxModelWriter.Build(new TreeEnsemble([leaf], 0, rows.Width), PlattCalibration.Identity, new Dictionary<string, string>()).ToByteArray());
        var margins = new float[rows.Count];

        Assert.Equal(0, ModelFitter.CheckParity(scorer, rows, margins, PlattCalibration.Identity, default));

        margins[7] = 0.001f;
        var error = Assert.Throws<ModelParityException>(() => ModelFitter.CheckParity(scorer, rows, margins, PlattCalibration.Identity, default));
        Assert.Contains("validation row 7", error.Message, StringComparison.Ordinal);
        Assert.Contains(rows.OpportunityIds[7], error.Message, StringComparison.Ordinal);
    }
}
