using System.Text;
using Google.Protobuf;
using SfPredictor.Scoring.Native;
using SfPredictor.Scoring.Onnx;
using SfPredictor.Scoring.Trees;

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
/// <para>One instance holds one ONNX Runtime session and may be used from several threads at once.</para>
/// </remarks>
public sealed class OnnxScorer : IDisposable
{
    /// <summary>The output name preferred when several outputs could hold the probabilities.</summary>
    public const string PreferredOutputName = "probabilities";

    private readonly OrtSessionHandle _session;
    private readonly OrtMemoryInfoHandle _memoryInfo;
    private readonly byte[] _inputNameUtf8;
    private readonly byte[] _outputNameUtf8;
    private readonly int _outputColumns;
    private readonly int _maxBatchRows;
    private readonly string _source;
    private int _disposed;

    private OnnxScorer(OrtSessionHandle session, OrtMemoryInfoHandle memoryInfo, ModelContract contract, int maxBatchRows, string source, string runtimeVersion, OnnxTreeEnsemble? trees)
    {
        TreeEnsemble = trees;
        _session = session;
        _memoryInfo = memoryInfo;
        _maxBatchRows = maxBatchRows;
        _source = source;
        _outputColumns = contract.OutputColumns;
        _inputNameUtf8 = Encoding.UTF8.GetBytes(contract.InputName + "\0");
        _outputNameUtf8 = Encoding.UTF8.GetBytes(contract.OutputName + "\0");
        InputName = contract.InputName;
        ProbabilityOutputName = contract.OutputName;
        FeatureCount = contract.FeatureCount;
        RuntimeVersion = runtimeVersion;
    }

    /// <summary>F: the number of features per row the model expects.</summary>
    public int FeatureCount { get; }

    /// <summary>The name of the model's float [N, F] input.</summary>
    public string InputName { get; }

    /// <summary>The name of the output the win probabilities are read from.</summary>
    public string ProbabilityOutputName { get; }

    /// <summary>The version string of the loaded ONNX Runtime library, e.g. "1.30.0".</summary>
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
    /// <exception cref="DllNotFoundException">The ONNX Runtime library was not found; the message lists where it looked.</exception>
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
            (env, sessionOptions) => OrtSessionHandle.CreateFromFile(env, fullPath, sessionOptions),
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
    /// <exception cref="DllNotFoundException">The ONNX Runtime library was not found; the message lists where it looked.</exception>
    public static OnnxScorer Load(byte[] model, ScorerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Create(
            $"from {model.Length} bytes",
            options ?? new ScorerOptions(),
            (env, sessionOptions) => OrtSessionHandle.CreateFromBytes(env, model, sessionOptions),
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

        for (var start = 0; start < rowCount; start += _maxBatchRows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(_maxBatchRows, rowCount - start);
            ScoreChunk(rows.Slice(start * FeatureCount, count * FeatureCount), winProbabilities.Slice(start, count));
        }
    }

    /// <summary>Releases the ONNX Runtime session. Runs in progress on other threads finish first.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _session.Dispose();
            _memoryInfo.Dispose();
        }
    }

    private static OnnxScorer Create(string source, ScorerOptions options, Func<OrtEnvHandle, OrtSessionOptionsHandle, OrtSessionHandle> createSession, Func<ModelProto> readGraph)
    {
        options.Validate();
        var library = OnnxRuntimeLibrary.Get(options.LibraryPath);

        OrtSessionHandle? session = null;
        OrtMemoryInfoHandle? memoryInfo = null;
        try
        {
            using (var sessionOptions = OrtSessionOptionsHandle.Create())
            {
                sessionOptions.SetIntraOpThreads(options.IntraOpThreads);
                sessionOptions.SetGraphOptimizationLevel(options.OptimizationLevel);
                try
                {
                    session = createSession(library.Environment, sessionOptions);
                }
                catch (OnnxRuntimeException e)
                {
                    throw new OnnxRuntimeException(e.ErrorCode, $"Could not load the ONNX model {source}. {e.Message}");
                }
            }

            var contract = ModelContract.Read(session, source);
            var trees = ReadTrees(readGraph, contract.OutputName);
            memoryInfo = OrtMemoryInfoHandle.CreateCpu();
            return new OnnxScorer(session, memoryInfo, contract, options.MaxBatchRows, source, library.Version, trees);
        }
        catch
        {
            session?.Dispose();
            memoryInfo?.Dispose();
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

    private unsafe void ScoreChunk(ReadOnlySpan<float> rows, Span<float> winProbabilities)
    {
        var rowCount = winProbabilities.Length;
        ReadOnlySpan<long> shape = [rowCount, FeatureCount];
        fixed (float* data = rows)
        {
            using var input = OrtValueHandle.CreateFloatTensor(_memoryInfo, data, rows.Length, shape);
            using var output = _session.Run(_inputNameUtf8, input, _outputNameUtf8);
            var tensor = output.DescribeTensor();
            if (tensor.ElementType != OnnxElementType.Float || tensor.ElementCount != (long)rowCount * _outputColumns)
            {
                throw new InvalidDataException(
                    $"The model {_source} returned {tensor} from output '{ProbabilityOutputName}' for {rowCount} rows; " +
                    $"expected {rowCount * _outputColumns} float values.");
            }

            // The positive class is the last column: column 1 of [N, 2], the only column of [N, 1] or [N].
            var probabilities = output.GetFloatData(tensor.ElementCount);
            for (var row = 0; row < rowCount; row++)
            {
                winProbabilities[row] = probabilities[(row * _outputColumns) + _outputColumns - 1];
            }
        }
    }
}
