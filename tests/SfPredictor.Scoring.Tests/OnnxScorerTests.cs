using SfPredictor.Scoring.Onnx;
using SfPredictor.Scoring.Tests.Onnx;

namespace SfPredictor.Scoring.Tests;

public sealed class OnnxScorerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sfp-scoring-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Score_TreeEnsembleClassifier_MatchesTreeWalk()
    {
        using var scorer = OnnxScorer.Load(TestModels.TreeEnsembleModel());
        var rows = TestModels.Rows(200, TestModels.TreeFeatures, seed: 1, withMissing: true);
        var probabilities = new float[200];

        scorer.Score(rows, probabilities);

        Assert.Equal(TestModels.TreeFeatures, scorer.FeatureCount);
        Assert.Equal(TreeEnsembleClassifierModel.InputName, scorer.InputName);
        Assert.Equal(TreeEnsembleClassifierModel.ProbabilitiesName, scorer.ProbabilityOutputName);
        for (var i = 0; i < probabilities.Length; i++)
        {
            var expected = TestModels.TreeProbability(rows.AsSpan(i * TestModels.TreeFeatures, TestModels.TreeFeatures));
            Assert.Equal(expected, probabilities[i], 1e-5);
        }

        // The rows reach many different leaf combinations, not one constant.
        Assert.True(probabilities.Distinct().Count() > 5);
    }

    [Fact]
    public void Score_AllLeavesPositive_StillReturnsSigmoidOfMargin()
    {
        IReadOnlyList<IReadOnlyList<TreeNode>> trees =
        [
            [TreeNode.Branch(0, 0f, 1, 2), TreeNode.Leaf(0.3f), TreeNode.Leaf(1.7f)],
            [TreeNode.Leaf(0.2f)],
        ];
        var model = TreeEnsembleClassifierModel.Build(trees, featureCount: 1);
        using var scorer = OnnxScorer.Load(Google.Protobuf.MessageExtensions.ToByteArray(model));
        var probabilities = new float[2];

        scorer.Score([-1f, 1f], probabilities);

        Assert.Equal(1 / (1 + Math.Exp(-0.5)), probabilities[0], 1e-6);
        Assert.Equal(1 / (1 + Math.Exp(-1.9)), probabilities[1], 1e-6);
    }

    [Fact]
    public void Score_Mlp_MatchesDirectComputation()
    {
        var path = Path.Combine(_directory, "mlp.onnx");
        File.WriteAllBytes(path, TestModels.MlpModel());
        using var scorer = OnnxScorer.Load(path);
        var rows = TestModels.Rows(50, TestModels.MlpFeatures, seed: 2);
        var probabilities = new float[50];

        scorer.Score(rows, probabilities);

        Assert.Equal("x", scorer.InputName);
        Assert.Equal(TestModels.MlpFeatures, scorer.FeatureCount);
        for (var i = 0; i < probabilities.Length; i++)
        {
            var expected = TestModels.MlpProbability(rows.AsSpan(i * TestModels.MlpFeatures, TestModels.MlpFeatures));
            Assert.Equal(expected, probabilities[i], 1e-5);
        }
    }

    [Fact]
    public void Load_SeveralProbabilityOutputs_PrefersTheOneNamedProbabilities()
    {
        using var scorer = OnnxScorer.Load(TestModels.MlpModel(exposeRawProbability: true));
        var rows = TestModels.Rows(3, TestModels.MlpFeatures, seed: 3);
        var probabilities = new float[3];

        scorer.Score(rows, probabilities);

        Assert.Equal("probabilities", scorer.ProbabilityOutputName);
        Assert.Equal(TestModels.MlpProbability(rows.AsSpan(0, TestModels.MlpFeatures)), probabilities[0], 1e-5);
    }

    [Fact]
    public void Score_InputLargerThanMaxBatchRows_RunsInChunksWithSameResults()
    {
        var model = TestModels.TreeEnsembleModel();
        using var whole = OnnxScorer.Load(model);
        using var chunked = OnnxScorer.Load(model, new ScorerOptions { MaxBatchRows = 7, IntraOpThreads = 2, OptimizationLevel = GraphOptimizationLevel.Disabled });
        var rows = TestModels.Rows(100, TestModels.TreeFeatures, seed: 4, withMissing: true);
        var expected = new float[100];
        var actual = new float[100];

        whole.Score(rows, expected);
        chunked.Score(rows, actual);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Score_BatchSizesChangingFromCallToCall_MatchesAFreshScorerEachTime()
    {
        var model = TestModels.TreeEnsembleModel();
        using var reused = OnnxScorer.Load(model);
        var rows = TestModels.Rows(64, TestModels.TreeFeatures, seed: 7, withMissing: true);

        foreach (var count in new[] { 1, 64, 1, 5, 64 })
        {
            var input = rows.AsSpan(0, count * TestModels.TreeFeatures);
            var actual = new float[count];
            var expected = new float[count];
            using (var fresh = OnnxScorer.Load(model))
            {
                fresh.Score(input, expected);
            }

            reused.Score(input, actual);

            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Score_NoRows_LeavesNothingToDo()
    {
        using var scorer = OnnxScorer.Load(TestModels.MlpModel());

        scorer.Score(ReadOnlySpan<float>.Empty, Span<float>.Empty);

        Assert.Equal(TestModels.MlpFeatures, scorer.FeatureCount);
    }

    [Fact]
    public async Task Score_FromSeveralThreadsAtOnce_GivesSameResultsAsSequential()
    {
        using var scorer = OnnxScorer.Load(TestModels.TreeEnsembleModel(), new ScorerOptions { MaxBatchRows = 16 });
        var rows = TestModels.Rows(300, TestModels.TreeFeatures, seed: 5, withMissing: true);
        var expected = new float[300];
        scorer.Score(rows, expected);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() =>
        {
            var mine = new float[300];
            for (var repeat = 0; repeat < 20; repeat++)
            {
                scorer.Score(rows, mine);
            }

            return mine;
        })));

        Assert.All(results, result => Assert.Equal(expected, result));
    }

    [Fact]
    public void Score_CancelledToken_ThrowsBeforeRunning()
    {
        using var scorer = OnnxScorer.Load(TestModels.MlpModel());
        var probabilities = new float[2];
        probabilities.AsSpan().Fill(-1f);

        Assert.Throws<OperationCanceledException>(() =>
            scorer.Score(TestModels.Rows(2, TestModels.MlpFeatures, seed: 6), probabilities, new CancellationToken(canceled: true)));
        Assert.Equal([-1f, -1f], probabilities);
    }

    [Fact]
    public void Score_WrongInputWidth_ThrowsNamingExpectedWidth()
    {
        using var scorer = OnnxScorer.Load(TestModels.MlpModel());

        var error = Assert.Throws<ArgumentException>(() => scorer.Score(new float[8], new float[2]));

        Assert.Equal("rows", error.ParamName);
        Assert.Contains("rows of 3 features", error.Message, StringComparison.Ordinal);
        Assert.Contains("'x'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_OutputSpanOfWrongLength_Throws()
    {
        using var scorer = OnnxScorer.Load(TestModels.MlpModel());

        var error = Assert.Throws<ArgumentException>(() => scorer.Score(new float[6], new float[3]));

        Assert.Equal("winProbabilities", error.ParamName);
        Assert.Contains("2 rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFoundNamingPath()
    {
        var path = Path.Combine(_directory, "absent.onnx");

        var error = Assert.Throws<FileNotFoundException>(() => OnnxScorer.Load(path));

        Assert.Equal(path, error.FileName);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CorruptFile_ThrowsOnnxRuntimeErrorNamingFile()
    {
        var path = Path.Combine(_directory, "corrupt.onnx");
        var bytes = TestModels.MlpModel();
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length / 2).ToArray());

        var error = Assert.Throws<OnnxRuntimeException>(() => OnnxScorer.Load(path));

        Assert.Equal(OnnxRuntimeErrorCode.InvalidProtobuf, error.ErrorCode);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("InvalidProtobuf", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_GarbageBytes_ThrowsOnnxRuntimeErrorWithCode()
    {
        var error = Assert.Throws<OnnxRuntimeException>(() => OnnxScorer.Load("not an onnx model"u8.ToArray()));

        Assert.Equal(OnnxRuntimeErrorCode.InvalidProtobuf, error.ErrorCode);
        Assert.Contains("from 17 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ModelWithOnlyZipMapAndLabelOutputs_ThrowsNamingOutputsFound()
    {
        var error = Assert.Throws<InvalidDataException>(() => OnnxScorer.Load(TestModels.ZipMapOnlyModel()));

        Assert.Contains("no probability output", error.Message, StringComparison.Ordinal);
        Assert.Contains("'label' tensor<int64>[?]", error.Message, StringComparison.Ordinal);
        Assert.Contains("'output_probability' sequence", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InputNotFloatRows_ThrowsNamingInput()
    {
        var graph = new GraphProto();
        graph.Node.Add(OnnxGraph.Node("Cast", ["ids"], ["probabilities"], "", OnnxGraph.IntAttribute("to", (long)TensorProto.Types.DataType.Float)));
        graph.Input.Add(OnnxGraph.TensorValue("ids", TensorProto.Types.DataType.Int64, null, 2));
        graph.Output.Add(OnnxGraph.TensorValue("probabilities", TensorProto.Types.DataType.Float, null, 2));
        var model = Google.Protobuf.MessageExtensions.ToByteArray(OnnxGraph.Model(graph, ("", 17)));

        var error = Assert.Throws<InvalidDataException>(() => OnnxScorer.Load(model));

        Assert.Contains("'ids' is tensor<int64>[?, 2]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidOptions_ThrowsNamingSetting()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            OnnxScorer.Load(TestModels.MlpModel(), new ScorerOptions { IntraOpThreads = 0 }));

        Assert.Contains("Scoring:IntraOpThreads", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dispose_Twice_IsSafeAndLaterUseThrowsObjectDisposed()
    {
        var scorer = OnnxScorer.Load(TestModels.MlpModel());
        Assert.StartsWith("1.32", scorer.RuntimeVersion, StringComparison.Ordinal);

        scorer.Dispose();
        scorer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => scorer.Score(new float[3], new float[1]));
    }
}
