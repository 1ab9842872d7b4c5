namespace SfPredictor.Training.Tests;

/// <summary>Small random data sets with a known rule, for tests of the learning code.</summary>
internal static class SyntheticRows
{
    /// <summary>
    /// Rows of <paramref name="width"/> features in [0, 10) rounded to 0.1; column 1 is missing (NaN) in
    /// about a fifth of rows. The log-odds of winning is 0.8 (x0 − 5) + 0.3 (x1 − 5) (or +1 when x1 is
    /// missing) − 0.2 x2, so the outcome rises with x0 and falls with x2.
    /// </summary>
    public static (float[] Features, float[] Labels) Logistic(int rows, int width, int seed, double offset = 0)
    {
        var random = new Random(seed);
        var x = new float[rows * width];
        var y = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            var row = x.AsSpan(i * width, width);
            for (var j = 0; j < width; j++)
            {
                row[j] = MathF.Round((float)(random.NextDouble() * 10), 1);
            }

            if (random.NextDouble() < 0.2)
            {
                row[1] = float.NaN;
            }

            var z = offset + (0.8 * (row[0] - 5)) + (float.IsNaN(row[1]) ? 1 : 0.3 * (row[1] - 5)) - (0.2 * row[2]);
            y[i] = random.NextDouble() < 1 / (1 + Math.Exp(-z)) ? 1 : 0;
        }

        return (x, y);
    }

    /// <summary>Rows whose label is exactly "x0 &gt; 5" (no noise).</summary>
    public static (float[] Features, float[] Labels) Threshold(int rows, int width, int seed)
    {
        var random = new Random(seed);
        var x = new float[rows * width];
        var y = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < width; j++)
            {
                x[(i * width) + j] = (float)(random.NextDouble() * 10);
            }

            y[i] = x[i * width] > 5 ? 1 : 0;
        }

        return (x, y);
    }
}
