using SfPredictor.SyntheticOrg;
using SfPredictor.Worker.Tests.Infrastructure;

namespace SfPredictor.Worker.Tests.Cli;

/// <summary>The offline verbs read the worker's settings: environment variables and a <c>--settings</c> file, validated alike.</summary>
[Collection(WorkerCollection.Name)]
public sealed class OfflineSettingsTests(WorkerFixture fixture)
{
    private static readonly Dictionary<string, string?> NoSettings = [];

    [Fact]
    public async Task RecommendQualityWorlds_AFullyAndASparselyLoggedWorld_TableHasTheUnstatedShareForTheSparseOneOnly()
    {
        var (exit, output, error) = await SfpProcess.RunAsync(NoSettings, "recommend-quality", "--worlds", "default,sparse-logging", "--seeds", "1", "--opportunities", "1000");

        Assert.True(exit == 0, error);
        var rows = output.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToList();
        Assert.Contains(rows, r => r.StartsWith("| default | defaults, kinds by stage × kind effects |", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("| sparse-logging | defaults, logged share not stated (1), kinds by stage × kind effects |", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r.StartsWith("| default | defaults, logged share not stated", StringComparison.Ordinal));
        // The summary: one row per method, the unstated share's worst world the sparse one.
        Assert.Contains(rows, r => r.StartsWith("| defaults, logged share not stated (1), kinds by stage × kind effects |", StringComparison.Ordinal) && r.Contains("(sparse-logging)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ActivityKinds_SpanishExport_RecognisedByDefaultAndNotWithEnglishOnlyFromTheEnvironment()
    {
        var export = Export("es", blankTypes: true);

        var (exit, output, error) = await SfpProcess.RunAsync(NoSettings, "activity-kinds", "--export", export);
        var (englishExit, englishOnly, _) = await SfpProcess.RunAsync(
            new Dictionary<string, string?> { ["SfPredictor:Features:ActivityLanguages:0"] = "en" }, "activity-kinds", "--export", export, "--top", "5");

        Assert.True(exit == 0, error);
        Assert.DoesNotContain("WARNING", output, StringComparison.Ordinal);
        Assert.Contains("| Call |", output, StringComparison.Ordinal);
        Assert.Equal(0, englishExit);
        Assert.Contains("WARNING:", englishOnly, StringComparison.Ordinal);
        Assert.Contains("\"AdditionalActivityKinds\"", englishOnly, StringComparison.Ordinal);
        Assert.Contains("llamada", englishOnly, StringComparison.Ordinal);
        Assert.DoesNotContain("Llamada de seguimiento", englishOnly, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrainAndActivityKinds_SettingsFile_AppliesItsRulesAndStopsOnABadOneNamingTheSetting()
    {
        var export = Export("en", blankTypes: true, typeField: "Activity_Type__c");
        var good = Path.Combine(fixture.Root, $"good-{Guid.NewGuid():N}.json");
        var bad = Path.Combine(fixture.Root, $"bad-{Guid.NewGuid():N}.json");
        File.WriteAllText(good, """
            { "SfPredictor": { "Features": {
                "ActivityTypeFields": [ "Activity_Type__c" ],
                "AdditionalActivityKinds": [ { "Name": "Call", "Types": [ "Phone" ] }, { "Name": "Email", "Types": [ "Mail out" ] } ] } } }
            """);
        File.WriteAllText(bad, """{ "SfPredictor": { "Features": { "AdditionalActivityKinds": [ { "Name": "Site visit", "SubjectPatterns": [ "(obra" ] } ] } } }""");

        var (_, without, _) = await SfpProcess.RunAsync(NoSettings, "activity-kinds", "--export", export);
        var (exit, with, error) = await SfpProcess.RunAsync(NoSettings, "activity-kinds", "--export", export, "--settings", good);
        var (badExit, _, badError) = await SfpProcess.RunAsync(NoSettings, "train", "--export", export, "--out", Path.Combine(fixture.Root, "never"), "--settings", bad);

        Assert.True(exit == 0, error);
        Assert.True(Unrecognised(with) < Unrecognised(without), $"{Unrecognised(with)} unrecognised with the settings, {Unrecognised(without)} without");
        Assert.Equal(1, badExit);
        Assert.Contains("SfPredictor:Features:AdditionalActivityKinds:0:SubjectPatterns:0", badError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(fixture.Root, "never")));
    }

    [Fact]
    public async Task Recommend_ConfiguredSettings_ReachTheRunAndAFailedRunLeavesTheLastFileAsItWas()
    {
        var export = Export("en", blankTypes: false);
        var output = Path.Combine(fixture.Root, $"recommend-{Guid.NewGuid():N}.csv");
        var settings = new Dictionary<string, string?>
        {
            ["SfPredictor:Recommendations:MaxRecommendations"] = "1",
            ["SfPredictor:WriteBack:Enabled"] = "false",
        };

        var (exit, said, error) = await SfpProcess.RunAsync(settings, "recommend", "--export", export, "--model", fixture.PackageFolder, "--out", output);
        var written = await File.ReadAllTextAsync(output);
        var (badExit, _, badError) = await SfpProcess.RunAsync(settings, "recommend", "--export", export, "--model", Path.Combine(fixture.Root, "no-such-model"), "--out", output);

        // Write-back switched off is the worker's business: the CSV is written, one activity per row as configured.
        Assert.True(exit == 0, error);
        Assert.Contains("open Opportunities as of", said, StringComparison.Ordinal);
        var rows = written.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(',')).ToList();
        Assert.NotEmpty(rows);
        Assert.Contains(rows, r => r[2].Length > 0);
        Assert.All(rows, r => Assert.Equal(("", ""), (r[4], r[6])));
        Assert.Equal(1, badExit);
        Assert.Contains("no-such-model", badError, StringComparison.Ordinal);
        Assert.Equal(written, await File.ReadAllTextAsync(output));
        Assert.False(File.Exists(output + ".partial"));
    }

    // "N activities linked to Opportunities; R recognised, U unrecognised (...)."
    private static int Unrecognised(string output)
    {
        var line = output.Split('\n')[0];
        var words = line.Split(' ');
        return int.Parse(words[Array.IndexOf(words, "unrecognised") - 1], System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);
    }

    private string Export(string language, bool blankTypes, string? typeField = null)
    {
        var folder = Path.Combine(fixture.Root, $"offline-{language}-{Guid.NewGuid():N}"[..24]);
        SyntheticOrgGenerator.Write(
            SyntheticOrgGenerator.Generate(new SyntheticOrgOptions
            {
                Opportunities = 300, Seed = 5, Language = language, BlankActivityTypes = blankTypes, ActivityTypeField = typeField,
            }),
            folder);
        return folder;
    }
}
