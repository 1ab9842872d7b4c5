using System.Buffers.Binary;
using Google.Protobuf;
using SfPredictor.Scoring.Onnx;

namespace SfPredictor.Scoring.Trees;

/// <summary>
/// The boosted trees of an ONNX model, read back from its graph so that a score can be traced to the
/// splits that made it (see <see cref="TreePathContributions"/>). Two graph shapes are recognised:
/// <list type="bullet">
/// <item>the trainer's: an ai.onnx.ml TreeEnsembleRegressor (one target, SUM, no post transform) giving a
/// margin, then any chain of Mul and Add by scalar float initializers (Platt scaling), then Sigmoid, used as
/// the probability output or as the last input of the Concat that builds it;</item>
/// <item>the trainer's isotonic calibration: the same regressor's margin through a Clip to the first and last
/// knots and a piecewise-linear lookup among the knots held in the initializers <c>iso_x</c> and <c>iso_y</c>
/// (or the one probability <c>iso_only</c>);</item>
/// <item>a binary TreeEnsembleClassifier with LOGISTIC post transform whose weights all vote for class 1 and
/// whose second output is the probability output (<see cref="TreeEnsembleClassifierModel"/>).</item>
/// </list>
/// Every branch must be BRANCH_LT, the rule XGBoost and the exporter use: a row goes to the true child when
/// <c>value &lt; threshold</c>, or when the value is NaN and the node's missing value tracks true (ONNX
/// Runtime's reading of the operator). Anything else is refused, so a caller can fall back to methods that
/// only need the model's scores.
/// </summary>
public sealed class OnnxTreeEnsemble
{
    private const string Regressor = "TreeEnsembleRegressor";
    private const string Classifier = "TreeEnsembleClassifier";

    private OnnxTreeEnsemble(TreeNode[][] trees, int featureCount, double baseMargin, double logitScale, double logitOffset)
    {
        Nodes = trees;
        FeatureCount = featureCount;
        BaseMargin = baseMargin;
        LogitScale = logitScale;
        LogitOffset = logitOffset;
    }

    // The isotonic knots (margins ascending, probabilities), when the margin is calibrated by lookup instead of a sigmoid.
    private float[]? _isotonicMargins;
    private float[]? _isotonicProbabilities;

    /// <summary>F, the width of a feature row.</summary>
    public int FeatureCount { get; }

    /// <summary>The number of trees.</summary>
    public int TreeCount => Nodes.Length;

    /// <summary>The margin every row starts from before the trees' leaves are added.</summary>
    public double BaseMargin { get; }

    /// <summary>
    /// The slope a of the win probability's log-odds in the margin: <c>logit(p) = a · margin + b</c> (the Platt slope; 1
    /// without calibration). Not used when the margin is calibrated by isotonic lookup: see <see cref="ProbabilityOfMargin"/>.
    /// </summary>
    public double LogitScale { get; }

    /// <summary>The intercept b of <c>logit(p) = a · margin + b</c> (the Platt intercept; 0 without calibration).</summary>
    public double LogitOffset { get; }

    /// <summary>
    /// The trees, each a list of nodes with the root first and every parent before its children
    /// (<see cref="TreeNode"/> semantics; leaf values include every vote of the leaf).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<TreeNode>> Trees => Nodes;

    /// <summary>The trees as arrays, for the walks of <see cref="TreePathContributions"/>.</summary>
    internal TreeNode[][] Nodes { get; }

    /// <summary>Reads the tree ensemble behind a model's probability output.</summary>
    /// <param name="model">The model.</param>
    /// <param name="probabilityOutput">The output the probabilities are read from (see <see cref="OnnxScorer.ProbabilityOutputName"/>).</param>
    /// <exception cref="NotSupportedException">The graph is not one of the shapes described on <see cref="OnnxTreeEnsemble"/>; the message says what differs.</exception>
    public static OnnxTreeEnsemble Read(ModelProto model, string probabilityOutput = OnnxScorer.PreferredOutputName)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(probabilityOutput);
        var graph = model.Graph ?? throw new NotSupportedException("The model has no graph.");
        if (graph.Input.Count != 1 || graph.Input[0].Type?.TensorType?.Shape?.Dim is not [_, { DimValue: > 0 and <= int.MaxValue } width])
        {
            throw new NotSupportedException("The graph does not have a single input of shape [N, F] with a fixed F.");
        }

        var featureCount = (int)width.DimValue;
        var producers = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var output in node.Output)
            {
                producers[output] = node;
            }
        }

        var value = probabilityOutput;
        var producer = Producer(producers, value);
        if (producer.OpType == "Concat" && producer.Domain.Length == 0 && producer.Attribute.FirstOrDefault(a => a.Name == "axis")?.I is 1 or -1)
        {
            // The scorer reads the last column, which a Concat of [N, 1] columns takes from its last input.
            value = producer.Input[^1];
            producer = Producer(producers, value);
        }

        if (producer.OpType == Classifier && producer.Domain == OnnxGraph.MlDomain && producer.Output.Count > 1 && producer.Output[1] == value)
        {
            return ReadTrees(producer, graph.Input[0].Name, featureCount, 1, 0);
        }

        if (IsotonicLookup(graph, producers, value) is { } isotonic)
        {
            var (clip, margins, probabilities) = isotonic;
            var regressor = Producer(producers, clip.Input[0]);
            if (regressor.OpType != Regressor || regressor.Domain != OnnxGraph.MlDomain || regressor.Output[0] != clip.Input[0])
            {
                throw new NotSupportedException($"The margin the isotonic lookup clips comes from {regressor.OpType}, not from a TreeEnsembleRegressor.");
            }

            var ensemble = ReadTrees(regressor, graph.Input[0].Name, featureCount, 1, 0);
            ensemble._isotonicMargins = margins;
            ensemble._isotonicProbabilities = probabilities;
            return ensemble;
        }

        if (producer.OpType != "Sigmoid" || producer.Domain.Length != 0)
        {
            throw new NotSupportedException($"The probability output '{probabilityOutput}' does not come from a Sigmoid or a TreeEnsembleClassifier but from {producer.OpType}.");
        }

        // Walking back from the Sigmoid, logit = scale · x + offset for the current value x.
        double scale = 1;
        double offset = 0;
        value = producer.Input[0];
        producer = Producer(producers, value);
        while (producer.OpType is "Mul" or "Add" && producer.Domain.Length == 0)
        {
            var (input, constant) = ScalarOperand(graph, producer);
            if (producer.OpType == "Mul")
            {
                scale *= constant;
            }
            else
            {
                offset += scale * constant;
            }

            value = input;
            producer = Producer(producers, value);
        }

        if (producer.OpType != Regressor || producer.Domain != OnnxGraph.MlDomain || producer.Output[0] != value)
        {
            throw new NotSupportedException($"The margin before the Sigmoid comes from {producer.OpType}, not from a TreeEnsembleRegressor through Mul and Add by constants.");
        }

        return ReadTrees(producer, graph.Input[0].Name, featureCount, scale, offset);
    }

    /// <summary>The margin of one row: <see cref="BaseMargin"/> plus the leaf each tree sends the row to.</summary>
    /// <param name="row">The <see cref="FeatureCount"/> features.</param>
    /// <exception cref="ArgumentException">The row is not <see cref="FeatureCount"/> wide.</exception>
    public double Margin(ReadOnlySpan<float> row)
    {
        CheckWidth(row);
        var margin = BaseMargin;
        foreach (var nodes in Nodes)
        {
            var n = 0;
            while (nodes[n].TrueChild >= 0)
            {
                n = Child(nodes[n], row);
            }

            margin += nodes[n].LeafValue;
        }

        return margin;
    }

    /// <summary>The win probability of one row, as the model computes it: see <see cref="ProbabilityOfMargin"/>.</summary>
    /// <param name="row">The <see cref="FeatureCount"/> features.</param>
    /// <exception cref="ArgumentException">The row is not <see cref="FeatureCount"/> wide.</exception>
    public double Probability(ReadOnlySpan<float> row) => ProbabilityOfMargin(Margin(row));

    /// <summary>
    /// The win probability for a margin: <c>sigmoid(a · margin + b)</c>, or the isotonic lookup (the margin clipped to
    /// the first and last knots, then linear between the two knots around it) when the model is calibrated so.
    /// </summary>
    /// <param name="margin">The trees' margin (<see cref="Margin"/>), or one with some contributions taken out.</param>
    public double ProbabilityOfMargin(double margin)
    {
        if (_isotonicMargins is not { } x || _isotonicProbabilities is not { } y)
        {
            return Sigmoid((LogitScale * margin) + LogitOffset);
        }

        if (x.Length == 1)
        {
            return y[0];
        }

        var m = Math.Clamp(margin, x[0], x[^1]);
        var segment = 0;
        for (var k = 1; k < x.Length - 1 && m >= x[k]; k++)
        {
            segment = k;
        }

        return y[segment] + ((m - x[segment]) / (x[segment + 1] - x[segment]) * (y[segment + 1] - y[segment]));
    }

    /// <summary>The logistic function.</summary>
    /// <param name="x">Log-odds.</param>
    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    internal static int Child(in TreeNode node, ReadOnlySpan<float> row)
    {
        var value = row[node.Feature];
        return value < node.Threshold || (node.MissingGoesTrue && float.IsNaN(value)) ? node.TrueChild : node.FalseChild;
    }

    internal void CheckWidth(ReadOnlySpan<float> row)
    {
        if (row.Length != FeatureCount)
        {
            throw new ArgumentException($"The trees read rows of {FeatureCount} features, not {row.Length}.", nameof(row));
        }
    }

    // The trainer's isotonic graph: every node the probability depends on is reached through one Clip of the margin by
    // two scalar initializers, with the knots in iso_x and iso_y (or iso_only for a single one). Null for any other graph.
    private static (NodeProto Clip, float[] Margins, float[] Probabilities)? IsotonicLookup(
        GraphProto graph, Dictionary<string, NodeProto> producers, string value)
    {
        NodeProto? clip = null;
        var pending = new Stack<string>([value]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryPop(out var name))
        {
            if (!seen.Add(name) || !producers.TryGetValue(name, out var node))
            {
                continue;
            }

            if (node.OpType == "Clip" && node.Domain.Length == 0 && node.Input.Count == 3
                && ScalarInitializer(graph, node.Input[1]) is not null && ScalarInitializer(graph, node.Input[2]) is not null)
            {
                if (clip is not null && clip != node)
                {
                    return null;
                }

                clip = node;
                continue;
            }

            if (node.Domain.Length != 0 || node.Input.Contains(graph.Input[0].Name))
            {
                return null;
            }

            foreach (var input in node.Input)
            {
                pending.Push(input);
            }
        }

        if (clip is null)
        {
            return null;
        }

        // One knot: every margin gets its probability, so the knot's margin is never read.
        if (FloatValues(graph, "iso_only") is [var only])
        {
            return (clip, [0f], [only]);
        }

        return FloatValues(graph, "iso_x") is { Length: > 1 } x && FloatValues(graph, "iso_y") is { } y && y.Length == x.Length
            ? (clip, x, y)
            : null;
    }

    private static float[]? FloatValues(GraphProto graph, string name)
    {
        var tensor = graph.Initializer.FirstOrDefault(t => t.Name == name);
        if (tensor is null || tensor.DataType != (int)TensorProto.Types.DataType.Float)
        {
            return null;
        }

        if (tensor.FloatData.Count > 0)
        {
            return [.. tensor.FloatData];
        }

        var values = new float[tensor.RawData.Length / 4];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(tensor.RawData.Span[(4 * i)..]);
        }

        return values;
    }

    private static NodeProto Producer(Dictionary<string, NodeProto> producers, string value) =>
        producers.TryGetValue(value, out var node) ? node : throw new NotSupportedException($"No node of the graph produces '{value}'.");

    // Mul and Add are commutative: the constant may be either input.
    private static (string Input, double Constant) ScalarOperand(GraphProto graph, NodeProto node)
    {
        if (node.Input.Count == 2)
        {
            if (ScalarInitializer(graph, node.Input[1]) is { } second)
            {
                return (node.Input[0], second);
            }

            if (ScalarInitializer(graph, node.Input[0]) is { } first)
            {
                return (node.Input[1], first);
            }
        }

        throw new NotSupportedException($"{node.OpType} '{node.Name}' does not take a value and a scalar float initializer.");
    }

    private static double? ScalarInitializer(GraphProto graph, string name)
    {
        var tensor = graph.Initializer.FirstOrDefault(t => t.Name == name);
        if (tensor is null || tensor.DataType != (int)TensorProto.Types.DataType.Float || tensor.Dims.Aggregate(1L, (a, d) => a * d) != 1)
        {
            return null;
        }

        return tensor.FloatData.Count == 1 ? tensor.FloatData[0]
            : tensor.RawData.Length == 4 ? BinaryPrimitives.ReadSingleLittleEndian(tensor.RawData.Span)
            : null;
    }

    private static OnnxTreeEnsemble ReadTrees(NodeProto node, string inputName, int featureCount, double logitScale, double logitOffset)
    {
        var attributes = node.Attribute.ToDictionary(a => a.Name, StringComparer.Ordinal);
        if (node.Input.Count != 1 || node.Input[0] != inputName)
        {
            throw new NotSupportedException($"{node.OpType} does not read the graph's input '{inputName}' directly.");
        }

        var classifier = node.OpType == Classifier;
        var prefix = classifier ? "class_" : "target_";
        if (attributes.Keys.FirstOrDefault(k => k.EndsWith("_as_tensor", StringComparison.Ordinal)) is { } tensorAttribute)
        {
            throw new NotSupportedException($"{node.OpType} holds double-precision values ({tensorAttribute}).");
        }

        double baseMargin = 0;
        if (classifier)
        {
            Expect(node.OpType, "post_transform", Text("post_transform", "NONE"), "LOGISTIC");
            var labels = Math.Max(Ints("classlabels_int64s", required: false).Length, attributes.TryGetValue("classlabels_strings", out var strings) ? strings.Strings.Count : 0);
            Expect(node.OpType, "class count", labels, 2);
            if (Floats("base_values", required: false).Length > 0)
            {
                throw new NotSupportedException($"{node.OpType} has base values, which runtimes read differently for two classes.");
            }
        }
        else
        {
            Expect(node.OpType, "post_transform", Text("post_transform", "NONE"), "NONE");
            Expect(node.OpType, "aggregate_function", Text("aggregate_function", "SUM"), "SUM");
            Expect(node.OpType, "n_targets", attributes.TryGetValue("n_targets", out var targets) ? targets.I : 1, 1);
            var baseValues = Floats("base_values", required: false);
            if (baseValues.Length > 1)
            {
                throw new NotSupportedException($"{node.OpType} has {baseValues.Length} base values for one target.");
            }

            baseMargin = baseValues.Length == 1 ? baseValues[0] : 0;
        }

        var treeIds = Ints("nodes_treeids");
        var nodeIds = Ints("nodes_nodeids");
        var featureIds = Ints("nodes_featureids");
        var thresholds = Floats("nodes_values");
        var modes = attributes.TryGetValue("nodes_modes", out var m) ? m.Strings.Select(s => s.ToStringUtf8()).ToArray() : throw Missing("nodes_modes");
        var trueIds = Ints("nodes_truenodeids");
        var falseIds = Ints("nodes_falsenodeids");
        var missingTrue = Ints("nodes_missing_value_tracks_true", required: false);
        var count = treeIds.Length;
        if (new[] { nodeIds.Length, featureIds.Length, thresholds.Length, modes.Length, trueIds.Length, falseIds.Length }.Any(l => l != count)
            || (missingTrue.Length != 0 && missingTrue.Length != count))
        {
            throw new NotSupportedException($"The nodes_* attributes of {node.OpType} differ in length.");
        }

        var weightTrees = Ints(prefix + "treeids");
        var weightNodes = Ints(prefix + "nodeids");
        var weightIds = Ints(prefix + "ids");
        var weights = Floats(prefix + "weights");
        if (weightNodes.Length != weightTrees.Length || weightIds.Length != weightTrees.Length || weights.Length != weightTrees.Length)
        {
            throw new NotSupportedException($"The {prefix}* attributes of {node.OpType} differ in length.");
        }

        // A leaf's votes add up; the probability depends only on the votes for its one target or class.
        var expectedId = classifier ? 1 : 0;
        var leafValues = new Dictionary<(long Tree, long Node), float>();
        for (var i = 0; i < weightTrees.Length; i++)
        {
            if (weightIds[i] != expectedId)
            {
                throw new NotSupportedException($"{node.OpType} has a vote for {(classifier ? "class" : "target")} {weightIds[i]}; only {expectedId} is read.");
            }

            leafValues[(weightTrees[i], weightNodes[i])] = leafValues.GetValueOrDefault((weightTrees[i], weightNodes[i])) + weights[i];
        }

        // As in ONNX Runtime, a tree's root is its first node listed; the nodes of a tree must be listed together.
        var trees = new List<TreeNode[]>();
        var seenTrees = new HashSet<long>();
        for (var start = 0; start < count;)
        {
            var end = start;
            while (end < count && treeIds[end] == treeIds[start])
            {
                end++;
            }

            if (!seenTrees.Add(treeIds[start]))
            {
                throw new NotSupportedException($"The nodes of tree {treeIds[start]} are not listed together.");
            }

            trees.Add(Tree(start, end));
            start = end;
        }

        return new OnnxTreeEnsemble([.. trees], featureCount, baseMargin, logitScale, logitOffset);

        // The nodes reachable from the root, re-numbered depth first (true child first), so a parent always
        // comes before its children.
        TreeNode[] Tree(int start, int end)
        {
            var tree = treeIds[start];
            var positions = new Dictionary<long, int>();
            for (var i = start; i < end; i++)
            {
                if (!positions.TryAdd(nodeIds[i], i))
                {
                    throw new NotSupportedException($"Tree {tree} lists node {nodeIds[i]} twice.");
                }
            }

            var order = new List<int>();
            var index = new Dictionary<int, int>();
            var pending = new Stack<int>();
            pending.Push(start);
            while (pending.Count > 0)
            {
                var i = pending.Pop();
                if (!index.TryAdd(i, order.Count))
                {
                    throw new NotSupportedException($"Tree {tree} reaches node {nodeIds[i]} twice.");
                }

                order.Add(i);
                if (modes[i] == "LEAF")
                {
                    continue;
                }

                if (modes[i] != "BRANCH_LT")
                {
                    throw new NotSupportedException($"Tree {tree} node {nodeIds[i]} uses {modes[i]}; only BRANCH_LT is read.");
                }

                if (featureIds[i] < 0 || featureIds[i] >= featureCount)
                {
                    throw new NotSupportedException($"Tree {tree} node {nodeIds[i]} tests feature {featureIds[i]}, outside [0, {featureCount}).");
                }

                pending.Push(Position(falseIds[i]));
                pending.Push(Position(trueIds[i]));
            }

            var nodes = new TreeNode[order.Count];
            for (var k = 0; k < order.Count; k++)
            {
                var i = order[k];
                nodes[k] = modes[i] == "LEAF"
                    ? TreeNode.Leaf(leafValues.GetValueOrDefault((tree, nodeIds[i])))
                    : TreeNode.Branch((int)featureIds[i], thresholds[i], index[Position(trueIds[i])], index[Position(falseIds[i])], missingTrue.Length > 0 && missingTrue[i] == 1);
            }

            return nodes;

            int Position(long id) => positions.TryGetValue(id, out var p) ? p : throw new NotSupportedException($"Tree {tree} refers to a node {id} it does not have.");
        }

        string Text(string name, string fallback) => attributes.TryGetValue(name, out var a) ? a.S.ToStringUtf8() : fallback;

        long[] Ints(string name, bool required = true) => attributes.TryGetValue(name, out var a) ? [.. a.Ints] : required ? throw Missing(name) : [];

        float[] Floats(string name, bool required = true) => attributes.TryGetValue(name, out var a) ? [.. a.Floats] : required ? throw Missing(name) : [];

        NotSupportedException Missing(string name) => new($"{node.OpType} has no attribute {name}.");
    }

    private static void Expect<T>(string op, string what, T actual, T expected)
        where T : IEquatable<T>
    {
        if (!actual.Equals(expected))
        {
            throw new NotSupportedException($"{op} has {what} {actual}; only {expected} is read.");
        }
    }

}
