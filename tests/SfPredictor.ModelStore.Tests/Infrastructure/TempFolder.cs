namespace SfPredictor.ModelStore.Tests.Infrastructure;

/// <summary>A fresh temporary folder, deleted on dispose, with helpers to write and compare model packages.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("sfp-modelstore-").FullName;

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes a package whose bytes depend on <paramref name="seed"/>: a binary model, a manifest, a nested file and an empty file.</summary>
    public string WritePackage(string name, int seed)
    {
        var folder = Sub(name);
        Directory.CreateDirectory(System.IO.Path.Combine(folder, "extra"));
        var model = new byte[70_000];
        new Random(seed).NextBytes(model);
        File.WriteAllBytes(System.IO.Path.Combine(folder, "model.onnx"), model);
        File.WriteAllText(System.IO.Path.Combine(folder, "manifest.json"), $$"""{"seed":{{seed}},"features":["a","b"]}""");
        File.WriteAllBytes(System.IO.Path.Combine(folder, "extra", "calibration.bin"), [.. Enumerable.Range(0, 1000).Select(i => (byte)(i * seed))]);
        File.WriteAllBytes(System.IO.Path.Combine(folder, "empty.txt"), []);
        return folder;
    }

    /// <summary>Relative path to content of every file under <paramref name="folder"/>.</summary>
    public static IReadOnlyDictionary<string, byte[]> ReadAll(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => System.IO.Path.GetRelativePath(folder, f), File.ReadAllBytes);

    public static void AssertSameFiles(string expectedFolder, string actualFolder)
    {
        var expected = ReadAll(expectedFolder);
        var actual = ReadAll(actualFolder);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[path]), $"{path} differs");
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail a test.
        }
    }
}
