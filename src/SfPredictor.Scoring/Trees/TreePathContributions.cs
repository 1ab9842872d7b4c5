namespace SfPredictor.Scoring.Trees;

/// <summary>
/// Splits the margin of a row among its features along the paths the row takes through the trees
/// (Saabas): every node has an expected value, the mean margin of that tree's rows of a background
/// population that reach the node; each split on the way to the row's leaf moves the expected value from
/// the node's to the child's, and that step is credited to the split's feature. So for every row
/// <c>margin = <see cref="ExpectedMargin"/> + Σ contributions</c> exactly, where
/// <see cref="ExpectedMargin"/> is the mean margin of the population.
/// <para>
/// ONNX models carry no node counts, so they are taken from the background rows given here: an inner node
/// is the count-weighted mean of its children, and a node no background row reaches is the plain mean of
/// its children. Immutable and thread-safe once built.
/// </para>
/// </summary>
public sealed class TreePathContributions
{
    private readonly OnnxTreeEnsemble _ensemble;
    private readonly double[][] _expected;

    private TreePathContributions(OnnxTreeEnsemble ensemble, double[][] expected, double expectedMargin)
    {
        _ensemble = ensemble;
        _expected = expected;
        ExpectedMargin = expectedMargin;
    }

    /// <summary>The trees explained.</summary>
    public OnnxTreeEnsemble Ensemble => _ensemble;

    /// <summary>The base margin plus every tree's expected value at its root: the mean margin of the background rows.</summary>
    public double ExpectedMargin { get; }

    /// <summary>Takes the node expectations from a background population.</summary>
    /// <param name="ensemble">The trees.</param>
    /// <param name="rows">The background rows, row-major, <see cref="OnnxTreeEnsemble.FeatureCount"/> each; may be empty.</param>
    /// <exception cref="ArgumentException">The rows are not whole rows.</exception>
    public static TreePathContributions FromRows(OnnxTreeEnsemble ensemble, ReadOnlySpan<float> rows)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        var width = ensemble.FeatureCount;
        if (rows.Length % width != 0)
        {
            throw new ArgumentException($"Expected whole rows of {width} features, got {rows.Length} values.", nameof(rows));
        }

        var expectedMargin = ensemble.BaseMargin;
        var expected = new double[ensemble.TreeCount][];
        for (var t = 0; t < expected.Length; t++)
        {
            var nodes = ensemble.Nodes[t];
            var counts = new int[nodes.Length];
            for (var r = 0; r < rows.Length; r += width)
            {
                var row = rows.Slice(r, width);
                var n = 0;
                counts[0]++;
                while (nodes[n].TrueChild >= 0)
                {
                    n = OnnxTreeEnsemble.Child(nodes[n], row);
                    counts[n]++;
                }
            }

            // Children come after their parent, so going backwards sees both children of a node first.
            var values = new double[nodes.Length];
            for (var n = nodes.Length - 1; n >= 0; n--)
            {
                var node = nodes[n];
                if (node.TrueChild < 0)
                {
                    values[n] = node.LeafValue;
                    continue;
                }

                var (left, right) = (counts[node.TrueChild], counts[node.FalseChild]);
                values[n] = left + right > 0
                    ? ((left * values[node.TrueChild]) + (right * values[node.FalseChild])) / (left + right)
                    : (values[node.TrueChild] + values[node.FalseChild]) / 2;
            }

            expected[t] = values;
            expectedMargin += values[0];
        }

        return new TreePathContributions(ensemble, expected, expectedMargin);
    }

    /// <summary>
    /// Adds each feature's contribution to the margin of <paramref name="row"/> into <paramref name="contributions"/>
    /// (so clear it first) and returns the row's margin.
    /// </summary>
    /// <param name="row">The <see cref="OnnxTreeEnsemble.FeatureCount"/> features.</param>
    /// <param name="contributions">One entry per feature.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public double Add(ReadOnlySpan<float> row, Span<double> contributions)
    {
        _ensemble.CheckWidth(row);
        if (contributions.Length != row.Length)
        {
            throw new ArgumentException($"Expected one contribution per feature ({row.Length}), got {contributions.Length}.", nameof(contributions));
        }

        var margin = _ensemble.BaseMargin;
        var trees = _ensemble.Nodes;
        for (var t = 0; t < trees.Length; t++)
        {
            var nodes = trees[t];
            var expected = _expected[t];
            var n = 0;
            while (nodes[n].TrueChild >= 0)
            {
                var child = OnnxTreeEnsemble.Child(nodes[n], row);
                contributions[nodes[n].Feature] += expected[child] - expected[n];
                n = child;
            }

            margin += nodes[n].LeafValue;
        }

        return margin;
    }
}
