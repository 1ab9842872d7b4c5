using Google.Protobuf;
using SfPredictor.Scoring.Onnx;
using SfPredictor.Scoring.Tests.Onnx;
using SfPredictor.Scoring.Trees;

namespace SfPredictor.Scoring.Tests.Trees;

public sealed class OnnxTreeEnsembleTests
{
    [Fact]
    public void Read_Classifier_ReproducesOnnxRuntimeWithMissingValues()
    {
        using var scorer = OnnxScorer.Load(TestModels.TreeEnsembleModel());
        var trees = Assert.IsType<OnnxTreeEnsemble>(scorer.TreeEnsemble);
        var rows = TestModels.Rows(300, TestModels.TreeFeatures, seed: 4, withMissing: true);
        var probabilities = new float[300];

        scorer.Score(rows, probabilities);

        Assert.Equal(3, trees.TreeCount);
        Assert.Equal(1, trees.LogitScale);
        Assert.Equal(0, trees.LogitOffset);
        for (var i = 0; i < probabilities.Length; i++)
        {
            var row = rows.AsSpan(i * TestModels.TreeFeatures, TestModels.TreeFeatures);
            Assert.Equal(probabilities[i], trees.Probability(row), 1e-6);
            Assert.Equal(TestModels.TreeProbability(row), trees.Probability(row), 1e-6);
        }
    }

    [Fact]
    public void Read_TreesInDepthFirstOrder_AreKeptAsBuilt()
    {
        IReadOnlyList<IReadOnlyList<TreeNode>> built =
        [
            [TreeNode.Branch(0, 1f, 1, 4), TreeNode.Branch(1, 0f, 2, 3, missingGoesTrue: true), TreeNode.Leaf(-1f), TreeNode.Leaf(2f), TreeNode.Leaf(5f)],
            [TreeNode.Leaf(0.5f)],
        ];

        var trees = OnnxTreeEnsemble.Read(TreeEnsembleClassifierModel.Build(built, 2));

        Assert.Equal(2, trees.Trees.Count);
        Assert.Equal(built[0], trees.Trees[0]);
        Assert.Equal(built[1], trees.Trees[1]);
    }

    [Fact]
    public void Read_NodesListedInAnyOrder_RootIsTheFirstListedAndParentsComeFirst()
    {
        // Node ids 3, 2, 0, 4, 1 instead of 0..4, and the root's false child (a leaf) listed before its true child.
        IReadOnlyList<IReadOnlyList<TreeNode>> trees =
        [[TreeNode.Branch(0, 1f, 2, 1), TreeNode.Leaf(5f), TreeNode.Branch(1, 0f, 3, 4, missingGoesTrue: true), TreeNode.Leaf(-1f), TreeNode.Leaf(2f)]];
        var model = TreeEnsembleClassifierModel.Build(trees, 2);
        var node = model.Graph.Node[0];
        var ids = node.Attribute.First(a => a.Name == "nodes_nodeids").Ints;
        var renumber = new long[] { 3, 2, 0, 4, 1 };
        foreach (var name in new[] { "nodes_nodeids", "class_nodeids" })
        {
            var list = node.Attribute.First(a => a.Name == name).Ints;
            for (var i = 0; i < list.Count; i++)
            {
                list[i] = renumber[list[i]];
            }
        }

        foreach (var name in new[] { "nodes_truenodeids", "nodes_falsenodeids" })
        {
            var list = node.Attribute.First(a => a.Name == name).Ints;
            var modes = node.Attribute.First(a => a.Name == "nodes_modes").Strings;
            for (var i = 0; i < list.Count; i++)
            {
                list[i] = modes[i].ToStringUtf8() == "LEAF" ? 0 : renumber[list[i]];
            }
        }

        var read = OnnxTreeEnsemble.Read(model);
        using var scorer = OnnxScorer.Load(model.ToByteArray());

        Assert.Equal(3, ids[0]);
        Assert.Equal([TreeNode.Branch(0, 1f, 1, 4), TreeNode.Branch(1, 0f, 2, 3, missingGoesTrue: true), TreeNode.Leaf(-1f), TreeNode.Leaf(2f), TreeNode.Leaf(5f)], read.Trees[0]);
        var rows = TestModels.Rows(50, 2, seed: 2, withMissing: true);
        var probabilities = new float[50];
        scorer.Score(rows, probabilities);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(probabilities[i], read.Probability(rows.AsSpan(i * 2, 2)), 1e-6);
        }
    }

    [Fact]
    public void Read_NeuralNetwork_IsRefusedAndTheScorerHasNoTrees()
    {
        using var scorer = OnnxScorer.Load(TestModels.MlpModel());

        var error = Assert.Throws<NotSupportedException>(() => OnnxTreeEnsemble.Read(ModelProto.Parser.ParseFrom(TestModels.MlpModel())));

        Assert.Null(scorer.TreeEnsemble);
        Assert.Contains("MatMul", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("post_transform", "NONE", "post_transform NONE")]
    [InlineData("nodes_modes", "BRANCH_LEQ", "BRANCH_LEQ")]
    public void Read_UnsupportedAttribute_IsRefusedNamingIt(string attribute, string value, string expected)
    {
        var model = TreeEnsembleClassifierModel.Build(TestModels.Trees, TestModels.TreeFeatures);
        var found = model.Graph.Node[0].Attribute.First(a => a.Name == attribute);
        if (found.Type == AttributeProto.Types.AttributeType.String)
        {
            found.S = ByteString.CopyFromUtf8(value);
        }
        else
        {
            for (var i = 0; i < found.Strings.Count; i++)
            {
                if (found.Strings[i].ToStringUtf8() != "LEAF")
                {
                    found.Strings[i] = ByteString.CopyFromUtf8(value);
                }
            }
        }

        using var scorer = OnnxScorer.Load(model.ToByteArray());
        var error = Assert.Throws<NotSupportedException>(() => OnnxTreeEnsemble.Read(model));

        Assert.Null(scorer.TreeEnsemble);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FromFile_ReadsTheTrees()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sfp-trees-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, TestModels.TreeEnsembleModel());
        try
        {
            using var scorer = OnnxScorer.Load(path);

            Assert.Equal(3, scorer.TreeEnsemble?.TreeCount);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Margin_WrongWidth_Throws()
    {
        var trees = OnnxTreeEnsemble.Read(TreeEnsembleClassifierModel.Build(TestModels.Trees, TestModels.TreeFeatures));

        Assert.Throws<ArgumentException>(() => trees.Margin(new float[TestModels.TreeFeatures + 1]));
    }
}
