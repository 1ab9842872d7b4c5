namespace SfPredictor.Training.Boosting;

/// <summary>
/// The stage-only model: the win rate of training rows per value of the stage column, smoothed as
/// (wins + 1) / (rows + 2), written as a one-tree ensemble of log-odds so it exports and scores like any
/// other model. Rows with an unknown stage (NaN) or a stage never seen get the overall win rate or the
/// nearest known stage's rate.
/// </summary>
internal static class StageWinRates
{
    public static TreeEnsemble Build(ReadOnlySpan<float> features, int width, int stageColumn, ReadOnlySpan<float> labels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegative(stageColumn);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(stageColumn, width);
        if (features.Length != labels.Length * width)
        {
            throw new ArgumentException($"{features.Length} feature values do not make {labels.Length} rows of {width}.", nameof(features));
        }

        var byStage = new SortedDictionary<float, (double Wins, double Rows)>();
        double wins = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            wins += labels[i];
            var stage = features[(i * width) + stageColumn];
            if (!float.IsNaN(stage))
            {
                var (w, n) = byStage.GetValueOrDefault(stage);
                byStage[stage] = (w + labels[i], n + 1);
            }
        }

        var nodes = new NodeList();
        var overall = Logit(wins, labels.Length);
        if (byStage.Count == 0)
        {
            nodes.Leaf(overall);
        }
        else
        {
            // Root: every known stage (finite value) goes left into a search tree over the stage values;
            // NaN goes right to the overall rate.
            var root = nodes.Split(stageColumn, float.PositiveInfinity);
            var stages = byStage.Keys.ToArray();
            var logits = byStage.Values.Select(s => Logit(s.Wins, s.Rows)).ToArray();
            var left = AddSearchTree(nodes, stageColumn, stages, logits, 0, stages.Length - 1);
            var right = nodes.Leaf(overall);
            nodes.Link(root, left, right);
        }

        return new TreeEnsemble([nodes.ToTree()], 0f, width);
    }

    private static int AddSearchTree(NodeList nodes, int column, float[] stages, float[] logits, int first, int last)
    {
        if (first == last)
        {
            return nodes.Leaf(logits[first]);
        }

        // Rows below stages[middle] go left; equal or above go right.
        var middle = (first + last + 1) / 2;
        var split = nodes.Split(column, stages[middle]);
        var left = AddSearchTree(nodes, column, stages, logits, first, middle - 1);
        var right = AddSearchTree(nodes, column, stages, logits, middle, last);
        nodes.Link(split, left, right);
        return split;
    }

    private static float Logit(double wins, double rows)
    {
        var rate = (wins + 1) / (rows + 2);
        return (float)Math.Log(rate / (1 - rate));
    }

    private sealed class NodeList
    {
        private readonly List<int> _left = [];
        private readonly List<int> _right = [];
        private readonly List<int> _feature = [];
        private readonly List<float> _values = [];

        public int Leaf(float value) => Add(-1, value);

        public int Split(int column, float threshold) => Add(column, threshold);

        public void Link(int node, int left, int right)
        {
            _left[node] = left;
            _right[node] = right;
        }

        public RegressionTree ToTree() => new(
            [.. _left],
            [.. _right],
            [.. _feature.Select(f => Math.Max(f, 0))],
            [.. _values],
            new bool[_left.Count],
            new float[_left.Count]);

        private int Add(int feature, float value)
        {
            _left.Add(-1);
            _right.Add(-1);
            _feature.Add(feature);
            _values.Add(value);
            return _left.Count - 1;
        }
    }
}
