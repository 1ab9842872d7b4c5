using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using SfPredictor.Features;
using SfPredictor.Features.Training;
using SfPredictor.Scoring.Effects;

namespace SfPredictor.Training.Effects;

/// <summary>Fits <see cref="StageKindEffects"/> on a model's training rows.</summary>
internal static class StageKindEffectsFitter
{
    /// <summary>L2 regularisation of the regression.</summary>
    public const double L2Regularization = 1;

    /// <summary>
    /// Fits the regression on <paramref name="rows"/> (closed deals' snapshots, labelled won or lost),
    /// or returns <see langword="null"/> when there is nothing to fit: no activity kinds, no open stages,
    /// or only one outcome among the rows.
    /// </summary>
    /// <remarks>
    /// The inputs per row: the stage at the snapshot (one column per open stage but the first), per open
    /// stage <c>ln(1 + n)</c> of the activities of any kind done in it, and per open stage and kind
    /// <c>ln(1 + n)</c> of that kind. The any-kind column takes what goes with doing more of anything in a
    /// stage (a deal that stays long, a rep who logs much), so that a kind's weight is what it does beyond
    /// that. The trees' log-odds were tried as a further input and made the ranking worse across the
    /// generated worlds (README, "Ranking the kinds by stage × kind effects"): fitted on the rows the trees
    /// learned from, they explain the outcome almost alone and leave the stage × kind weights to noise.
    /// </remarks>
    public static StageKindEffects? Fit(FeatureBuilder builder, TrainingSet rows, int seed, CancellationToken cancellationToken)
    {
        var kinds = builder.Schema.ActivityKinds.Count;
        var stages = builder.Index.Stages.Stages;
        int[] open = [.. Enumerable.Range(0, stages.Count).Where(s => !stages[s].IsClosed)];
        var won = rows.WonCount;
        if (kinds == 0 || open.Length == 0 || won == 0 || won == rows.Count)
        {
            return null;
        }

        var counts = new float[stages.Count * kinds];
        var openIndex = new int[stages.Count];
        Array.Fill(openIndex, -1);
        for (var s = 0; s < open.Length; s++)
        {
            openIndex[open[s]] = s;
        }

        // [stage at the snapshot: open stages 1..S-1][any kind per open stage][kind per open stage]
        var anyStart = open.Length - 1;
        var kindStart = anyStart + open.Length;
        var width = kindStart + (open.Length * kinds);
        var data = new List<InputRow>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var current = builder.CountActivitiesByStage(builder.Index.IndexOf(rows.OpportunityIds[i]), rows.SnapshotTimes[i], counts);
            var features = new float[width];
            if (current >= 0 && openIndex[current] > 0)
            {
                features[openIndex[current] - 1] = 1;
            }

            for (var s = 0; s < open.Length; s++)
            {
                float any = 0;
                for (var k = 0; k < kinds; k++)
                {
                    var n = counts[(open[s] * kinds) + k];
                    any += n;
                    features[kindStart + (s * kinds) + k] = (float)StageKindEffects.Term(n);
                }

                features[anyStart + s] = (float)StageKindEffects.Term(any);
            }

            data.Add(new InputRow { Features = features, Label = rows.Labels[i] > 0.5f, Weight = rows.Weights[i] });
        }

        cancellationToken.ThrowIfCancellationRequested();
        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(InputRow));
        schema[nameof(InputRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        var view = ml.Data.LoadFromEnumerable(data, schema);
        var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            L2Regularization = (float)L2Regularization,
            L1Regularization = 0,
            ExampleWeightColumnName = nameof(InputRow.Weight),
            NumberOfThreads = 1,
        });
        var model = trainer.Fit(view).Model.SubModel;
        var weights = model.Weights.ToArray();
        return new StageKindEffects
        {
            FeatureHash = builder.Schema.Hash,
            ActivityKinds = builder.Schema.ActivityKinds,
            Stages = [.. open.Select((stage, s) => new StageKindWeights(
                stages[stage].Name,
                [.. Enumerable.Range(0, kinds).Select(k => (double)weights[kindStart + (s * kinds) + k])],
                weights[anyStart + s]))],
            Intercept = model.Bias,
            L2Regularization = L2Regularization,
            Rows = rows.Count,
        };
    }

    private sealed class InputRow
    {
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }

        public float Weight { get; set; }
    }
}
