using System.Xml.Linq;
using SfPredictor.Worker.AdminSettings;

namespace SfPredictor.Infra.Tests;

public class ActivityKindMetadataTests
{
    private static readonly XNamespace Md = Repo.Metadata;

    [Fact]
    public void ActivityKindType_HasExactlyTheFieldsTheWorkerReads_AndTheIntegrationUserMayReadIt()
    {
        var deployed = Directory.EnumerateFiles(Path.Combine(Repo.SalesforceSource, "objects", ActivityKindMetadata.TypeName, "fields"), "*.field-meta.xml")
            .Select(f => XDocument.Load(f).Root!.Element(Md + "fullName")!.Value)
            .Order(StringComparer.Ordinal);
        var set = XDocument.Load(Path.Combine(Repo.SalesforceSource, "permissionsets", "SfPredictor_Integration.permissionset-meta.xml")).Root!;

        Assert.Equal(ActivityKindMetadata.Fields.Order(StringComparer.Ordinal), deployed);
        Assert.Contains(set.Elements(Md + "customMetadataTypeAccesses"), e => e.Element(Md + "name")!.Value == ActivityKindMetadata.TypeName);
    }
}
