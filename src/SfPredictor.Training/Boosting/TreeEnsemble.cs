using System.Globalization;
using System.Text.Json;

namespace SfPredictor.Training.Boosting;

/// <summary>
/// One binary regression tree in XGBoost's layout: node 0 is the root; a node with <c>Left &lt; 0</c>
/// is a leaf whose value is in <see cref="Values"/>; otherwise a row goes left when
/// <c>row[Feature] &lt; Values</c>, and a missing (NaN) value goes to the default side.
/// </summary>
internal sealed class RegressionTree
{
    public RegressionTree(int[] left, int[] right, int[] feature, float[] values, bool[] defaultLeft, float[] gain)
    {
        var count = left.Length;
        if (right.Length != count || feature.Length != count || values.Length != count || defaultLeft.Length != count || gain.Length != count)
        {
            throw new ArgumentException("Every node array of a tree must have the same length.");
        }

        for (var node = 0; node < count; node++)
        {
            if (left[node] >= count || right[node] >= count || (left[node] < 0) != (right[node] < 0))
            {
                throw new ArgumentException($"Node {node} has children ({left[node]}, {right[node]}) outside the tree of {count} nodes.");
            }
        }

        Left = left;
        Right = right;
        Feature = feature;
        Values = values;
        DefaultLeft = defaultLeft;
        Gain = gain;
    }

    public int[] Left { get; }

    public int[] Right { get; }

    public int[] Feature { get; }

    /// <summary>Split threshold of an inner node, value of a leaf.</summary>
    public float[] Values { get; }

    public bool[] DefaultLeft { get; }

    /// <summary>Loss reduction of each split (0 for leaves): the "gain" of feature importance.</summary>
    public float[] Gain { get; }

    public int NodeCount => Left.Length;

    public bool IsLeaf(int node) => Left[node] < 0;

    /// <summary>The value of the leaf <paramref name="row"/> ends in.</summary>
    public float Evaluate(ReadOnlySpan<float> row)
    {
        var node = 0;
        while (!IsLeaf(node))
        {
            var x = row[Feature[node]];
            var goLeft = float.IsNaN(x) ? DefaultLeft[node] : x < Values[node];
            node = goLeft ? Left[node] : Right[node];
        }

        return Values[node];
    }
}

/// <summary>A sum of regression trees plus a constant: the raw score (log-odds) of a binary classifier.</summary>
internal sealed class TreeEnsemble
{
    public TreeEnsemble(IReadOnlyList<RegressionTree> trees, float baseMargin, int featureCount)
    {
        foreach (var tree in trees)
        {
            for (var node = 0; node < tree.NodeCount; node++)
            {
                if (!tree.IsLeaf(node) && (tree.Feature[node] < 0 || tree.Feature[node] >= featureCount))
                {
                    throw new ArgumentException($"A tree splits on feature {tree.Feature[node]} but rows have {featureCount} features.");
                }
            }
        }

        Trees = trees;
        BaseMargin = baseMargin;
        FeatureCount = featureCount;
    }

    public IReadOnlyList<RegressionTree> Trees { get; }

    /// <summary>The constant added to the sum of the trees (log-odds).</summary>
    public float BaseMargin { get; }

    public int FeatureCount { get; }

    /// <summary>
    /// Reads the trees of a binary:logistic gbtree model from XGBoost's JSON (format of 1.7). There,
    /// <c>base_score</c> is a probability; its log-odds is the margin every prediction starts from.
    /// </summary>
    public static TreeEnsemble FromXGBoostJson(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var learner = document.RootElement.GetProperty("learner");
        var parameters = learner.GetProperty("learner_model_param");
        var objective = learner.GetProperty("objective").GetProperty("name").GetString();
        if (objective is not ("binary:logistic" or "reg:logistic" or "binary:logitraw"))
        {
            throw new NotSupportedException($"Only binary logistic XGBoost models can be exported; this one has objective '{objective}'.");
        }

        var booster = learner.GetProperty("gradient_booster");
        if (booster.GetProperty("name").GetString() != "gbtree")
        {
            throw new NotSupportedException($"Only gbtree boosters can be exported; this one is '{booster.GetProperty("name").GetString()}'.");
        }

        var baseScore = float.Parse(parameters.GetProperty("base_score").GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture);
        var featureCount = int.Parse(parameters.GetProperty("num_feature").GetString()!, CultureInfo.InvariantCulture);
        var trees = new List<RegressionTree>();
        foreach (var tree in booster.GetProperty("model").GetProperty("trees").EnumerateArray())
        {
            if (tree.TryGetProperty("categories_nodes", out var categorical) && categorical.GetArrayLength() > 0)
            {
                throw new NotSupportedException("Categorical splits cannot be exported.");
            }

            trees.Add(new RegressionTree(
                Ints(tree, "left_children"),
                Ints(tree, "right_children"),
                Ints(tree, "split_indices"),
                Floats(tree, "split_conditions"),
                [.. tree.GetProperty("default_left").EnumerateArray().Select(e => e.ValueKind == JsonValueKind.True || (e.ValueKind == JsonValueKind.Number && e.GetInt32() != 0))],
                Floats(tree, "loss_changes")));
        }

        var baseMargin = objective == "binary:logitraw" ? baseScore : ProbabilityToMargin(baseScore);
        return new TreeEnsemble(trees, baseMargin, featureCount);
    }

    /// <summary>The log-odds of <paramref name="probability"/>, computed the way XGBoost does (single precision).</summary>
    public static float ProbabilityToMargin(float probability) => -MathF.Log((1f / probability) - 1f);

    /// <summary>The raw score of one row: base margin plus every tree's leaf, added in tree order.</summary>
    public float Margin(ReadOnlySpan<float> row)
    {
        if (row.Length != FeatureCount)
        {
            throw new ArgumentException($"The row has {row.Length} features; the model expects {FeatureCount}.", nameof(row));
        }

        var sum = BaseMargin;
        foreach (var tree in Trees)
        {
            sum += tree.Evaluate(row);
        }

        return sum;
    }

    /// <summary>Total loss reduction of all splits on each feature (XGBoost's "total_gain" importance).</summary>
    public double[] TotalGainByFeature()
    {
        var gain = new double[FeatureCount];
        foreach (var tree in Trees)
        {
            for (var node = 0; node < tree.NodeCount; node++)
            {
                if (!tree.IsLeaf(node))
                {
                    gain[tree.Feature[node]] += tree.Gain[node];
                }
            }
        }

        return gain;
    }

    private static int[] Ints(JsonElement tree, string name) =>
        [.. tree.GetProperty(name).EnumerateArray().Select(e => e.GetInt32())];

    private static float[] Floats(JsonElement tree, string name) =>
        [.. tree.GetProperty(name).EnumerateArray().Select(e => e.GetSingle())];
}
