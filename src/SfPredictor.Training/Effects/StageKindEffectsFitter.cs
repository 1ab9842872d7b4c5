using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using SfPredictor.Features;
using SfPredictor.Features.Indexing;
using SfPredictor.Features.Schema;
using SfPredictor.Features.Training;
using SfPredictor.Scoring.Effects;

namespace SfPredictor.Training.Effects;

/// <summary>Fits <see cref="StageKindEffects"/> on a model's training deals.</summary>
internal static class StageKindEffectsFitter
{
    /// <summary>
    /// L2 regularisation of the regression. With the controls it has dozens of columns for the few thousand
    /// rows of a small org; measured across the generated worlds at 2,000 and 20,000 Opportunities (README,
    /// "Effects per stage gate"), 50 ranks the kinds about as well as 20 and better than 1, 5 or
    /// 150, and keeps a small org's promised uplifts closer to the truth than 20.
    /// </summary>
    public const double L2Regularization = 50;

    /// <summary>
    /// Fits the regression on the closed deals of <paramref name="rows"/> the way <paramref name="method"/>
    /// (<see cref="TrainingOptions.ActivityEffects"/>) says, or returns <see langword="null"/> when there is
    /// nothing to fit: no activity kinds, no open stages, or only one outcome.
    /// </summary>
    /// <param name="builder">The features of the org.</param>
    /// <param name="rows">The training deals (their snapshots, for the fit on snapshots).</param>
    /// <param name="method">One of the <see cref="TrainingOptions.ActivityEffects"/> values.</param>
    /// <param name="seed">The regression's seed.</param>
    /// <param name="pointInTime">
    /// When the model is trained: per stage gate, every stage any deal had left by then counts. Null fits on
    /// the deals of <paramref name="rows"/> alone.
    /// </param>
    /// <param name="loggedShare">The share of done activities the org logs (<see cref="TrainingOptions.ActivityLoggedShare"/>).</param>
    /// <param name="cancellationToken">Stops the fit.</param>
    /// <remarks>
    /// The inputs per row: the stage (one column per open stage but the first), per open stage
    /// <c>ln(1 + n)</c> of the activities of any kind done in it, per open stage and kind <c>ln(1 + n)</c>
    /// of that kind, and the deal's traits as controls (see <see cref="Design"/>). The any-kind column takes what goes with doing more of anything in a
    /// stage (a deal that stays long, a rep who logs much), so that a kind's weight is what it does beyond
    /// that. The trees' log-odds were tried as a further input and made the ranking worse across the
    /// generated worlds (README, "Ranking the kinds by stage × kind effects"): fitted on the rows the trees
    /// learned from, they explain the outcome almost alone and leave the stage × kind weights to noise.
    /// </remarks>
    public static StageKindEffects? Fit(FeatureBuilder builder, TrainingSet rows, string method, int seed, DateTimeOffset? pointInTime, double loggedShare, CancellationToken cancellationToken)
    {
        if (method == TrainingOptions.BlendedEffects)
        {
            // Two estimates of the same effects with different faults: per gate, a kind's weight is read
            // from fewer rows; on snapshots, it also carries what later activities and gates bring. Their
            // mean ranks the kinds a little better than either across the generated worlds, but promises
            // more than the activities deliver in more of them (README).
            var perGate = Fit(builder, rows, TrainingOptions.StageGateEffects, seed, pointInTime, loggedShare, cancellationToken);
            var onSnapshots = Fit(builder, rows, TrainingOptions.SnapshotEffects, seed, pointInTime, loggedShare, cancellationToken);
            return perGate is null || onSnapshots is null ? perGate ?? onSnapshots : Mean(perGate, onSnapshots);
        }

        var kinds = builder.Schema.ActivityKinds.Count;
        var stages = builder.Index.Stages.Stages;
        int[] open = [.. Enumerable.Range(0, stages.Count).Where(s => !stages[s].IsClosed)];
        if (kinds == 0 || open.Length == 0)
        {
            return null;
        }

        var gates = method == TrainingOptions.StageGateEffects;
        var design = new Design(builder, open);
        var data = gates ? GateRows(builder, rows, design, pointInTime) : SnapshotRows(builder, rows, design);
        var loggedCounts = design.WriteCountColumns(data, loggedShare);
        design.Standardise(data);
        var passed = data.Count(r => r.Label);
        if (passed == 0 || passed == data.Count)
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(InputRow));
        schema[nameof(InputRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, design.Width);
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
                [.. Enumerable.Range(0, kinds).Select(k => (double)weights[design.KindColumn(s, k)])],
                weights[design.AnyColumn(s)])
            {
                PassRate = gates ? PassRate(data, design, s) : null,
                LoggedCounts = loggedCounts?[s],
            })],
            Intercept = model.Bias,
            LoggedShare = loggedShare,
            L2Regularization = L2Regularization,
            Rows = data.Count,
        };
    }

    // The mean of two fits' weights, with the first one's pass rates.
    private static StageKindEffects Mean(StageKindEffects first, StageKindEffects second) => first with
    {
        Stages = [.. first.Stages.Zip(second.Stages, (a, b) => a with
        {
            Weights = [.. a.Weights.Zip(b.Weights, (x, y) => (x + y) / 2)],
            AnyKindWeight = (a.AnyKindWeight + b.AnyKindWeight) / 2,
        })],
        Intercept = (first.Intercept + second.Intercept) / 2,
        Rows = first.Rows + second.Rows,
    };

    // Snapshots of closed deals labelled with the outcome, as the trees learn from them.
    private static List<InputRow> SnapshotRows(FeatureBuilder builder, TrainingSet rows, Design design)
    {
        var data = new List<InputRow>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            // The snapshot's feature row is already built: the controls are read from it.
            var row = design.Row(builder.Index.IndexOf(rows.OpportunityIds[i]), rows.SnapshotTimes[i], rows.Row(i));
            data.Add(new InputRow { Features = row.Features, Counts = row.Counts, Stage = row.Stage, Label = rows.Labels[i] > 0.5f, Weight = rows.Weights[i] });
        }

        return data;
    }

    // One row per stage a deal left: what was done by then, labelled with whether it moved on. Each stage
    // is a gate the deal passes or is lost at, and what is done in a stage counts at every later gate, so a
    // kind's weight is its effect on passing a gate, apart from how many gates remain. With a point in time,
    // every gate any deal left before it counts, whether the deal is closed now (in the trees' training or
    // test deals) or still open: a gate's outcome is known once a deal leaves the stage, and taking only
    // the trees' training deals would leave out the most recent exits, and taking the open deals besides
    // would count their recent passes but not the recent losses. Across the generated worlds at 2,000
    // Opportunities this raised precision@3 from 0.697 to 0.752 and top-1 from 0.552 to 0.629 (README,
    // "Effects per stage gate").
    private static List<InputRow> GateRows(FeatureBuilder builder, TrainingSet rows, Design design, DateTimeOffset? pointInTime)
    {
        var data = new List<InputRow>();
        var exits = new List<StageExit>();
        var index = builder.Index;
        var featureRow = new float[builder.Width];
        var until = pointInTime ?? DateTimeOffset.MaxValue;
        var deals = pointInTime is null
            ? rows.OpportunityIds.Distinct(StringComparer.Ordinal).Select(index.IndexOf)
            : Enumerable.Range(0, index.Count);

        foreach (var i in deals)
        {
            index.StageExits(i, exits);
            foreach (var exit in exits.Where(e => e.Time < until))
            {
                // Just before it left: the move itself is the outcome.
                var asOf = exit.Time.AddTicks(-1);
                builder.Build(i, asOf, featureRow);
                var row = design.Row(i, asOf, featureRow);
                if (row.Stage == exit.Stage)
                {
                    data.Add(new InputRow { Features = row.Features, Counts = row.Counts, Stage = row.Stage, Label = exit.Passed, Weight = 1 });
                }
            }
        }

        return data;
    }

    // The share of the gate rows at open stage s that passed, within [0.01, 0.99].
    private static double PassRate(List<InputRow> data, Design design, int s)
    {
        var stage = design.Open[s];
        double passed = 0, all = 0;
        foreach (var row in data.Where(r => r.Stage == stage))
        {
            all += row.Weight;
            passed += row.Label ? row.Weight : 0;
        }

        return all == 0 ? 0.99 : Math.Clamp(passed / all, 0.01, 0.99);
    }

    // [stage: open stages 1..S-1][any kind per open stage][kind per open stage][controls]
    // The controls are what the deal is, known before any activity: its size, its account, the account's
    // and the owner's track record, its categories. They take what goes with winning and with doing more
    // of a kind (a large deal gets more executive meetings, a skilled rep logs more), so that a kind's
    // weight is less what the deals that get it are like.
    private sealed class Design(FeatureBuilder builder, int[] open)
    {
        private readonly int _kinds = builder.Schema.ActivityKinds.Count;
        private readonly int[] _openIndex = OpenIndex(builder.Index.Stages.Stages.Count, open);
        private readonly float[] _counts = new float[builder.Index.Stages.Stages.Count * builder.Schema.ActivityKinds.Count];
        private readonly int[] _controls = [.. builder.Schema.Features
            .Select((f, c) => (f, c))
            .Where(x => x.f.Name == "log_amount" || x.f.Group is FeatureGroup.Account or FeatureGroup.History or FeatureGroup.Category or FeatureGroup.Extra)
            .Select(x => x.c)];

        public int[] Open { get; } = open;

        private int ControlStart => (2 * Open.Length) - 1 + (Open.Length * _kinds);

        public int Width => ControlStart + _controls.Length;

        // Controls to mean 0 and standard deviation 1, a missing value at the mean, so that one L2 penalty
        // suits them all.
        public void Standardise(List<InputRow> data)
        {
            for (var c = ControlStart; c < Width; c++)
            {
                var values = data.Select(r => (double)r.Features[c]).Where(double.IsFinite).ToList();
                var mean = values.Count > 0 ? values.Average() : 0;
                var sd = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
                foreach (var row in data)
                {
                    var v = row.Features[c];
                    row.Features[c] = float.IsFinite(v) && sd > 0 ? (float)((v - mean) / sd) : 0;
                }
            }
        }

        // Writes each row's count columns from its counts: ln(1 + n) when every activity is logged; otherwise
        // the expected ln(1 + done) given n logged (CountTerm), from how the logged counts of each kind (and
        // of any kind) in each stage spread over the rows of deals that reached it, which it returns.
        public LoggedCounts[][]? WriteCountColumns(List<InputRow> data, double loggedShare)
        {
            LoggedCounts[][]? spread = null;
            var terms = new CountTerm[Open.Length][];
            for (var s = 0; s < Open.Length; s++)
            {
                terms[s] = new CountTerm[_kinds + 1];
                Array.Fill(terms[s], CountTerm.Plain);
            }

            if (loggedShare < 1)
            {
                spread = new LoggedCounts[Open.Length][];
                for (var s = 0; s < Open.Length; s++)
                {
                    var reached = data.Where(r => r.Stage >= Open[s]).ToList();
                    spread[s] = [.. Enumerable.Range(0, _kinds + 1).Select(k => LoggedCounts.Of([.. reached.Select(r => Count(r, s, k))]))];
                    terms[s] = [.. spread[s].Select(c => new CountTerm(loggedShare, c))];
                }
            }

            foreach (var row in data)
            {
                for (var s = 0; s < Open.Length; s++)
                {
                    for (var k = 0; k < _kinds; k++)
                    {
                        row.Features[KindColumn(s, k)] = (float)terms[s][k].Term(Count(row, s, k));
                    }

                    row.Features[AnyColumn(s)] = (float)terms[s][_kinds].Term(Count(row, s, _kinds));
                }
            }

            return spread;
        }

        // Kind k's count in open stage s, or (k = kinds) any kind's.
        private double Count(InputRow row, int s, int k)
        {
            if (k < _kinds)
            {
                return row.Counts[(s * _kinds) + k];
            }

            double any = 0;
            for (var j = 0; j < _kinds; j++)
            {
                any += row.Counts[(s * _kinds) + j];
            }

            return any;
        }

        public int AnyColumn(int s) => Open.Length - 1 + s;

        public int KindColumn(int s, int k) => (2 * Open.Length) - 1 + (s * _kinds) + k;

        // The regression's row as of asOf, but for the count columns (WriteCountColumns), and the counts per open
        // stage and kind; featureRow is the deal's feature row as of then. Reuses one buffer of counts: a
        // design serves one fit at a time.
        public (float[] Features, float[] Counts, int Stage) Row(int opportunity, DateTimeOffset asOf, ReadOnlySpan<float> featureRow)
        {
            var current = builder.CountActivitiesByStage(opportunity, asOf, _counts);
            var features = new float[Width];
            for (var c = 0; c < _controls.Length; c++)
            {
                features[ControlStart + c] = featureRow[_controls[c]];
            }

            if (current >= 0 && _openIndex[current] > 0)
            {
                features[_openIndex[current] - 1] = 1;
            }

            var counts = new float[Open.Length * _kinds];
            for (var s = 0; s < Open.Length; s++)
            {
                _counts.AsSpan(Open[s] * _kinds, _kinds).CopyTo(counts.AsSpan(s * _kinds));
            }

            return (features, counts, current);
        }

        private static int[] OpenIndex(int stages, int[] open)
        {
            var index = new int[stages];
            Array.Fill(index, -1);
            for (var s = 0; s < open.Length; s++)
            {
                index[open[s]] = s;
            }

            return index;
        }
    }

    private sealed class InputRow
    {
        public float[] Features { get; set; } = [];

        [NoColumn]
        public int Stage { get; set; }

        public bool Label { get; set; }

        public float Weight { get; set; }

        // Per open stage and kind, the activities logged in it by then.
        [NoColumn]
        public float[] Counts { get; set; } = [];
    }
}
