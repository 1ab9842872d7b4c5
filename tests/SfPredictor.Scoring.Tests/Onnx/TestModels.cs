using Google.Protobuf;
using SfPredictor.Scoring.Onnx;

namespace SfPredictor.Scoring.Tests.Onnx;

/// <summary>Small models built in code, with an independent reference computation for each.</summary>
internal static class TestModels
{
    public const int TreeFeatures = 4;

    /// <summary>Three small trees over 4 features, with mixed-sign leaves and missing-value routing both ways.</summary>
    public static IReadOnlyList<IReadOnlyList<TreeNode>> Trees { get; } =
    [
        [
            TreeNode.Branch(0, 0.5f, 1, 2, missingGoesTrue: true),
            TreeNode.Branch(1, 0.3f, 3, 4),
            TreeNode.Leaf(0.8f),
            TreeNode.Leaf(-0.4f),
            TreeNode.Leaf(0.25f),
        ],
        [
            TreeNode.Branch(2, -1.0f, 1, 2),
            TreeNode.Leaf(-0.7f),
            TreeNode.Branch(3, 2.0f, 3, 4, missingGoesTrue: true),
            TreeNode.Leaf(0.15f),
            TreeNode.Leaf(-0.05f),
        ],
        [
            TreeNode.Leaf(0.1f),
        ],
    ];

    public const float TreeBaseMargin = -0.2f;

    /// <summary>Walks the trees the way the model's documentation says, in double precision.</summary>
    public static double TreeProbability(ReadOnlySpan<float> row)
    {
        double margin = TreeBaseMargin;
        foreach (var tree in Trees)
        {
            var index = 0;
            while (!tree[index].IsLeaf)
            {
                var node = tree[index];
                var value = row[node.Feature];
                var goesTrue = float.IsNaN(value) ? node.MissingGoesTrue : value < node.Threshold;
                index = goesTrue ? node.TrueChild : node.FalseChild;
            }

            margin += tree[index].LeafValue;
        }

        return 1.0 / (1.0 + Math.Exp(-margin));
    }

    public static byte[] TreeEnsembleModel() =>
        TreeEnsembleClassifierModel.Build(Trees, TreeFeatures, TreeBaseMargin).ToByteArray();

    public const int MlpFeatures = 3;
    public const int MlpHidden = 4;

    // Row-major [3, 4] and [4, 1] weights.
    private static readonly float[] W1 = [0.5f, -1.2f, 0.3f, 0.8f, -0.7f, 0.4f, 1.1f, -0.2f, 0.9f, 0.6f, -0.5f, 0.05f];
    private static readonly float[] B1 = [0.1f, -0.3f, 0.2f, 0.0f];
    private static readonly float[] W2 = [1.5f, -0.8f, 0.6f, 1.2f];
    private const float B2 = -0.25f;

    /// <summary>sigmoid(relu(x·W1 + b1)·W2 + b2), in double precision.</summary>
    public static double MlpProbability(ReadOnlySpan<float> row)
    {
        double output = B2;
        for (var h = 0; h < MlpHidden; h++)
        {
            double hidden = B1[h];
            for (var f = 0; f < MlpFeatures; f++)
            {
                hidden += row[f] * (double)W1[(f * MlpHidden) + h];
            }

            output += Math.Max(0, hidden) * W2[h];
        }

        return 1.0 / (1.0 + Math.Exp(-output));
    }

    /// <summary>
    /// MatMul/Add/Relu/MatMul/Add/Sigmoid giving p [N, 1], then Concat(1 - p, p) as "probabilities" [N, 2].
    /// With <paramref name="exposeRawProbability"/> the [N, 1] value "p" is also a graph output, listed first.
    /// </summary>
    public static byte[] MlpModel(bool exposeRawProbability = false)
    {
        var graph = new GraphProto { Name = "mlp" };
        graph.Initializer.Add(OnnxGraph.FloatTensor("W1", [MlpFeatures, MlpHidden], W1));
        graph.Initializer.Add(OnnxGraph.FloatTensor("b1", [MlpHidden], B1));
        graph.Initializer.Add(OnnxGraph.FloatTensor("W2", [MlpHidden, 1], W2));
        graph.Initializer.Add(OnnxGraph.FloatTensor("b2", [1], [B2]));
        graph.Initializer.Add(OnnxGraph.FloatTensor("one", [1], [1f]));
        graph.Node.Add(OnnxGraph.Node("MatMul", ["x", "W1"], ["h0"]));
        graph.Node.Add(OnnxGraph.Node("Add", ["h0", "b1"], ["h1"]));
        graph.Node.Add(OnnxGraph.Node("Relu", ["h1"], ["h2"]));
        graph.Node.Add(OnnxGraph.Node("MatMul", ["h2", "W2"], ["o0"]));
        graph.Node.Add(OnnxGraph.Node("Add", ["o0", "b2"], ["o1"]));
        graph.Node.Add(OnnxGraph.Node("Sigmoid", ["o1"], ["p"]));
        graph.Node.Add(OnnxGraph.Node("Sub", ["one", "p"], ["q"]));
        graph.Node.Add(OnnxGraph.Node("Concat", ["q", "p"], ["probabilities"], "", OnnxGraph.IntAttribute("axis", 1)));
        graph.Input.Add(OnnxGraph.FloatRows("x", MlpFeatures));
        if (exposeRawProbability)
        {
            graph.Output.Add(OnnxGraph.TensorValue("p", TensorProto.Types.DataType.Float, null, 1));
        }

        graph.Output.Add(OnnxGraph.TensorValue("probabilities", TensorProto.Types.DataType.Float, null, 2));
        return OnnxGraph.Model(graph, ("", 17)).ToByteArray();
    }

    /// <summary>
    /// A classifier as converters emit it with ZipMap: outputs int64 labels [N] and seq(map(int64, float)),
    /// neither of which holds a probability tensor.
    /// </summary>
    public static byte[] ZipMapOnlyModel()
    {
        var model = TreeEnsembleClassifierModel.Build(Trees, TreeFeatures, TreeBaseMargin);
        var graph = model.Graph;
        graph.Node.Add(OnnxGraph.Node(
            "ZipMap",
            [TreeEnsembleClassifierModel.ProbabilitiesName],
            ["output_probability"],
            OnnxGraph.MlDomain,
            OnnxGraph.IntsAttribute("classlabels_int64s", [0, 1])));
        graph.Output.RemoveAt(1);
        var mapType = new TypeProto
        {
            MapType = new TypeProto.Types.Map
            {
                KeyType = (int)TensorProto.Types.DataType.Int64,
                ValueType = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
            },
        };
        graph.Output.Add(new ValueInfoProto
        {
            Name = "output_probability",
            Type = new TypeProto { SequenceType = new TypeProto.Types.Sequence { ElemType = mapType } },
        });
        return model.ToByteArray();
    }

    /// <summary>Deterministic rows in [-2, 3), with some NaN to exercise missing-value routing.</summary>
    public static float[] Rows(int rowCount, int featureCount, int seed, bool withMissing = false)
    {
        var random = new Random(seed);
        var rows = new float[rowCount * featureCount];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = withMissing && random.Next(7) == 0 ? float.NaN : (float)((random.NextDouble() * 5) - 2);
        }

        return rows;
    }
}
