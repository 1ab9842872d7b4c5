using System.Text;

namespace SfPredictor.DataExport.Tests;

/// <summary>A fresh directory under the system temp folder, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sfp-dataexport-" + Guid.NewGuid().ToString("N"));

    public string Write(string fileName, string text, Encoding? encoding = null)
    {
        var path = System.IO.Path.Combine(Path, fileName);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, (encoding ?? new UTF8Encoding(false)).GetBytes(text));
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
