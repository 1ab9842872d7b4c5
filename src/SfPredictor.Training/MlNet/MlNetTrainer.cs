using System.Reflection;
using Google.Protobuf;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using SfPredictor.Features.Training;
using SfPredictor.Scoring.Onnx;
using SfPredictor.Training.Boosting;
using SfPredictor.Training.Evaluation;
using RegressionTree = SfPredictor.Training.Boosting.RegressionTree;
using TreeEnsemble = SfPredictor.Training.Boosting.TreeEnsemble;

namespace SfPredictor.Training.MlNet;

/// <summary>Trees trained by ML.NET (which stopped boosting on the stopping deals), read back from its ONNX export.</summary>
/// <param name="Ensemble">The trees, in the layout the exporter writes.</param>
/// <param name="Version">The ML.NET version that trained them.</param>
/// <param name="TreesTrained">Trees kept.</param>
internal sealed record MlNetTrees(TreeEnsemble Ensemble, string Version, int TreesTrained);

/// <summary>
/// Trains ML.NET's LightGBM or FastTree binary classifier on the tree-learning deals and turns it into
/// the same <see cref="TreeEnsemble"/> XGBoost's trees become, so export, calibration, the parity check,
/// scoring and tree-path explanations are shared. ML.NET's own ONNX converter writes the trees; this class
/// takes its TreeEnsembleRegressor node (the raw score, before ML.NET's calibrator) and leaves the rest.
/// Neither trainer has monotone constraints.
/// </summary>
internal static class MlNetTrainer
{
    public static MlNetTrees Train(
        string trainer,
        TrainingSet train,
        TrainingSet stopping,
        TrainingOptions options,
        IProgress<TrainingProgress>? progress,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var ml = new MLContext(options.Seed);
        var width = train.Width;
        // FastTree bins a missing value below every other at training but sends it to the "greater" side
        // when scoring, so it would score with splits learned for another reading of NaN. Given as the
        // lowest float, missing values are read one way throughout, and the export sends NaN where that
        // lowest value goes: always to the "x ≤ t" side. LightGBM handles missing values itself.
        var missingAsLowest = trainer == TrainingOptions.FastTreeTrainer;
        var trainData = Load(ml, train, options.WeightOpportunitiesEqually, missingAsLowest);
        var stoppingData = Load(ml, stopping, options.WeightOpportunitiesEqually, missingAsLowest);
        progress?.Report(new TrainingProgress($"boosting ({trainer})", 0, 1));
        ITransformer model = trainer switch
        {
            TrainingOptions.LightGbmTrainer => ml.BinaryClassification.Trainers.LightGbm(LightGbm(options)).Fit(trainData, stoppingData),
            TrainingOptions.FastTreeTrainer => ml.BinaryClassification.Trainers.FastTree(FastTree(options)).Fit(trainData, stoppingData),
            _ => throw new ArgumentOutOfRangeException(nameof(trainer), trainer, "Not an ML.NET trainer."),
        };
        progress?.Report(new TrainingProgress($"boosting ({trainer})", 1, 1));
        cancellationToken.ThrowIfCancellationRequested();

        using var onnx = new MemoryStream();
        ml.Model.ConvertToOnnx(model, trainData, onnx);
        var ensemble = ReadTrees(ModelProto.Parser.ParseFrom(onnx.ToArray()), width, missingAsLowest);

        // The trees read back must give ML.NET's own scores, or the export would ship another model.
        var scores = ml.Data.CreateEnumerable<ScoreRow>(model.Transform(stoppingData), reuseRowObject: false).Select(r => r.Score).ToArray();
        for (var i = 0; i < stopping.Count; i++)
        {
            var margin = ensemble.Margin(stopping.Row(i));  // NaN kept: the export must read it as training did
            if (!(Math.Abs(margin - scores[i]) <= 1e-4 * Math.Max(1, Math.Abs(scores[i]))))
            {
                throw new ModelParityException(
                    $"The trees read from ML.NET's {trainer} export give {margin:R} for stopping row {i} (Opportunity {stopping.OpportunityIds[i]}) but ML.NET gives {scores[i]:R}. No model was written.");
            }
        }

        return new MlNetTrees(ensemble, Version, ensemble.Trees.Count);
    }

    /// <summary>The ML.NET version, e.g. "6.0.0".</summary>
    public static string Version { get; } =
        typeof(MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(MLContext).Assembly.GetName().Version?.ToString() ?? "unknown";

    private static LightGbmBinaryTrainer.Options LightGbm(TrainingOptions o) => new()
    {
        ExampleWeightColumnName = o.WeightOpportunitiesEqually ? nameof(InputRow.Weight) : null,
        NumberOfIterations = o.MaxRounds,
        EarlyStoppingRound = o.EarlyStoppingRounds,
        LearningRate = o.LearningRate,
        NumberOfLeaves = 1 << Math.Min(o.MaxDepth, 16),
        MinimumExampleCountPerLeaf = 20,
        UseCategoricalSplit = false,
        Seed = o.Seed,
        NumberOfThreads = o.Threads > 0 ? o.Threads : null,
        Verbose = false,
        Silent = true,
        Booster = new GradientBooster.Options
        {
            MaximumTreeDepth = o.MaxDepth,
            MinimumChildWeight = o.MinChildWeight,
            L2Regularization = o.L2Regularization,
            MinimumSplitGain = o.MinSplitLoss,
            SubsampleFraction = o.Subsample,
            SubsampleFrequency = o.Subsample < 1 ? 1 : 0,
            FeatureFraction = o.ColumnSample,
        },
    };

    private static FastTreeBinaryTrainer.Options FastTree(TrainingOptions o) => new()
    {
        ExampleWeightColumnName = o.WeightOpportunitiesEqually ? nameof(InputRow.Weight) : null,
        NumberOfTrees = o.MaxRounds,
        LearningRate = o.LearningRate,
        NumberOfLeaves = 1 << Math.Min(o.MaxDepth, 16),
        MinimumExampleCountPerLeaf = 20,
        FeatureFraction = o.ColumnSample,
        EarlyStoppingRule = new ConsecutiveGeneralityLossRule(Math.Min(o.EarlyStoppingRounds, 100)),
        Seed = o.Seed,
        NumberOfThreads = o.Threads > 0 ? o.Threads : null,
    };

    /// <summary>
    /// Reads the TreeEnsembleRegressor of ML.NET's export (its calibrator is left: ours replaces it). ML.NET writes BRANCH_LEQ (x ≤ t goes to the true child); for floats that
    /// is x &lt; the next float above t, which is the exporter's BRANCH_LT.
    /// </summary>
    internal static TreeEnsemble ReadTrees(ModelProto model, int width, bool missingAsLowest)
    {
        var graph = model.Graph;
        var node = graph.Node.SingleOrDefault(n => n.OpType == "TreeEnsembleRegressor")
            ?? throw new NotSupportedException("ML.NET's export has no TreeEnsembleRegressor node.");
        var attributes = node.Attribute.ToDictionary(a => a.Name, StringComparer.Ordinal);
        long[] Ints(string name) => attributes.TryGetValue(name, out var a) ? [.. a.Ints] : [];
        float[] Floats(string name) => attributes.TryGetValue(name, out var a) ? [.. a.Floats] : [];
        var treeIds = Ints("nodes_treeids");
        var nodeIds = Ints("nodes_nodeids");
        var features = Ints("nodes_featureids");
        var modes = attributes["nodes_modes"].Strings.Select(s => s.ToStringUtf8()).ToArray();
        var values = Floats("nodes_values");
        var trueIds = Ints("nodes_truenodeids");
        var falseIds = Ints("nodes_falsenodeids");
        var missingTrue = Ints("nodes_missing_value_tracks_true");
        var targetTrees = Ints("target_treeids");
        var targetNodes = Ints("target_nodeids");
        var weights = Floats("target_weights");
        var baseValues = Floats("base_values");
        if (Ints("target_ids").Any(id => id != 0) || attributes.TryGetValue("aggregate_function", out var aggregate) && aggregate.S.ToStringUtf8() != "SUM")
        {
            throw new NotSupportedException("ML.NET's export is not a single-target sum of trees.");
        }

        var leafValues = new Dictionary<(long Tree, long Node), float>();
        for (var i = 0; i < targetTrees.Length; i++)
        {
            leafValues[(targetTrees[i], targetNodes[i])] = leafValues.GetValueOrDefault((targetTrees[i], targetNodes[i])) + weights[i];
        }

        var trees = new List<RegressionTree>();
        foreach (var group in Enumerable.Range(0, treeIds.Length).GroupBy(i => treeIds[i]).OrderBy(g => g.Key))
        {
            var rows = group.OrderBy(i => nodeIds[i]).ToArray();
            var count = rows.Length;
            if (rows.Select((r, k) => nodeIds[r] != k).Any(differs => differs))
            {
                throw new NotSupportedException($"Tree {group.Key} of ML.NET's export does not number its nodes 0..{count - 1}.");
            }

            var left = new int[count];
            var right = new int[count];
            var feature = new int[count];
            var value = new float[count];
            var defaultLeft = new bool[count];
            for (var k = 0; k < count; k++)
            {
                var r = rows[k];
                switch (modes[r])
                {
                    case "LEAF":
                        (left[k], right[k]) = (-1, -1);
                        value[k] = leafValues.GetValueOrDefault((group.Key, k));
                        break;
                    case "BRANCH_LEQ":
                        (left[k], right[k], feature[k]) = ((int)trueIds[r], (int)falseIds[r], (int)features[r]);
                        value[k] = MathF.BitIncrement(values[r]);
                        defaultLeft[k] = missingAsLowest || (missingTrue.Length > 0 && missingTrue[r] != 0);
                        break;
                    case "BRANCH_LT":
                        (left[k], right[k], feature[k]) = ((int)trueIds[r], (int)falseIds[r], (int)features[r]);
                        value[k] = values[r];
                        defaultLeft[k] = missingTrue.Length > 0 && missingTrue[r] != 0;
                        break;
                    default:
                        throw new NotSupportedException($"ML.NET's export uses the split mode {modes[r]}, which the exporter does not write.");
                }
            }

            trees.Add(new RegressionTree(left, right, feature, value, defaultLeft, new float[count]));
        }

        return new TreeEnsemble(trees, baseValues.Length > 0 ? baseValues[0] : 0, width);
    }

    private static IDataView Load(MLContext ml, TrainingSet rows, bool weighted, bool missingAsLowest)
    {
        var width = rows.Width;
        var data = new List<InputRow>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var features = rows.Row(i).ToArray();
            if (missingAsLowest)
            {
                for (var j = 0; j < features.Length; j++)
                {
                    features[j] = float.IsNaN(features[j]) ? MissingValue : features[j];
                }
            }

            data.Add(new InputRow { Features = features, Label = rows.Labels[i] > 0.5f, Weight = weighted ? rows.Weights[i] : 1 });
        }

        var schema = SchemaDefinition.Create(typeof(InputRow));
        schema[nameof(InputRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return ml.Data.LoadFromEnumerable(data, schema);
    }

    // Below every feature value the builder writes (counts, days, amounts, positions, log-amounts).
    private const float MissingValue = -1e30f;

    private sealed class InputRow
    {
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }

        public float Weight { get; set; }
    }

    private sealed class ScoreRow
    {
        public float Score { get; set; }
    }
}
