using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SfPredictor.Scoring.Onnx;
using SfPredictor.Scoring.Trees;
using Ort = Microsoft.ML.OnnxRuntime;

namespace SfPredictor.Scoring;

/// <summary>
/// Scores float feature rows with an ONNX binary classifier through ONNX Runtime and returns the
/// probability of the positive class (an Opportunity being won).
/// </summary>
/// <remarks>
/// <para>Model contract, checked when the model is loaded:</para>
/// <list type="bullet">
/// <item>exactly one input: a float tensor of shape [N, F], N dynamic (or any), F fixed (<see cref="FeatureCount"/>);</item>
/// <item>at least one float tensor output of shape [N, 2] (column 1 is the positive, "won" class), [N, 1] or [N]
/// holding probabilities; when several qualify, the one named <c>probabilities</c> is used, otherwise the first.
/// Output shapes must be declared in the graph. A classifier whose only probabilities come as
/// <c>seq(map(int64, float))</c> (ZipMap) does not qualify: export it without ZipMap.</item>
/// </list>
/// <para>One instance holds one ONNX Runtime session and may be used from several threads at once. Dispose it once
/// no call is running any more (the worker's model leases see to that).</para>
/// </remarks>
public sealed class OnnxScorer : IDisposable
{
    /// <summary>The output name preferred when several outputs could hold the probabilities.</summary>
    public const string PreferredOutputName = "probabilities";

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions;
    private readonly ModelContract _contract;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly int _maxBatchRows;
    private readonly string _source;

    // Output tensors over managed buffers, reused from call to call: ONNX Runtime writes the probabilities
    // straight into them instead of allocating an output per run. One per concurrent caller.
    private readonly ConcurrentBag<RunBuffers> _buffers = [];
    private int _disposed;

    private OnnxScorer(InferenceSession session, ModelContract contract, int maxBatchRows, string source, OnnxTreeEnsemble? trees)
    {
        TreeEnsemble = trees;
        _session = session;
        _runOptions = new RunOptions();
        _contract = contract;
        _maxBatchRows = maxBatchRows;
        _source = source;
        _inputNames = [contract.InputName];
        _outputNames = [contract.OutputName];
        InputName = contract.InputName;
        ProbabilityOutputName = contract.OutputName;
        FeatureCount = contract.FeatureCount;
        RuntimeVersion = OrtEnv.Instance().GetVersionString();
    }

    /// <summary>F: the number of features per row the model expects.</summary>
    public int FeatureCount { get; }

    /// <summary>The name of the model's float [N, F] input.</summary>
    public string InputName { get; }

    /// <summary>The name of the output the win probabilities are read from.</summary>
    public string ProbabilityOutputName { get; }

    /// <summary>The version string of the loaded ONNX Runtime library, e.g. "1.32.0".</summary>
    public string RuntimeVersion { get; }

    /// <summary>
    /// The model's trees, read from its graph when it is one of the shapes <see cref="OnnxTreeEnsemble"/>
    /// recognises (every model the trainer exports is); <see langword="null"/> for any other model.
    /// </summary>
    public OnnxTreeEnsemble? TreeEnsemble { get; }

    /// <summary>Loads a model file.</summary>
    /// <param name="modelPath">Path of the .onnx file.</param>
    /// <param name="options">Session settings; defaults when <see langword="null"/>.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime cannot load the model (e.g. a corrupt file).</exception>
    /// <exception cref="InvalidDataException">The model does not meet the contract described on <see cref="OnnxScorer"/>.</exception>
    public static OnnxScorer Load(string modelPath, ScorerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        var fullPath = Path.GetFullPath(modelPath);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"ONNX model file '{fullPath}' does not exist.", fullPath);
        }

        return Create(
            $"'{fullPath}'",
            options ?? new ScorerOptions(),
            sessionOptions => new InferenceSession(fullPath, sessionOptions),
            () =>
            {
                using var file = File.OpenRead(fullPath);
                return ModelProto.Parser.ParseFrom(file);
            });
    }

    /// <summary>Loads a model from its serialized bytes.</summary>
    /// <param name="model">The ONNX model (a serialized ModelProto).</param>
    /// <param name="options">Session settings; defaults when <see langword="null"/>.</param>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime cannot load the model (e.g. corrupt bytes).</exception>
    /// <exception cref="InvalidDataException">The model does not meet the contract described on <see cref="OnnxScorer"/>.</exception>
    public static OnnxScorer Load(byte[] model, ScorerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Create(
            $"from {model.Length} bytes",
            options ?? new ScorerOptions(),
            sessionOptions => new InferenceSession(model, sessionOptions),
            () => ModelProto.Parser.ParseFrom(model));
    }

    /// <summary>
    /// Scores a batch: <paramref name="rows"/> holds n rows of <see cref="FeatureCount"/> floats each, row after
    /// row; <paramref name="winProbabilities"/> receives one probability per row. Large inputs run in chunks of
    /// <see cref="ScorerOptions.MaxBatchRows"/>, and <paramref name="cancellationToken"/> is checked before each.
    /// </summary>
    /// <param name="rows">Row-major features; its length must be a multiple of <see cref="FeatureCount"/>.</param>
    /// <param name="winProbabilities">Receives the probabilities; its length must be the number of rows.</param>
    /// <param name="cancellationToken">Stops between chunks.</param>
    /// <exception cref="ArgumentException">The input width or the output length does not fit.</exception>
    /// <exception cref="ObjectDisposedException">The scorer was disposed.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime failed to run the model.</exception>
    public void Score(ReadOnlySpan<float> rows, Span<float> winProbabilities, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (rows.Length % FeatureCount != 0)
        {
            throw new ArgumentException(
                $"The model {_source} expects rows of {FeatureCount} features (input '{InputName}'), " +
                $"but {rows.Length} values are not a whole number of such rows.",
                nameof(rows));
        }

        var rowCount = rows.Length / FeatureCount;
        if (winProbabilities.Length != rowCount)
        {
            throw new ArgumentException(
                $"{rowCount} rows were given but the output span holds {winProbabilities.Length} probabilities.",
                nameof(winProbabilities));
        }

        if (rowCount == 0)
        {
            return;
        }

        var buffers = _buffers.TryTake(out var reused) ? reused : new RunBuffers();
        try
        {
            for (var start = 0; start < rowCount; start += _maxBatchRows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = Math.Min(_maxBatchRows, rowCount - start);
                ScoreChunk(buffers, rows.Slice(start * FeatureCount, count * FeatureCount), winProbabilities.Slice(start, count));
            }
        }
        finally
        {
            // A scorer disposed meanwhile takes no buffers back: they would outlive it.
            if (Volatile.Read(ref _disposed) != 0)
            {
                buffers.Dispose();
            }
            else
            {
                _buffers.Add(buffers);
            }
        }
    }

    /// <summary>Releases the ONNX Runtime session and the output buffers.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _session.Dispose();
            _runOptions.Dispose();
            while (_buffers.TryTake(out var buffers))
            {
                buffers.Dispose();
            }
        }
    }

    private static OnnxScorer Create(string source, ScorerOptions options, Func<SessionOptions, InferenceSession> createSession, Func<ModelProto> readGraph)
    {
        options.Validate();
        InferenceSession session;
        using (var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            GraphOptimizationLevel = (Ort.GraphOptimizationLevel)(int)options.OptimizationLevel,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        })
        {
            try
            {
                session = createSession(sessionOptions);
            }
            catch (Ort.OnnxRuntimeException e)
            {
                throw OnnxRuntimeException.From(e, $"Could not load the ONNX model {source}.");
            }
        }

        try
        {
            var contract = ModelContract.Read(session, source);
            var trees = ReadTrees(readGraph, contract.OutputName);
            return new OnnxScorer(session, contract, options.MaxBatchRows, source, trees);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    // ONNX Runtime has already accepted the model, so a graph that cannot be read here only means that
    // what needs the trees (path explanations) falls back to methods that need scores alone.
    private static OnnxTreeEnsemble? ReadTrees(Func<ModelProto> readGraph, string probabilityOutput)
    {
        try
        {
            return OnnxTreeEnsemble.Read(readGraph(), probabilityOutput);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidProtocolBufferException or IOException)
        {
            return null;
        }
    }

    private unsafe void ScoreChunk(RunBuffers buffers, ReadOnlySpan<float> rows, Span<float> winProbabilities)
    {
        var rowCount = winProbabilities.Length;
        var probabilities = buffers.PrepareOutput(_contract, rowCount);
        fixed (float* data = rows)
        {
            // The input tensor reads the caller's rows where they are: no copy.
            using var input = OrtValue.CreateTensorValueWithData(
                OrtMemoryInfo.DefaultInstance, TensorElementType.Float, [rowCount, FeatureCount], (nint)data, (long)rows.Length * sizeof(float));
            buffers.Inputs[0] = input;
            try
            {
                _session.Run(_runOptions, _inputNames, buffers.Inputs, _outputNames, buffers.Outputs);
            }
            catch (Ort.OnnxRuntimeException e)
            {
                throw OnnxRuntimeException.From(e, $"Scoring {rowCount} rows with the model {_source} (output '{ProbabilityOutputName}') failed.");
            }
            finally
            {
                buffers.Inputs[0] = null!;
            }
        }

        // The positive class is the last column: column 1 of [N, 2], the only column of [N, 1] or [N].
        var columns = _contract.OutputColumns;
        for (var row = 0; row < rowCount; row++)
        {
            winProbabilities[row] = probabilities[(row * columns) + columns - 1];
        }
    }

    /// <summary>One caller's input slot and reusable output tensor; the output is rebuilt only when the row count changes.</summary>
    private sealed class RunBuffers : IDisposable
    {
        private float[] _output = [];
        private int _rows = -1;

        public OrtValue[] Inputs { get; } = new OrtValue[1];

        public OrtValue[] Outputs { get; } = new OrtValue[1];

        public ReadOnlySpan<float> PrepareOutput(ModelContract contract, int rows)
        {
            var length = rows * contract.OutputColumns;
            if (rows != _rows)
            {
                Dispose();
                if (_output.Length < length)
                {
                    _output = new float[length];
                }

                Outputs[0] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _output.AsMemory(0, length), contract.OutputShape(rows));
                _rows = rows;
            }

            return _output.AsSpan(0, length);
        }

        public void Dispose()
        {
            Outputs[0]?.Dispose();
            Outputs[0] = null!;
            _rows = -1;
        }
    }
}
