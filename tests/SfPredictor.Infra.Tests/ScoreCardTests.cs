using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using SfPredictor.Worker.WriteBack;

namespace SfPredictor.Infra.Tests;

/// <summary>
/// The score card, its Lightning page and its Apex controller agree with the fields the worker writes, and
/// the metadata converts with Salesforce's own library (<c>@salesforce/source-deploy-retrieve</c>).
/// </summary>
public sealed partial class ScoreCardTests
{
    private static readonly XNamespace Md = Repo.Metadata;
    private static readonly WriteBackOptions Defaults = new();
    private static readonly string Bundle = Path.Combine(Repo.SalesforceSource, "lwc", "sfpScoreCard");

    /// <summary>Each App Builder property of the card and the worker option it mirrors.</summary>
    public static TheoryData<string, string> FieldProperties() => new()
    {
        { "probabilityField", Defaults.ProbabilityField },
        { "scoreChangeField", Defaults.ScoreChangeField },
        { "scoreTrendField", Defaults.ScoreTrendField },
        { "nextActivity1Field", Defaults.NextActivityFields[0] },
        { "nextActivity2Field", Defaults.NextActivityFields[1] },
        { "nextActivity3Field", Defaults.NextActivityFields[2] },
        { "topFactorsField", Defaults.TopFactorsField },
        { "activityGainsField", Defaults.ActivityGainsField! },
        { "scoredAtField", Defaults.ScoredAtField },
        { "modelVersionField", Defaults.ModelVersionField },
    };

    [Fact]
    public void FieldProperties_CoverEveryWrittenField()
    {
        var mirrored = FieldProperties().Select(row => (string)row[1]).Order(StringComparer.Ordinal);

        Assert.Equal(Defaults.Fields().Select(f => f.ApiName).Order(StringComparer.Ordinal), mirrored);
    }

    [Theory]
    [MemberData(nameof(FieldProperties))]
    public void FieldProperty_DefaultsToTheWorkersField_InAppBuilderTheComponentAndThePage(string property, string field)
    {
        var meta = XDocument.Load(Path.Combine(Bundle, "sfpScoreCard.js-meta.xml")).Root!;
        var declared = meta.Descendants(Md + "property").Single(p => (string?)p.Attribute("name") == property);
        var script = File.ReadAllText(Path.Combine(Bundle, "sfpScoreCard.js"));
        var page = XDocument.Load(Path.Combine(Repo.SalesforceSource, "flexipages", "SfPredictor_Opportunity_Record_Page.flexipage-meta.xml")).Root!;
        var placed = page.Descendants(Md + "componentInstanceProperties").Single(p => p.Element(Md + "name")!.Value == property);

        Assert.Equal(field, (string?)declared.Attribute("default"));
        Assert.Contains($"@api {property} = '{field}';", script, StringComparison.Ordinal);
        Assert.Equal(field, placed.Element(Md + "value")!.Value);
    }

    [Fact]
    public void ScoreCard_IsExposedForOpportunityRecordPages()
    {
        var meta = XDocument.Load(Path.Combine(Bundle, "sfpScoreCard.js-meta.xml")).Root!;

        Assert.Equal("true", meta.Element(Md + "isExposed")!.Value);
        Assert.Contains(meta.Element(Md + "targets")!.Elements(Md + "target"), t => t.Value == "lightning__RecordPage");
        Assert.Equal(["Opportunity"], meta.Descendants(Md + "object").Select(o => o.Value));
    }

    [Fact]
    public void RecordPage_PlacesTheScoreCardOnOpportunity()
    {
        var page = XDocument.Load(Path.Combine(Repo.SalesforceSource, "flexipages", "SfPredictor_Opportunity_Record_Page.flexipage-meta.xml")).Root!;

        Assert.Equal("Opportunity", page.Element(Md + "sobjectType")!.Value);
        Assert.Equal("RecordPage", page.Element(Md + "type")!.Value);
        Assert.Contains(page.Descendants(Md + "componentName"), c => c.Value == "c:sfpScoreCard");
    }

    [Fact]
    public void ViewerPermissionSet_GrantsEveryApexClassTheCardCalls()
    {
        var script = File.ReadAllText(Path.Combine(Bundle, "sfpScoreCard.js"));
        var called = ApexImport().Matches(script).Select(m => m.Groups[1].Value).Distinct().ToList();
        var viewer = XDocument.Load(Path.Combine(Repo.SalesforceSource, "permissionsets", "SfPredictor_Viewer.permissionset-meta.xml")).Root!;
        var granted = viewer.Elements(Md + "classAccesses")
            .Where(c => c.Element(Md + "enabled")!.Value == "true")
            .Select(c => c.Element(Md + "apexClass")!.Value);

        Assert.NotEmpty(called);
        Assert.All(called, c => Assert.Contains(c, granted));
        Assert.All(called, c => Assert.True(File.Exists(Path.Combine(Repo.SalesforceSource, "classes", c + ".cls")), c));
        Assert.All(called, c => Assert.True(File.Exists(Path.Combine(Repo.SalesforceSource, "classes", c + "Test.cls")), c + "Test"));
    }

    [Fact]
    public void Metadata_ConvertsWithSalesforcesSourceDeployRetrieve()
    {
        var salesforce = Repo.Path("infra", "salesforce");
        Assert.True(
            Directory.Exists(Path.Combine(salesforce, "node_modules", "@salesforce", "source-deploy-retrieve")),
            "infra/salesforce/node_modules is missing: run eng/setup.sh --tests (it runs npm ci there).");
        var output = Directory.CreateTempSubdirectory("sfp-convert-");
        try
        {
            var (exitCode, stdout, stderr) = Run(salesforce, "node", "scripts/convert-check.mjs", output.FullName);

            Assert.True(exitCode == 0, stderr + stdout);
            var components = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Contains("LightningComponentBundle:sfpScoreCard", components);
            Assert.Contains("ApexClass:SfpScoreTimelineController", components);
            Assert.Contains("ApexClass:SfpScoreTimelineControllerTest", components);
            Assert.Contains("FlexiPage:SfPredictor_Opportunity_Record_Page", components);
            Assert.Contains("Flow:SfP_Score_Drop_Follow_Up", components);
            Assert.Contains("PermissionSet:SfPredictor_Viewer", components);
            Assert.All(Defaults.Fields(), f => Assert.Contains($"CustomField:Opportunity.{f.ApiName}", components));
            var package = XDocument.Load(Path.Combine(output.FullName, "package.xml")).Root!;
            Assert.Contains(package.Descendants(Md + "name"), n => n.Value == "LightningComponentBundle");
            // The Jest tests and sample data stay out of a deploy (.forceignore).
            Assert.False(Directory.Exists(Path.Combine(output.FullName, "lwc", "sfpScoreCard", "__tests__")));
            Assert.True(File.Exists(Path.Combine(output.FullName, "lwc", "sfpScoreCard", "sfpScoreCard.js")));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public void Preview_RendersEveryStateInHeadlessChromium_AsANonBlankScreenshot()
    {
        var salesforce = Repo.Path("infra", "salesforce");
        var shot = Path.Combine(Path.GetTempPath(), $"sfp-score-card-{Guid.NewGuid():N}.png");
        try
        {
            var (exitCode, stdout, stderr) = Run(salesforce, "node", "scripts/preview.mjs", "--out", shot);

            Assert.True(exitCode == 0, stderr + stdout);
            using var result = JsonDocument.Parse(stdout);
            var page = result.RootElement;
            Assert.Empty(page.GetProperty("errors").EnumerateArray());
            Assert.Empty(page.GetProperty("external").EnumerateArray());
            var queries = page.GetProperty("queries");
            Assert.Equal(5, queries.GetProperty("cards").GetProperty("count").GetInt32());
            Assert.Equal(["64%", "24%", "12%"], queries.GetProperty("probability").GetProperty("texts").EnumerateArray().Select(t => t.GetString()));
            Assert.Equal(["Not scored yet", "The score could not be loaded."], queries.GetProperty("states").GetProperty("texts").EnumerateArray().Select(t => t.GetString()));
            Assert.Equal(1, queries.GetProperty("timeline").GetProperty("count").GetInt32());

            // The PNG itself: its header's size, and a picture rather than an empty page.
            var png = File.ReadAllBytes(shot);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            Assert.Equal(1300, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
            Assert.InRange(BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)), 600, 4000);
            Assert.InRange(page.GetProperty("nonBackgroundShare").GetDouble(), 0.2, 1);
            Assert.True(page.GetProperty("colours").GetInt32() >= 20, stdout);
        }
        finally
        {
            File.Delete(shot);
        }
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(string directory, string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    [GeneratedRegex(@"from '@salesforce/apex/(\w+)\.\w+'")]
    private static partial Regex ApexImport();
}
