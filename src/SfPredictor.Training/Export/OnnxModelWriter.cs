using SfPredictor.Scoring.Calibration;
using SfPredictor.Scoring.Onnx;
using SfPredictor.Scoring.Packaging;
using SfPredictor.Training.Boosting;

namespace SfPredictor.Training.Export;

/// <summary>
/// Writes a tree ensemble plus its calibration as one ONNX graph:
/// features [N,F] → TreeEnsembleRegressor (raw log-odds) → calibration → p;
/// output "probabilities" [N,2] = [1 − p, p] (column 1 = won). Platt calibration is × A + B → Sigmoid;
/// isotonic calibration is a piecewise-linear lookup of the margin among its knots.
/// </summary>
internal static class OnnxModelWriter
{
    public const string InputName = ModelPackage.InputName;
    public const string OutputName = "probabilities";

    // ai.onnx.ml 3 is the last version in which TreeEnsembleRegressor is current; every ONNX Runtime
    // since 1.10 runs it. Opset 13 covers Mul/Add/Sigmoid/Sub/Concat in their present form.
    private const long DefaultOpset = 13;
    private const long MlOpset = 3;

    public static ModelProto Build(TreeEnsemble ensemble, PlattCalibration calibration, IReadOnlyDictionary<string, string> metadata) =>
        Build(ensemble, ModelCalibration.FromPlatt(calibration), metadata);

    public static ModelProto Build(TreeEnsemble ensemble, ModelCalibration calibration, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        ArgumentNullException.ThrowIfNull(calibration);
        ArgumentNullException.ThrowIfNull(metadata);

        var graph = new GraphProto { Name = "win_probability" };
        graph.Input.Add(OnnxGraph.FloatRows(InputName, ensemble.FeatureCount));
        graph.Output.Add(OnnxGraph.TensorValue(OutputName, TensorProto.Types.DataType.Float, null, 2));
        graph.Initializer.Add(OnnxGraph.FloatTensor("one", [1], [1f]));
        graph.Node.Add(TreeNode(ensemble));
        if (calibration.Method == ModelCalibration.IsotonicMethod && calibration.Isotonic is { } isotonic)
        {
            Isotonic(graph, isotonic);
        }
        else
        {
            graph.Initializer.Add(OnnxGraph.FloatTensor("platt_a", [1], [(float)calibration.A]));
            graph.Initializer.Add(OnnxGraph.FloatTensor("platt_b", [1], [(float)calibration.B]));
            graph.Node.Add(OnnxGraph.Node("Mul", ["margin", "platt_a"], ["scaled_margin"]));
            graph.Node.Add(OnnxGraph.Node("Add", ["scaled_margin", "platt_b"], ["calibrated_margin"]));
            graph.Node.Add(OnnxGraph.Node("Sigmoid", ["calibrated_margin"], ["p_won"]));
        }

        graph.Node.Add(OnnxGraph.Node("Sub", ["one", "p_won"], ["p_lost"]));
        graph.Node.Add(OnnxGraph.Node("Concat", ["p_lost", "p_won"], [OutputName], "", OnnxGraph.IntAttribute("axis", 1)));

        var model = OnnxGraph.Model(graph, ("", DefaultOpset), (OnnxGraph.MlDomain, MlOpset));
        foreach (var (key, value) in metadata)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    // p = y[i] + (m − x[i]) / (x[i+1] − x[i]) · (y[i+1] − y[i]), with m the margin clipped to the knots
    // and i the number of knots above the first that m reaches, at most K − 2: the same single-precision
    // steps as IsotonicCalibration.Apply, so the parity check holds.
    private static void Isotonic(GraphProto graph, IsotonicCalibration isotonic)
    {
        var x = isotonic.Margins.ToArray();
        var y = isotonic.Probabilities.ToArray();
        graph.Initializer.Add(OnnxGraph.FloatTensor("iso_low", [], [x[0]]));
        graph.Initializer.Add(OnnxGraph.FloatTensor("iso_high", [], [x[^1]]));
        graph.Node.Add(OnnxGraph.Node("Clip", ["margin", "iso_low", "iso_high"], ["clipped_margin"]));
        if (x.Length == 1)
        {
            graph.Initializer.Add(OnnxGraph.FloatTensor("zero", [1], [0f]));
            graph.Initializer.Add(OnnxGraph.FloatTensor("iso_only", [1], [y[0]]));
            graph.Node.Add(OnnxGraph.Node("Mul", ["clipped_margin", "zero"], ["zero_margin"]));
            graph.Node.Add(OnnxGraph.Node("Add", ["zero_margin", "iso_only"], ["p_won"]));
            return;
        }

        graph.Initializer.Add(OnnxGraph.FloatTensor("iso_x", [x.Length], x));
        graph.Initializer.Add(OnnxGraph.FloatTensor("iso_y", [y.Length], y));
        graph.Initializer.Add(OnnxGraph.FloatTensor("iso_upper", [x.Length - 1], x.AsSpan(1)));
        graph.Initializer.Add(OnnxGraph.Int64Tensor("iso_axes", [1], [1L]));
        graph.Initializer.Add(OnnxGraph.Int64Tensor("iso_last", [1], [x.Length - 2L]));
        graph.Initializer.Add(OnnxGraph.Int64Tensor("iso_one", [1], [1L]));
        graph.Node.Add(OnnxGraph.Node("GreaterOrEqual", ["clipped_margin", "iso_upper"], ["iso_reached"]));
        graph.Node.Add(OnnxGraph.Node("Cast", ["iso_reached"], ["iso_reached_count"], "", OnnxGraph.IntAttribute("to", (long)TensorProto.Types.DataType.Int64)));
        graph.Node.Add(OnnxGraph.Node("ReduceSum", ["iso_reached_count", "iso_axes"], ["iso_reached_sum"], "", OnnxGraph.IntAttribute("keepdims", 1)));
        graph.Node.Add(OnnxGraph.Node("Min", ["iso_reached_sum", "iso_last"], ["iso_segment"]));
        graph.Node.Add(OnnxGraph.Node("Add", ["iso_segment", "iso_one"], ["iso_segment_end"]));
        graph.Node.Add(OnnxGraph.Node("Gather", ["iso_x", "iso_segment"], ["iso_x0"]));
        graph.Node.Add(OnnxGraph.Node("Gather", ["iso_x", "iso_segment_end"], ["iso_x1"]));
        graph.Node.Add(OnnxGraph.Node("Gather", ["iso_y", "iso_segment"], ["iso_y0"]));
        graph.Node.Add(OnnxGraph.Node("Gather", ["iso_y", "iso_segment_end"], ["iso_y1"]));
        graph.Node.Add(OnnxGraph.Node("Sub", ["clipped_margin", "iso_x0"], ["iso_dm"]));
        graph.Node.Add(OnnxGraph.Node("Sub", ["iso_x1", "iso_x0"], ["iso_dx"]));
        graph.Node.Add(OnnxGraph.Node("Div", ["iso_dm", "iso_dx"], ["iso_t"]));
        graph.Node.Add(OnnxGraph.Node("Sub", ["iso_y1", "iso_y0"], ["iso_dy"]));
        graph.Node.Add(OnnxGraph.Node("Mul", ["iso_t", "iso_dy"], ["iso_step"]));
        graph.Node.Add(OnnxGraph.Node("Add", ["iso_y0", "iso_step"], ["p_won"]));
    }

    private static NodeProto TreeNode(TreeEnsemble ensemble)
    {
        var treeIds = new List<long>();
        var nodeIds = new List<long>();
        var featureIds = new List<long>();
        var modes = new List<string>();
        var values = new List<float>();
        var trueIds = new List<long>();
        var falseIds = new List<long>();
        var missingTracksTrue = new List<long>();
        var targetTreeIds = new List<long>();
        var targetNodeIds = new List<long>();
        var targetWeights = new List<float>();

        for (var t = 0; t < ensemble.Trees.Count; t++)
        {
            var tree = ensemble.Trees[t];
            for (var n = 0; n < tree.NodeCount; n++)
            {
                treeIds.Add(t);
                nodeIds.Add(n);
                if (tree.IsLeaf(n))
                {
                    featureIds.Add(0);
                    modes.Add("LEAF");
                    values.Add(0);
                    trueIds.Add(0);
                    falseIds.Add(0);
                    missingTracksTrue.Add(0);
                    targetTreeIds.Add(t);
                    targetNodeIds.Add(n);
                    targetWeights.Add(tree.Values[n]);
                }
                else
                {
                    // XGBoost sends x < threshold left and NaN to its default side, which is BRANCH_LT
                    // with the "true" branch on the left.
                    featureIds.Add(tree.Feature[n]);
                    modes.Add("BRANCH_LT");
                    values.Add(tree.Values[n]);
                    trueIds.Add(tree.Left[n]);
                    falseIds.Add(tree.Right[n]);
                    missingTracksTrue.Add(tree.DefaultLeft[n] ? 1 : 0);
                }
            }
        }

        return OnnxGraph.Node(
            "TreeEnsembleRegressor",
            [InputName],
            ["margin"],
            OnnxGraph.MlDomain,
            OnnxGraph.IntAttribute("n_targets", 1),
            OnnxGraph.StringAttribute("aggregate_function", "SUM"),
            OnnxGraph.StringAttribute("post_transform", "NONE"),
            OnnxGraph.FloatsAttribute("base_values", [ensemble.BaseMargin]),
            OnnxGraph.IntsAttribute("nodes_treeids", treeIds),
            OnnxGraph.IntsAttribute("nodes_nodeids", nodeIds),
            OnnxGraph.IntsAttribute("nodes_featureids", featureIds),
            OnnxGraph.StringsAttribute("nodes_modes", modes),
            OnnxGraph.FloatsAttribute("nodes_values", values),
            OnnxGraph.IntsAttribute("nodes_truenodeids", trueIds),
            OnnxGraph.IntsAttribute("nodes_falsenodeids", falseIds),
            OnnxGraph.IntsAttribute("nodes_missing_value_tracks_true", missingTracksTrue),
            OnnxGraph.IntsAttribute("target_treeids", targetTreeIds),
            OnnxGraph.IntsAttribute("target_nodeids", targetNodeIds),
            OnnxGraph.IntsAttribute("target_ids", targetTreeIds.Select(_ => 0L)),
            OnnxGraph.FloatsAttribute("target_weights", targetWeights));
    }
}
