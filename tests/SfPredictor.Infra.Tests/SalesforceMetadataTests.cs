using System.Globalization;
using System.Xml.Linq;
using SfPredictor.Worker.AdminSettings;
using SfPredictor.Worker.Scheduling;
using SfPredictor.Worker.WriteBack;

namespace SfPredictor.Infra.Tests;

public class SalesforceMetadataTests
{
    private static readonly XNamespace Md = Repo.Metadata;
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";
    private static readonly WriteBackOptions Defaults = new();

    public static TheoryData<string> MetadataFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Repo.SalesforceSource, "*-meta.xml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(Repo.SalesforceSource, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MetadataFiles))]
    public void MetadataFile_Parses_AsMetadataApiXml(string relativePath)
    {
        var document = XDocument.Load(Path.Combine(Repo.SalesforceSource, relativePath));

        Assert.Equal(Md, document.Root!.Name.Namespace);
    }

    [Fact]
    public void OpportunityFields_MatchTheWorkersWriteBackDefaults_ByNameAndType()
    {
        var deployed = Directory.EnumerateFiles(Path.Combine(Repo.SalesforceSource, "objects", "Opportunity", "fields"), "*.field-meta.xml")
            .Select(XDocument.Load)
            .ToDictionary(d => Value(d.Root!, "fullName"), d => Value(d.Root!, "type"), StringComparer.Ordinal);
        var expected = Defaults.Fields().ToDictionary(f => f.ApiName, f => f.MetadataType, StringComparer.Ordinal);

        Assert.Equal(expected.OrderBy(p => p.Key), deployed.OrderBy(p => p.Key));
    }

    [Fact]
    public void OpportunityFields_HaveTheSizesTheLocalOrgDeclares()
    {
        var deployed = Directory.EnumerateFiles(Path.Combine(Repo.SalesforceSource, "objects", "Opportunity", "fields"), "*.field-meta.xml")
            .Select(XDocument.Load)
            .ToDictionary(d => Value(d.Root!, "fullName"), d => Size(d.Root!), StringComparer.Ordinal);

        Assert.All(Defaults.Fields(), f => Assert.Equal(f.Size, deployed[f.ApiName]));

        static string Size(XElement field) =>
            field.Element(Md + "length") is { } length ? $"({length.Value})"
            : field.Element(Md + "precision") is { } precision ? $"({precision.Value},{field.Element(Md + "scale")?.Value ?? "0"})"
            : "";
    }

    [Fact]
    public void OpportunityFieldFiles_AreNamedAfterTheirFullName()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Repo.SalesforceSource, "objects", "Opportunity", "fields")))
        {
            Assert.Equal(Path.GetFileName(file), Value(XDocument.Load(file).Root!, "fullName") + ".field-meta.xml");
        }
    }

    [Fact]
    public void SettingsType_HasExactlyTheFieldsTheWorkerReads()
    {
        var deployed = Directory.EnumerateFiles(Path.Combine(Repo.SalesforceSource, "objects", AdminSettingsMetadata.TypeName, "fields"), "*.field-meta.xml")
            .Select(f => Value(XDocument.Load(f).Root!, "fullName"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(AdminSettingsMetadata.Fields.Order(StringComparer.Ordinal), deployed);
    }

    [Fact]
    public void DefaultSettingsRecord_CarriesTheWorkersDefaults()
    {
        var typeName = AdminSettingsMetadata.TypeName[..^"__mdt".Length];
        var record = XDocument.Load(Path.Combine(Repo.SalesforceSource, "customMetadata", $"{typeName}.{AdminSettingsMetadata.DefaultRecord}.md-meta.xml"));
        var values = record.Root!.Elements(Md + "values").ToDictionary(
            v => v.Element(Md + "field")!.Value,
            v => v.Element(Md + "value")!.Attribute(Xsi + "nil")?.Value == "true" ? null : v.Element(Md + "value")!.Value);
        var schedules = new ScheduleOptions();

        Assert.Equal(AdminSettingsMetadata.Fields.Order(StringComparer.Ordinal), values.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(schedules.ScoreCron, values[AdminSettingsMetadata.ScoreCron]);
        Assert.Equal(schedules.FullRescoreCron, values[AdminSettingsMetadata.FullRescoreCron]);
        Assert.Equal(schedules.RetrainCron, values[AdminSettingsMetadata.RetrainCron]);
        Assert.Equal(Defaults.MinProbabilityChangePoints, double.Parse(values[AdminSettingsMetadata.MinProbabilityChange]!, CultureInfo.InvariantCulture));
        Assert.Equal("true", values[AdminSettingsMetadata.WriteBackEnabled]);
        Assert.Null(values[AdminSettingsMetadata.DisabledActivityKinds]);
    }

    [Fact]
    public void IntegrationPermissionSet_EditsExactlyTheWrittenFields()
    {
        var permissions = FieldPermissions("SfPredictor_Integration");
        var written = Defaults.Fields().Select(f => "Opportunity." + f.ApiName).Order(StringComparer.Ordinal);

        Assert.Equal(written, permissions.Where(p => p.Editable).Select(p => p.Field).Order(StringComparer.Ordinal));
        Assert.All(permissions, p => Assert.True(p.Readable));
    }

    [Fact]
    public void IntegrationPermissionSet_CannotCreateOrDeleteAnything()
    {
        var set = XDocument.Load(PermissionSetPath("SfPredictor_Integration")).Root!;

        foreach (var objectPermission in set.Elements(Md + "objectPermissions"))
        {
            Assert.Equal("false", Value(objectPermission, "allowCreate"));
            Assert.Equal("false", Value(objectPermission, "allowDelete"));
            Assert.Equal("false", Value(objectPermission, "modifyAllRecords"));
        }

        Assert.Contains(set.Elements(Md + "customMetadataTypeAccesses"), e => Value(e, "name") == AdminSettingsMetadata.TypeName);
    }

    [Fact]
    public void ViewerPermissionSet_ReadsEveryWrittenFieldAndEditsNone()
    {
        var permissions = FieldPermissions("SfPredictor_Viewer");

        Assert.Equal(
            Defaults.Fields().Select(f => "Opportunity." + f.ApiName).Order(StringComparer.Ordinal),
            permissions.Select(p => p.Field).Order(StringComparer.Ordinal));
        Assert.All(permissions, p => Assert.False(p.Editable));
    }

    [Fact]
    public void Layout_ShowsEveryWrittenField()
    {
        var layout = XDocument.Load(Directory.EnumerateFiles(Path.Combine(Repo.SalesforceSource, "layouts")).Single());
        var shown = layout.Descendants(Md + "field").Select(f => f.Value).ToHashSet(StringComparer.Ordinal);

        Assert.All(Defaults.Fields(), f => Assert.Contains(f.ApiName, shown));
    }

    [Fact]
    public void ScoreDropFlow_ReactsToAChangedProbabilityOfAnOpenDeal()
    {
        var flow = ScoreDropFlow();
        var start = flow.Element(Md + "start")!;

        Assert.Equal("Opportunity", Value(start, "object"));
        Assert.Equal("RecordAfterSave", Value(start, "triggerType"));
        Assert.Contains(start.Elements(Md + "filters"), f => Value(f, "field") == Defaults.ProbabilityField && Value(f, "operator") == "IsChanged");
        Assert.Contains(start.Elements(Md + "filters"), f => Value(f, "field") == "IsClosed" && f.Descendants(Md + "booleanValue").Single().Value == "false");
        Assert.Contains($"{{!$Record__Prior.{Defaults.ProbabilityField}}} - {{!$Record.{Defaults.ProbabilityField}}}", flow.ToString(), StringComparison.Ordinal);
        Assert.Contains(Defaults.TopFactorsField, flow.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ScoreDropFlow_ThresholdsAreConstantsOfTheFlow_TenPointsByDefault()
    {
        var flow = ScoreDropFlow();
        var constants = flow.Elements(Md + "constants").ToDictionary(c => Value(c, "name"), c => double.Parse(c.Descendants(Md + "numberValue").Single().Value, CultureInfo.InvariantCulture));
        var bigDrop = flow.Elements(Md + "decisions").Single(d => Value(d, "name") == "Is_Big_Drop").Descendants(Md + "conditions").ToList();

        Assert.Equal(10.0, constants["DropThresholdPoints"]);
        Assert.True(constants["MinimumAmount"] > 0);
        Assert.Contains(bigDrop, c => Value(c, "leftValueReference") == "DropPoints" && Value(c, "operator") == "GreaterThanOrEqualTo" && c.Descendants(Md + "elementReference").Single().Value == "DropThresholdPoints");
        Assert.Contains(bigDrop, c => Value(c, "leftValueReference") == "$Record.Amount" && c.Descendants(Md + "elementReference").Single().Value == "MinimumAmount");
    }

    [Fact]
    public void ScoreDropFlow_CreatesAnOwnerTaskEmailsTheManagerAndIsInactive()
    {
        var flow = ScoreDropFlow();
        var task = flow.Elements(Md + "recordCreates").Single();
        var email = flow.Elements(Md + "actionCalls").Single();

        Assert.Equal("Draft", Value(flow, "status"));
        Assert.Equal("Task", Value(task, "object"));
        Assert.Contains(task.Elements(Md + "inputAssignments"), a => Value(a, "field") == "OwnerId" && a.Descendants(Md + "elementReference").Single().Value == "$Record.OwnerId");
        Assert.Equal("emailSimple", Value(email, "actionType"));
        Assert.Contains(email.Elements(Md + "inputParameters"), p => Value(p, "name") == "emailAddresses" && p.Descendants(Md + "elementReference").Single().Value == "$Record.Owner.Manager.Email");

        // Every connector leads to an element of the flow.
        var names = flow.Elements().Select(e => e.Element(Md + "name")?.Value).OfType<string>().ToHashSet(StringComparer.Ordinal);
        Assert.All(flow.Descendants(Md + "targetReference"), t => Assert.Contains(t.Value, names));
    }

    private static XElement ScoreDropFlow() =>
        XDocument.Load(Path.Combine(Repo.SalesforceSource, "flows", "SfP_Score_Drop_Follow_Up.flow-meta.xml")).Root!;

    private static List<(string Field, bool Editable, bool Readable)> FieldPermissions(string permissionSet) =>
        XDocument.Load(PermissionSetPath(permissionSet)).Root!.Elements(Md + "fieldPermissions")
            .Select(e => (Value(e, "field"), Value(e, "editable") == "true", Value(e, "readable") == "true"))
            .ToList();

    private static string PermissionSetPath(string name) =>
        Path.Combine(Repo.SalesforceSource, "permissionsets", $"{name}.permissionset-meta.xml");

    private static string Value(XElement element, string child) =>
        element.Element(Md + child)?.Value ?? throw new InvalidOperationException($"<{child}> missing in <{element.Name.LocalName}>.");
}
