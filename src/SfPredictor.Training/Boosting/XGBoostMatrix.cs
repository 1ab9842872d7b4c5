using SfPredictor.Training.Native;

namespace SfPredictor.Training.Boosting;

/// <summary>A dense float matrix handed to XGBoost, with labels and optional row weights. NaN means missing.</summary>
internal sealed class XGBoostMatrix : IDisposable
{
    private readonly SafeDMatrixHandle handle;

    /// <summary>Copies <paramref name="rows"/> (row-major, <paramref name="width"/> columns) into a native DMatrix.</summary>
    public unsafe XGBoostMatrix(ReadOnlySpan<float> rows, int width, ReadOnlySpan<float> labels = default, ReadOnlySpan<float> weights = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (rows.Length % width != 0)
        {
            throw new ArgumentException($"{rows.Length} values do not make whole rows of {width} features.", nameof(rows));
        }

        var count = rows.Length / width;
        CheckLength(labels, count, nameof(labels));
        CheckLength(weights, count, nameof(weights));

        XGBoostLibrary.EnsureResolver();
        fixed (float* data = rows)
        {
            XGBoostException.ThrowIfFailed(
                Interop.XGBoost.XGDMatrixCreateFromMat(data, (ulong)count, (ulong)width, float.NaN, out handle),
                "XGDMatrixCreateFromMat");
        }

        try
        {
            SetFloatInfo("label", labels);
            SetFloatInfo("weight", weights);
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        RowCount = count;
        Width = width;
    }

    /// <summary>Number of rows.</summary>
    public int RowCount { get; }

    /// <summary>Number of features per row.</summary>
    public int Width { get; }

    internal SafeDMatrixHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsClosed, this);
            return handle;
        }
    }

    /// <summary>The number of rows as XGBoost reports it.</summary>
    public long NativeRowCount()
    {
        XGBoostException.ThrowIfFailed(Interop.XGBoost.XGDMatrixNumRow(Handle, out var rows), "XGDMatrixNumRow");
        return (long)rows;
    }

    /// <summary>The number of columns as XGBoost reports it.</summary>
    public long NativeColumnCount()
    {
        XGBoostException.ThrowIfFailed(Interop.XGBoost.XGDMatrixNumCol(Handle, out var columns), "XGDMatrixNumCol");
        return (long)columns;
    }

    public void Dispose() => handle.Dispose();

    private unsafe void SetFloatInfo(string field, ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
        {
            return;
        }

        fixed (float* data = values)
        {
            XGBoostException.ThrowIfFailed(
                Interop.XGBoost.XGDMatrixSetFloatInfo(handle, field, data, (ulong)values.Length),
                $"XGDMatrixSetFloatInfo('{field}')");
        }
    }

    private static void CheckLength(ReadOnlySpan<float> values, int rows, string name)
    {
        if (!values.IsEmpty && values.Length != rows)
        {
            throw new ArgumentException($"{values.Length} {name} given for {rows} rows.", name);
        }
    }
}
