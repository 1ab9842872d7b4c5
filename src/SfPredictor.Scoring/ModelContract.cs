using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace SfPredictor.Scoring;

/// <summary>The input and output of a loaded model that scoring uses, checked against the contract on <see cref="OnnxScorer"/>.</summary>
internal sealed record ModelContract(string InputName, int FeatureCount, string OutputName, int OutputColumns, int OutputRank)
{
    public static ModelContract Read(InferenceSession session, string source)
    {
        var inputs = session.InputNames.Select(name => (Name: name, Value: session.InputMetadata[name])).ToList();
        if (inputs.Count != 1)
        {
            throw new InvalidDataException(
                $"The ONNX model {source} must have exactly one input, a float tensor [N, F]; it has {inputs.Count}: {List(inputs)}.");
        }

        var (inputName, input) = inputs[0];
        if (!IsFloatTensor(input) || input.Dimensions is not [_, > 0])
        {
            throw new InvalidDataException(
                $"The ONNX model {source} must take a float tensor [N, F] with a fixed F; its input '{inputName}' is {Describe(input)}.");
        }

        var outputs = session.OutputNames.Select(name => (Name: name, Value: session.OutputMetadata[name])).ToList();
        var candidates = outputs.Where(o => ProbabilityColumns(o.Value) > 0).ToList();
        if (candidates.Count == 0)
        {
            throw new InvalidDataException(
                $"The ONNX model {source} has no probability output: a float tensor [N, 2], [N, 1] or [N] is required " +
                $"(a ZipMap sequence of maps does not qualify). Outputs found: {List(outputs)}.");
        }

        var chosen = candidates.FirstOrDefault(o => o.Name == OnnxScorer.PreferredOutputName);
        if (chosen.Name is null)
        {
            chosen = candidates[0];
        }

        return new ModelContract(inputName, input.Dimensions[1], chosen.Name, ProbabilityColumns(chosen.Value), chosen.Value.Dimensions.Length);
    }

    /// <summary>The shape of the probability output for <paramref name="rows"/> rows: [N], [N, 1] or [N, 2].</summary>
    public long[] OutputShape(int rows) => OutputRank == 1 ? [rows] : [rows, OutputColumns];

    /// <summary>How many values per row a probability output holds (1 or 2), or 0 when the output does not qualify.</summary>
    private static int ProbabilityColumns(NodeMetadata value) => !IsFloatTensor(value) ? 0 : value.Dimensions switch
    {
        [_] => 1,
        [_, 1] => 1,
        [_, 2] => 2,
        _ => 0,
    };

    private static bool IsFloatTensor(NodeMetadata value) =>
        value.OnnxValueType == OnnxValueType.ONNX_TYPE_TENSOR && value.ElementDataType == TensorElementType.Float;

    /// <summary>For error messages: <c>tensor&lt;float&gt;[?, 40]</c>, <c>sequence</c>, <c>map</c>.</summary>
    private static string Describe(NodeMetadata value) => value.OnnxValueType switch
    {
        OnnxValueType.ONNX_TYPE_TENSOR =>
            $"tensor<{value.ElementDataType.ToString().ToLowerInvariant()}>[{string.Join(", ", value.Dimensions.Select(d => d < 0 ? "?" : d.ToString(CultureInfo.InvariantCulture)))}]",
        OnnxValueType.ONNX_TYPE_SEQUENCE => "sequence",
        OnnxValueType.ONNX_TYPE_MAP => "map",
        OnnxValueType.ONNX_TYPE_OPTIONAL => "optional",
        _ => "value of unknown type",
    };

    private static string List(IEnumerable<(string Name, NodeMetadata Value)> values) =>
        string.Join(", ", values.Select(v => $"'{v.Name}' {Describe(v.Value)}"));
}
