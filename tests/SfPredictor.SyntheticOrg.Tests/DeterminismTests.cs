using System.ComponentModel.DataAnnotations;

namespace SfPredictor.SyntheticOrg.Tests;

public sealed class DeterminismTests
{
    [Fact]
    public void Write_SameOptions_WritesIdenticalBytes()
    {
        var options = new SyntheticOrgOptions { Opportunities = 400, Seed = 5 };
        using var first = new TempFolder();
        using var second = new TempFolder();

        SyntheticOrgGenerator.Write(SyntheticOrgGenerator.Generate(options), first.Path);
        SyntheticOrgGenerator.Write(SyntheticOrgGenerator.Generate(options), second.Path);

        var files = RelativeFiles(first.Path);
        Assert.Equal(files, RelativeFiles(second.Path));
        Assert.Contains("Opportunity.csv", files);
        Assert.Contains(Path.Combine("_truth", "OpportunityTruth.csv"), files);
        foreach (var file in files)
        {
            Assert.True(
                File.ReadAllBytes(Path.Combine(first.Path, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(second.Path, file))),
                $"{file} differs between two runs with the same options");
        }
    }

    [Fact]
    public void Generate_DifferentSeed_GivesADifferentOrg()
    {
        var a = SyntheticOrgGenerator.Generate(new SyntheticOrgOptions { Opportunities = 400, Seed = 1 });
        var b = SyntheticOrgGenerator.Generate(new SyntheticOrgOptions { Opportunities = 400, Seed = 2 });

        static string Fingerprint(GeneratedOrg org) => string.Join('|', org.Data.Opportunities.Select(o => $"{o.Name};{o.Amount};{o.StageName};{o.CreatedDate:O}"));
        Assert.NotEqual(Fingerprint(a), Fingerprint(b));
        Assert.NotEqual(a.Data.Tasks.Count, b.Data.Tasks.Count);
    }

    [Fact]
    public void Generate_RequestedCount_GivesExactlyThatManyOpportunities()
    {
        var org = SyntheticOrgGenerator.Generate(new SyntheticOrgOptions { Opportunities = 321, Seed = 3 });

        Assert.Equal(321, org.Data.Opportunities.Count);
        Assert.Equal(SyntheticOrgOptions.DefaultAsOf, org.Truth.AsOf);
        Assert.Equal(SyntheticOrgOptions.DefaultAsOf, org.Data.ExtractedAt);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Generate_OpportunitiesOutOfRange_ThrowsValidationException(int opportunities)
    {
        var error = Assert.Throws<ValidationException>(() => SyntheticOrgGenerator.Generate(new SyntheticOrgOptions { Opportunities = opportunities }));
        Assert.Contains(nameof(SyntheticOrgOptions.Opportunities), error.Message, StringComparison.Ordinal);
    }

    private static List<string> RelativeFiles(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal)];
}
