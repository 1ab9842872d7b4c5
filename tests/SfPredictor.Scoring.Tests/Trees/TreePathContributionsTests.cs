using SfPredictor.Scoring.Onnx;
using SfPredictor.Scoring.Tests.Onnx;
using SfPredictor.Scoring.Trees;

namespace SfPredictor.Scoring.Tests.Trees;

public sealed class TreePathContributionsTests
{
    // Tree 0: x0 < 0.5 ? 2 : (x1 < 0.3 ? -1 : 3). Tree 1: x1 < -5 ? (x0 < 0.5 ? 4 : 6) : -2.
    private static readonly IReadOnlyList<IReadOnlyList<TreeNode>> HandTrees =
    [
        [TreeNode.Branch(0, 0.5f, 1, 2), TreeNode.Leaf(2f), TreeNode.Branch(1, 0.3f, 3, 4), TreeNode.Leaf(-1f), TreeNode.Leaf(3f)],
        [TreeNode.Branch(1, -5f, 1, 4), TreeNode.Branch(0, 0.5f, 2, 3), TreeNode.Leaf(4f), TreeNode.Leaf(6f), TreeNode.Leaf(-2f)],
    ];

    // One row goes left in tree 0, two go to its -1 leaf and one to its 3 leaf; none reaches tree 1's inner branch.
    private static readonly float[] Background = [0, 0, 1, 0, 1, 0, 1, 1];

    [Fact]
    public void FromRows_HandBuiltTrees_GivesTheHandComputedExpectations()
    {
        var paths = TreePathContributions.FromRows(Trees(), Background);

        // Tree 0: E[x0 >= 0.5] = (2·-1 + 1·3)/3 = 1/3, E[root] = (1·2 + 3·1/3)/4 = 0.75. Tree 1: E[root] = -2.
        Assert.Equal(0.75 - 2, paths.ExpectedMargin, 1e-12);
    }

    [Fact]
    public void Add_HandBuiltTrees_CreditsEachStepToItsFeature()
    {
        var paths = TreePathContributions.FromRows(Trees(), Background);
        var contributions = new double[2];

        var margin = paths.Add([1f, 1f], contributions);

        // Tree 0: root→right (x0) moves 0.75 → 1/3, right→leaf 3 (x1) moves 1/3 → 3. Tree 1: straight to the -2 leaf.
        Assert.Equal(3 - 2, margin, 1e-12);
        Assert.Equal((1.0 / 3) - 0.75, contributions[0], 1e-12);
        Assert.Equal(3 - (1.0 / 3), contributions[1], 1e-12);
    }

    [Fact]
    public void Add_NodeNoBackgroundRowReaches_UsesThePlainMeanOfItsChildren()
    {
        var paths = TreePathContributions.FromRows(Trees(), Background);
        var contributions = new double[2];

        var margin = paths.Add([0f, -10f], contributions);

        // Tree 0: left leaf, 0.75 → 2 (x0). Tree 1: root -2 → unreached branch 5 (x1), then → leaf 4 (x0).
        Assert.Equal(2 + 4, margin, 1e-12);
        Assert.Equal((2 - 0.75) + (4 - 5), contributions[0], 1e-12);
        Assert.Equal(5 - -2, contributions[1], 1e-12);
        Assert.Equal(margin, paths.ExpectedMargin + contributions.Sum(), 1e-12);
    }

    [Fact]
    public void Add_RowsWithMissingValues_SumToTheMarginOnnxRuntimeComputes()
    {
        using var scorer = OnnxScorer.Load(TestModels.TreeEnsembleModel());
        var trees = scorer.TreeEnsemble!;
        var width = TestModels.TreeFeatures;
        var paths = TreePathContributions.FromRows(trees, TestModels.Rows(100, width, seed: 5, withMissing: true));
        var rows = TestModels.Rows(200, width, seed: 6, withMissing: true);
        var probabilities = new float[200];
        scorer.Score(rows, probabilities);
        var contributions = new double[width];

        for (var i = 0; i < 200; i++)
        {
            var row = rows.AsSpan(i * width, width);
            Array.Clear(contributions);
            var margin = paths.Add(row, contributions);

            Assert.Equal(trees.Margin(row), margin, 1e-12);
            Assert.Equal(margin, paths.ExpectedMargin + contributions.Sum(), 1e-9);
            Assert.Equal(probabilities[i], OnnxTreeEnsemble.Sigmoid(margin), 1e-6);
        }
    }

    [Fact]
    public void Add_WrongWidths_Throw()
    {
        var paths = TreePathContributions.FromRows(Trees(), []);

        Assert.Throws<ArgumentException>(() => paths.Add([1f, 2f, 3f], new double[3]));
        Assert.Throws<ArgumentException>(() => paths.Add([1f, 2f], new double[3]));
        Assert.Throws<ArgumentException>(() => TreePathContributions.FromRows(Trees(), [1f, 2f, 3f]));
    }

    private static OnnxTreeEnsemble Trees() => OnnxTreeEnsemble.Read(TreeEnsembleClassifierModel.Build(HandTrees, 2));
}
