using SfPredictor.Scoring.Native;

namespace SfPredictor.Scoring;

/// <summary>The input and output of a loaded model that scoring uses, checked against the contract on <see cref="OnnxScorer"/>.</summary>
internal sealed record ModelContract(string InputName, int FeatureCount, string OutputName, int OutputColumns)
{
    public static ModelContract Read(OrtSessionHandle session, string source)
    {
        var inputs = Describe(session, session.InputCount, output: false);
        if (inputs.Count != 1)
        {
            throw new InvalidDataException(
                $"The ONNX model {source} must have exactly one input, a float tensor [N, F]; it has {inputs.Count}: {List(inputs)}.");
        }

        var (inputName, input) = inputs[0];
        if (input.Tensor is not { ElementType: OnnxElementType.Float, Dimensions: [_, > 0 and <= int.MaxValue] } inputTensor)
        {
            throw new InvalidDataException(
                $"The ONNX model {source} must take a float tensor [N, F] with a fixed F; its input '{inputName}' is {input}.");
        }

        var outputs = Describe(session, session.OutputCount, output: true);
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

        return new ModelContract(inputName, (int)inputTensor.Dimensions[1], chosen.Name, ProbabilityColumns(chosen.Value));
    }

    /// <summary>How many values per row a probability output holds (1 or 2), or 0 when the output does not qualify.</summary>
    private static int ProbabilityColumns(ValueDescription value) => value.Tensor switch
    {
        { ElementType: OnnxElementType.Float, Dimensions: [_] } => 1,
        { ElementType: OnnxElementType.Float, Dimensions: [_, 1] } => 1,
        { ElementType: OnnxElementType.Float, Dimensions: [_, 2] } => 2,
        _ => 0,
    };

    private static List<(string Name, ValueDescription Value)> Describe(OrtSessionHandle session, int count, bool output)
    {
        var values = new List<(string, ValueDescription)>(count);
        for (var i = 0; i < count; i++)
        {
            using var typeInfo = output ? session.GetOutputTypeInfo(i) : session.GetInputTypeInfo(i);
            values.Add((output ? session.GetOutputName(i) : session.GetInputName(i), typeInfo.Describe()));
        }

        return values;
    }

    private static string List(IEnumerable<(string Name, ValueDescription Value)> values) =>
        string.Join(", ", values.Select(v => $"'{v.Name}' {v.Value}"));
}
