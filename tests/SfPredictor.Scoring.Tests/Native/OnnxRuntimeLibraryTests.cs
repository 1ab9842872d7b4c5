using SfPredictor.Scoring.Native;

namespace SfPredictor.Scoring.Tests.Native;

public sealed class OnnxRuntimeLibraryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sfp-ortlib-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void LoadFirst_NoCandidateLoads_ThrowsListingEveryPlaceAndTheSetupScript()
    {
        var notALibrary = Path.Combine(_directory, "libonnxruntime.so.1");
        File.WriteAllText(notALibrary, "plain text");
        var candidates = OnnxRuntimeLibrary.CandidatePaths(
            Path.Combine(_directory, "configured", "libonnxruntime.so.1"),
            baseDirectory: Path.Combine(_directory, "app"),
            setupCacheDirectory: Path.Combine(_directory, "cache"));

        var error = Assert.Throws<DllNotFoundException>(() =>
            OnnxRuntimeLibrary.LoadFirst([.. candidates, (notALibrary, "test")]));

        Assert.Contains(Path.Combine(_directory, "configured", "libonnxruntime.so.1") + " (configured", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_directory, "app", "runtimes", "linux-x64", "native", "libonnxruntime.so.1"), error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_directory, "cache", "onnxruntime-1.30.0", "libonnxruntime.so.1"), error.Message, StringComparison.Ordinal);
        Assert.Contains($"{notALibrary} (test): the file exists but is not a loadable shared library", error.Message, StringComparison.Ordinal);
        Assert.Contains("eng/setup.sh", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFirst_SharedLibraryThatIsNotOnnxRuntime_SaysSoAndMovesOn()
    {
        var libc = new[] { "/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6" }.First(File.Exists);
        var real = OnnxRuntimeLibrary.Get(null);

        var loaded = OnnxRuntimeLibrary.LoadFirst([(libc, "other library"), (real.Path, "real")]);

        Assert.Equal(real.Path, loaded.Path);
        var error = Assert.Throws<DllNotFoundException>(() => OnnxRuntimeLibrary.LoadFirst([(libc, "other library")]));
        Assert.Contains("does not export OrtGetApiBase", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CandidatePaths_ConfiguredFolder_LooksForTheLibraryInsideItFirst()
    {
        var candidates = OnnxRuntimeLibrary.CandidatePaths(_directory, "/app", "/cache");

        Assert.Equal(
            [Path.Combine(_directory, "libonnxruntime.so.1"), "/app/runtimes/linux-x64/native/libonnxruntime.so.1", "/cache/onnxruntime-1.30.0/libonnxruntime.so.1"],
            candidates.Select(c => c.Path));
    }

    [Fact]
    public void CandidatePaths_NothingConfigured_StartsWithApplicationFolder()
    {
        var candidates = OnnxRuntimeLibrary.CandidatePaths(null, "/app", "/cache");

        Assert.Equal(2, candidates.Count);
        Assert.Equal("application folder", candidates[0].Source);
    }

    [Theory]
    [InlineData("/c", "/x", "/h", "/c")]
    [InlineData(null, "/x", "/h", "/x/sfpredictor")]
    [InlineData(null, null, "/h", "/h/.cache/sfpredictor")]
    public void SetupCacheDirectory_FollowsSetupScriptPrecedence(string? sfpCache, string? xdgCacheHome, string home, string expected)
    {
        var variables = new Dictionary<string, string?> { ["SFP_CACHE"] = sfpCache, ["XDG_CACHE_HOME"] = xdgCacheHome, ["HOME"] = home };

        Assert.Equal(expected, OnnxRuntimeLibrary.SetupCacheDirectory(name => variables.GetValueOrDefault(name)));
    }

    [Fact]
    public void Get_OnThisMachine_LoadsVersion130()
    {
        var library = OnnxRuntimeLibrary.Get(null);

        Assert.Equal("1.30.0", library.Version);
        Assert.True(File.Exists(library.Path));
    }
}
