namespace SfPredictor.Scoring.Onnx;

/// <summary>
/// One node of a binary decision tree. Nodes are addressed by their index in the tree's list, the root first.
/// A branch sends a row to <see cref="TrueChild"/> when <c>features[Feature] &lt; Threshold</c> (XGBoost's rule),
/// and a missing (NaN) value to the true child only when <see cref="MissingGoesTrue"/>. A leaf adds
/// <see cref="LeafValue"/> to the row's margin.
/// </summary>
/// <param name="Feature">Index of the feature a branch tests.</param>
/// <param name="Threshold">A branch's split value.</param>
/// <param name="TrueChild">Index of the child for <c>value &lt; Threshold</c>; -1 for a leaf.</param>
/// <param name="FalseChild">Index of the other child; -1 for a leaf.</param>
/// <param name="MissingGoesTrue">Whether a NaN value follows the true child.</param>
/// <param name="LeafValue">A leaf's contribution to the margin.</param>
public readonly record struct TreeNode(int Feature, float Threshold, int TrueChild, int FalseChild, bool MissingGoesTrue, float LeafValue)
{
    /// <summary>Whether this node is a leaf.</summary>
    public bool IsLeaf => TrueChild < 0;

    /// <summary>Creates a branch node.</summary>
    /// <param name="feature">Index of the feature tested.</param>
    /// <param name="threshold">Rows with a smaller value go to <paramref name="trueChild"/>.</param>
    /// <param name="trueChild">Index of the child for smaller values.</param>
    /// <param name="falseChild">Index of the child for other values.</param>
    /// <param name="missingGoesTrue">Whether NaN follows <paramref name="trueChild"/>.</param>
    public static TreeNode Branch(int feature, float threshold, int trueChild, int falseChild, bool missingGoesTrue = false) =>
        new(feature, threshold, trueChild, falseChild, missingGoesTrue, 0f);

    /// <summary>Creates a leaf.</summary>
    /// <param name="value">The leaf's contribution to the margin.</param>
    public static TreeNode Leaf(float value) => new(0, 0f, -1, -1, false, value);
}

/// <summary>
/// Writes a boosted binary tree ensemble as an ONNX model with one ai.onnx.ml TreeEnsembleClassifier node:
/// input <c>features</c> float [N, F]; outputs <c>label</c> int64 [N] and <c>probabilities</c> float [N, 2],
/// where column 1 is <c>sigmoid(baseMargin + sum of the reached leaves)</c>. The result meets the
/// <see cref="OnnxScorer"/> contract.
/// </summary>
public static class TreeEnsembleClassifierModel
{
    /// <summary>The input's name.</summary>
    public const string InputName = "features";

    /// <summary>The probabilities output's name.</summary>
    public const string ProbabilitiesName = "probabilities";

    /// <summary>The label output's name.</summary>
    public const string LabelName = "label";

    /// <summary>The ai.onnx.ml operator set version used.</summary>
    public const long MlOpsetVersion = 3;

    /// <summary>Builds the model.</summary>
    /// <param name="trees">The trees, each a list of nodes with the root first.</param>
    /// <param name="featureCount">F, the width of a feature row.</param>
    /// <param name="baseMargin">The margin every row starts from (XGBoost's base score as a logit).</param>
    /// <exception cref="ArgumentException">A tree refers to a missing child or a feature outside [0, F).</exception>
    public static ModelProto Build(IReadOnlyList<IReadOnlyList<TreeNode>> trees, int featureCount, float baseMargin = 0f)
    {
        ArgumentNullException.ThrowIfNull(trees);
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);

        var treeIds = new List<long>();
        var nodeIds = new List<long>();
        var featureIds = new List<long>();
        var thresholds = new List<float>();
        var modes = new List<string>();
        var trueIds = new List<long>();
        var falseIds = new List<long>();
        var missingTrue = new List<long>();
        var weightTrees = new List<long>();
        var weightNodes = new List<long>();
        var weightClasses = new List<long>();
        var weights = new List<float>();

        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            for (var n = 0; n < tree.Count; n++)
            {
                var node = tree[n];
                Check(node, t, n, tree.Count, featureCount);
                treeIds.Add(t);
                nodeIds.Add(n);
                featureIds.Add(node.IsLeaf ? 0 : node.Feature);
                thresholds.Add(node.IsLeaf ? 0f : node.Threshold);
                modes.Add(node.IsLeaf ? "LEAF" : "BRANCH_LT");
                trueIds.Add(node.IsLeaf ? 0 : node.TrueChild);
                falseIds.Add(node.IsLeaf ? 0 : node.FalseChild);
                missingTrue.Add(node.MissingGoesTrue ? 1 : 0);
                if (node.IsLeaf)
                {
                    // One vote, for the positive class. The base margin rides on the first tree's leaves
                    // (every row reaches exactly one of them) because runtimes read a two-class
                    // base_values attribute differently.
                    weightTrees.Add(t);
                    weightNodes.Add(n);
                    weightClasses.Add(1);
                    weights.Add(node.LeafValue + (t == 0 ? baseMargin : 0f));
                }
            }
        }

        var node0 = OnnxGraph.Node(
            "TreeEnsembleClassifier",
            [InputName],
            [LabelName, ProbabilitiesName],
            OnnxGraph.MlDomain,
            OnnxGraph.IntsAttribute("classlabels_int64s", [0, 1]),
            OnnxGraph.IntsAttribute("nodes_treeids", treeIds),
            OnnxGraph.IntsAttribute("nodes_nodeids", nodeIds),
            OnnxGraph.IntsAttribute("nodes_featureids", featureIds),
            OnnxGraph.FloatsAttribute("nodes_values", thresholds),
            OnnxGraph.StringsAttribute("nodes_modes", modes),
            OnnxGraph.IntsAttribute("nodes_truenodeids", trueIds),
            OnnxGraph.IntsAttribute("nodes_falsenodeids", falseIds),
            OnnxGraph.IntsAttribute("nodes_missing_value_tracks_true", missingTrue),
            OnnxGraph.IntsAttribute("class_treeids", weightTrees),
            OnnxGraph.IntsAttribute("class_nodeids", weightNodes),
            OnnxGraph.IntsAttribute("class_ids", weightClasses),
            OnnxGraph.FloatsAttribute("class_weights", weights),
            OnnxGraph.StringAttribute("post_transform", "LOGISTIC"));

        var graph = new GraphProto { Name = "tree_ensemble_classifier" };
        graph.Node.Add(node0);
        graph.Input.Add(OnnxGraph.FloatRows(InputName, featureCount));
        graph.Output.Add(OnnxGraph.TensorValue(LabelName, TensorProto.Types.DataType.Int64, [null]));
        graph.Output.Add(OnnxGraph.TensorValue(ProbabilitiesName, TensorProto.Types.DataType.Float, null, 2));
        return OnnxGraph.Model(graph, ("", 17), (OnnxGraph.MlDomain, MlOpsetVersion));
    }

    private static void Check(TreeNode node, int tree, int index, int nodeCount, int featureCount)
    {
        if (node.IsLeaf)
        {
            return;
        }

        if (node.Feature < 0 || node.Feature >= featureCount)
        {
            throw new ArgumentException($"Tree {tree} node {index} tests feature {node.Feature}, outside [0, {featureCount}).", "trees");
        }

        if (node.TrueChild >= nodeCount || node.FalseChild < 0 || node.FalseChild >= nodeCount)
        {
            throw new ArgumentException(
                $"Tree {tree} node {index} points to children {node.TrueChild} and {node.FalseChild}, but the tree has {nodeCount} nodes.",
                "trees");
        }
    }
}
