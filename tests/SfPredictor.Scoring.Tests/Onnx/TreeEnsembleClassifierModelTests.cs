using SfPredictor.Scoring.Onnx;

namespace SfPredictor.Scoring.Tests.Onnx;

public sealed class TreeEnsembleClassifierModelTests
{
    [Fact]
    public void Build_BranchToMissingChild_ThrowsNamingTreeAndNode()
    {
        IReadOnlyList<IReadOnlyList<TreeNode>> trees = [[TreeNode.Branch(0, 1f, 1, 5), TreeNode.Leaf(1f)]];

        var error = Assert.Throws<ArgumentException>(() => TreeEnsembleClassifierModel.Build(trees, featureCount: 2));

        Assert.Contains("Tree 0 node 0 points to children 1 and 5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_FeatureOutsideRow_ThrowsNamingFeature()
    {
        IReadOnlyList<IReadOnlyList<TreeNode>> trees = [[TreeNode.Branch(4, 1f, 1, 2), TreeNode.Leaf(1f), TreeNode.Leaf(0f)]];

        var error = Assert.Throws<ArgumentException>(() => TreeEnsembleClassifierModel.Build(trees, featureCount: 2));

        Assert.Contains("tests feature 4, outside [0, 2)", error.Message, StringComparison.Ordinal);
    }
}
