using SfPredictor.Training.Boosting;
using SfPredictor.Training.Native;

namespace SfPredictor.Training.Tests.Native;

public sealed class XGBoostBindingTests
{
    [Fact]
    public void Version_SystemLibrary_Is17()
    {
        Assert.StartsWith("1.7.", XGBoostLibrary.Version, StringComparison.Ordinal);
    }

    [Fact]
    public void UpdateOneIteration_KnownThresholdRule_LearnsIt()
    {
        var (x, y) = SyntheticRows.Threshold(1000, 3, seed: 1);
        using var matrix = new XGBoostMatrix(x, 3, y);
        using var booster = XGBoostBooster.Create(matrix);
        booster.SetParameter("objective", "binary:logistic");
        booster.SetParameter("max_depth", "2");
        booster.SetParameter("nthread", "1");
        for (var round = 0; round < 20; round++)
        {
            booster.UpdateOneIteration(round, matrix);
        }

        var (testX, testY) = SyntheticRows.Threshold(500, 3, seed: 2);
        using var test = new XGBoostMatrix(testX, 3, testY);
        var probabilities = booster.PredictProbabilities(test);
        var correct = probabilities.Where((p, i) => (p >= 0.5f) == (testY[i] == 1)).Count();
        Assert.True(correct >= 490, $"{correct} of 500 right");
        Assert.Equal(20, booster.BoostedRounds());
    }

    [Fact]
    public void PredictMargins_LogisticObjective_AreLogitOfProbabilities()
    {
        var (x, y) = SyntheticRows.Logistic(300, 4, seed: 3);
        using var matrix = new XGBoostMatrix(x, 4, y);
        using var booster = XGBoostBooster.Create(matrix);
        booster.SetParameter("objective", "binary:logistic");
        booster.SetParameter("nthread", "1");
        booster.UpdateOneIteration(0, matrix);
        booster.UpdateOneIteration(1, matrix);

        var margins = booster.PredictMargins(matrix);
        var probabilities = booster.PredictProbabilities(matrix);
        for (var i = 0; i < margins.Length; i++)
        {
            Assert.Equal(1 / (1 + Math.Exp(-margins[i])), probabilities[i], 1e-6);
        }
    }

    [Fact]
    public void UpdateOneIteration_UnknownObjective_ThrowsWithXGBoostText()
    {
        var (x, y) = SyntheticRows.Threshold(50, 2, seed: 1);
        using var matrix = new XGBoostMatrix(x, 2, y);
        using var booster = XGBoostBooster.Create(matrix);
        booster.SetParameter("objective", "binary:nonsense");

        var error = Assert.Throws<XGBoostException>(() => booster.UpdateOneIteration(0, matrix));

        Assert.Contains("XGBoosterUpdateOneIter", error.Message, StringComparison.Ordinal);
        Assert.Contains("Unknown objective function: `binary:nonsense`", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Stack trace", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UpdateOneIteration_BadParameterValue_ThrowsNamingIt()
    {
        var (x, y) = SyntheticRows.Threshold(50, 2, seed: 1);
        using var matrix = new XGBoostMatrix(x, 2, y);
        using var booster = XGBoostBooster.Create(matrix);
        booster.SetParameter("max_depth", "deep");

        var error = Assert.Throws<XGBoostException>(() => booster.UpdateOneIteration(0, matrix));

        Assert.Contains("max_depth", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_LabelsOfWrongLength_ThrowsBeforeNativeCall()
    {
        var error = Assert.Throws<ArgumentException>(() => new XGBoostMatrix(new float[6], 3, new float[3]));
        Assert.Contains("3 labels given for 2 rows", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new XGBoostMatrix(new float[7], 3));
    }

    [Fact]
    public void Constructor_DenseRows_NativeShapeMatches()
    {
        using var matrix = new XGBoostMatrix(new float[] { 1, 2, 3, 4, float.NaN, 6 }, 3, [0, 1]);

        Assert.Equal(2, matrix.NativeRowCount());
        Assert.Equal(3, matrix.NativeColumnCount());
    }

    [Fact]
    public void Dispose_Matrix_TwiceIsSafeAndUseAfterThrows()
    {
        var matrix = new XGBoostMatrix(new float[] { 1, 2 }, 2, [1]);
        matrix.Dispose();
        matrix.Dispose();

        Assert.Throws<ObjectDisposedException>(() => matrix.NativeRowCount());
        Assert.Throws<ObjectDisposedException>(() => XGBoostBooster.Create(matrix));
    }

    [Fact]
    public void Dispose_Booster_TwiceIsSafeAndUseAfterThrows()
    {
        using var matrix = new XGBoostMatrix(new float[] { 1, 2 }, 2, [1]);
        var booster = XGBoostBooster.Create(matrix);
        booster.Dispose();
        booster.Dispose();

        Assert.Throws<ObjectDisposedException>(() => booster.SetParameter("eta", "0.1"));
        Assert.Throws<ObjectDisposedException>(() => booster.SaveJson());
    }

    [Fact]
    public void Dispose_MatrixBeforeBooster_BoosterStillPredicts()
    {
        var (x, y) = SyntheticRows.Threshold(200, 2, seed: 4);
        using var test = new XGBoostMatrix(x, 2, y);
        XGBoostBooster booster;
        using (var train = new XGBoostMatrix(x, 2, y))
        {
            booster = XGBoostBooster.Create(train);
            booster.SetParameter("objective", "binary:logistic");
            booster.UpdateOneIteration(0, train);
        }

        using (booster)
        {
            Assert.Equal(200, booster.PredictProbabilities(test).Length);
        }
    }

    [Fact]
    public void SaveJson_LoadJson_SamePredictionsAndAttributes()
    {
        var (x, y) = SyntheticRows.Logistic(300, 4, seed: 5);
        using var matrix = new XGBoostMatrix(x, 4, y);
        using var booster = XGBoostBooster.Create(matrix);
        booster.SetParameter("objective", "binary:logistic");
        booster.SetParameter("nthread", "1");
        for (var round = 0; round < 5; round++)
        {
            booster.UpdateOneIteration(round, matrix);
        }

        booster.SetAttribute("best_iteration", "4");
        using var loaded = XGBoostBooster.LoadJson(booster.SaveJson());

        Assert.Equal(booster.PredictMargins(matrix), loaded.PredictMargins(matrix));
        Assert.Equal("4", loaded.GetAttribute("best_iteration"));
        Assert.Null(loaded.GetAttribute("absent"));
    }

    [Fact]
    public void LoadJson_NotAModel_ThrowsXGBoostException()
    {
        Assert.Throws<XGBoostException>(() => XGBoostBooster.LoadJson("{\"nonsense\": 1}"u8));
    }

    [Fact]
    public void Slice_FirstRounds_KeepsThatManyTrees()
    {
        var (x, y) = SyntheticRows.Logistic(300, 4, seed: 6);
        using var matrix = new XGBoostMatrix(x, 4, y);
        using var booster = XGBoostBooster.Create(matrix);
        booster.SetParameter("objective", "binary:logistic");
        for (var round = 0; round < 6; round++)
        {
            booster.UpdateOneIteration(round, matrix);
        }

        using var sliced = booster.Slice(2);

        Assert.Equal(2, sliced.BoostedRounds());
        Assert.Equal(2, TreeEnsemble.FromXGBoostJson(sliced.SaveJson()).Trees.Count);
    }
}
