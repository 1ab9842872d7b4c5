using System.Runtime.InteropServices;
using Google.Protobuf;

namespace SfPredictor.Scoring.Onnx;

/// <summary>
/// Small factory methods that keep code writing ONNX graphs (tests, model exporters) plain.
/// Everything returned is an ordinary generated protobuf message that callers may change further.
/// </summary>
public static class OnnxGraph
{
    /// <summary>The domain of the classical machine-learning operators (TreeEnsembleClassifier, ...).</summary>
    public const string MlDomain = "ai.onnx.ml";

    /// <summary>The IR version written by <see cref="Model"/>: 8 is read by every ONNX Runtime release since 1.10.</summary>
    public const long DefaultIrVersion = 8;

    /// <summary>The symbolic name given to a dynamic dimension (the batch size).</summary>
    public const string BatchDimension = "N";

    /// <summary>Creates a float tensor (e.g. an initializer) of the given shape, stored as raw little-endian bytes.</summary>
    /// <param name="name">The tensor's name, referenced by node inputs.</param>
    /// <param name="dims">The shape; the product of the dimensions must equal <paramref name="values"/>' length.</param>
    /// <param name="values">The elements in row-major order.</param>
    public static TensorProto FloatTensor(string name, IReadOnlyList<long> dims, ReadOnlySpan<float> values)
    {
        ArgumentNullException.ThrowIfNull(dims);
        CheckElementCount(name, dims, values.Length);
        var tensor = new TensorProto
        {
            Name = name,
            DataType = (int)TensorProto.Types.DataType.Float,
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)),
        };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    /// <summary>Creates an int64 tensor (e.g. a shape or axes initializer).</summary>
    /// <param name="name">The tensor's name, referenced by node inputs.</param>
    /// <param name="dims">The shape; the product of the dimensions must equal <paramref name="values"/>' length.</param>
    /// <param name="values">The elements in row-major order.</param>
    public static TensorProto Int64Tensor(string name, IReadOnlyList<long> dims, ReadOnlySpan<long> values)
    {
        ArgumentNullException.ThrowIfNull(dims);
        CheckElementCount(name, dims, values.Length);
        var tensor = new TensorProto
        {
            Name = name,
            DataType = (int)TensorProto.Types.DataType.Int64,
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)),
        };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    /// <summary>
    /// Describes a tensor graph input or output. A <see langword="null"/> dimension is dynamic and gets
    /// the symbolic name <see cref="BatchDimension"/>.
    /// </summary>
    /// <param name="name">The value's name.</param>
    /// <param name="elementType">The element type.</param>
    /// <param name="dims">The shape; <see langword="null"/> entries are dynamic.</param>
    public static ValueInfoProto TensorValue(string name, TensorProto.Types.DataType elementType, params long?[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim is { } value
                ? new TensorShapeProto.Types.Dimension { DimValue = value }
                : new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)elementType, Shape = shape } },
        };
    }

    /// <summary>Describes the usual model input: a float tensor [N, <paramref name="featureCount"/>] with dynamic N.</summary>
    /// <param name="name">The input's name.</param>
    /// <param name="featureCount">The fixed number of features per row.</param>
    public static ValueInfoProto FloatRows(string name, long featureCount) =>
        TensorValue(name, TensorProto.Types.DataType.Float, null, featureCount);

    /// <summary>Creates a node.</summary>
    /// <param name="opType">The operator, e.g. "MatMul" or "TreeEnsembleClassifier".</param>
    /// <param name="inputs">Names of the input values.</param>
    /// <param name="outputs">Names of the output values.</param>
    /// <param name="domain">The operator's domain: empty for the default domain, <see cref="MlDomain"/> for ML operators.</param>
    /// <param name="attributes">The node's attributes.</param>
    public static NodeProto Node(string opType, IEnumerable<string> inputs, IEnumerable<string> outputs, string domain = "", params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Domain = domain };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        return node;
    }

    /// <summary>Creates an attribute holding one integer.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="value">The value.</param>
    public static AttributeProto IntAttribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>Creates an attribute holding one float.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="value">The value.</param>
    public static AttributeProto FloatAttribute(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>Creates an attribute holding one UTF-8 string.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="value">The value.</param>
    public static AttributeProto StringAttribute(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>Creates an attribute holding a list of integers.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="values">The values.</param>
    public static AttributeProto IntsAttribute(string name, IEnumerable<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>Creates an attribute holding a list of floats.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="values">The values.</param>
    public static AttributeProto FloatsAttribute(string name, IEnumerable<float> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        attribute.Floats.AddRange(values);
        return attribute;
    }

    /// <summary>Creates an attribute holding a list of UTF-8 strings.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="values">The values.</param>
    public static AttributeProto StringsAttribute(string name, IEnumerable<string> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        attribute.Strings.AddRange(values.Select(ByteString.CopyFromUtf8));
        return attribute;
    }

    /// <summary>Creates an attribute holding a tensor (e.g. the value of a Constant node).</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="value">The tensor.</param>
    public static AttributeProto TensorAttribute(string name, TensorProto value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = value };

    /// <summary>
    /// Wraps a graph into a model importing the given operator sets, e.g.
    /// <c>Model(graph, ("", 17), (OnnxGraph.MlDomain, 3))</c>.
    /// </summary>
    /// <param name="graph">The inference graph.</param>
    /// <param name="opsets">(domain, version) pairs; the empty domain is the default ONNX operator set.</param>
    public static ModelProto Model(GraphProto graph, params (string Domain, long Version)[] opsets)
    {
        ArgumentNullException.ThrowIfNull(opsets);
        var model = new ModelProto { IrVersion = DefaultIrVersion, ProducerName = "SfPredictor", Graph = graph };
        foreach (var (domain, version) in opsets)
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        }

        return model;
    }

    private static void CheckElementCount(string name, IReadOnlyList<long> dims, int count)
    {
        long expected = 1;
        foreach (var dim in dims)
        {
            expected *= dim;
        }

        if (expected != count)
        {
            throw new ArgumentException(
                $"Tensor '{name}' has shape [{string.Join(", ", dims)}] ({expected} elements) but {count} values were given.",
                nameof(dims));
        }
    }
}
