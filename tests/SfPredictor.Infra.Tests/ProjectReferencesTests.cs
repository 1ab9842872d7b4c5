using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace SfPredictor.Infra.Tests;

/// <summary>The README's picture of project references says what the project files say.</summary>
public sealed partial class ProjectReferencesTests
{
    [Fact]
    public void Readme_ReferencePicture_MatchesTheProjectFiles()
    {
        var readme = File.ReadAllText(Repo.Path("README.md"));
        var picture = PictureBlock().Match(readme);
        Assert.True(picture.Success, "README.md has no ```text block starting with the project 'Records'.");
        var drawn = picture.Groups["lines"].Value
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith("---", StringComparison.Ordinal))
            .ToDictionary(
                line => line.Split(' ', 2)[0],
                line => line.Contains('→', StringComparison.Ordinal)
                    ? line.Split('→', 2)[1].Split(',', StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal).ToList()
                    : [],
                StringComparer.Ordinal);

        var actual = Directory.GetFiles(Repo.Path("src"), "*.csproj", SearchOption.AllDirectories)
            .ToDictionary(
                path => Name(path),
                path => XDocument.Load(path).Descendants("ProjectReference")
                    .Select(r => Name(r.Attribute("Include")!.Value))
                    .Order(StringComparer.Ordinal)
                    .ToList(),
                StringComparer.Ordinal);

        Assert.Equal(actual.Keys.Order(StringComparer.Ordinal), drawn.Keys.Order(StringComparer.Ordinal));
        Assert.All(actual, project => Assert.True(
            project.Value.SequenceEqual(drawn[project.Key]),
            $"{project.Key}: the project file references {string.Join(", ", project.Value)}; README draws {string.Join(", ", drawn[project.Key])}"));
    }

    private static string Name(string csproj) => Path.GetFileNameWithoutExtension(csproj.Replace('\\', '/')).Replace("SfPredictor.", "", StringComparison.Ordinal);

    [GeneratedRegex(@"```text\n(?<lines>Records\n.*?)```", RegexOptions.Singleline)]
    private static partial Regex PictureBlock();
}
