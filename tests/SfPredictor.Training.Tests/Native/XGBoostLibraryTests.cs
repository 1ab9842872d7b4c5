using SfPredictor.Training.Native;

namespace SfPredictor.Training.Tests.Native;

public sealed class XGBoostLibraryTests
{
    [Fact]
    public void Load_ConfiguredPathMissing_ErrorNamesPathAndSetting()
    {
        var error = Assert.Throws<DllNotFoundException>(
            () => XGBoostLibrary.Load("/nonexistent/libxgboost.so.0", typeof(XGBoostLibrary).Assembly, null));

        Assert.Contains("/nonexistent/libxgboost.so.0", error.Message, StringComparison.Ordinal);
        Assert.Contains(XGBoostLibrary.PathVariable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ConfiguredPathOfRealLibrary_Loads()
    {
        var path = new[] { "/usr/lib/x86_64-linux-gnu/libxgboost.so.0", "/usr/lib/libxgboost.so.0" }.First(File.Exists);

        Assert.NotEqual(nint.Zero, XGBoostLibrary.Load(path, typeof(XGBoostLibrary).Assembly, null));
    }

    [Fact]
    public void UsePath_Blank_Rejected()
    {
        Assert.Throws<ArgumentException>(() => XGBoostLibrary.UsePath(" "));
    }
}
