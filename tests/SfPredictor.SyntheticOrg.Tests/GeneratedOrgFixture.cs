using SfPredictor.Records;
using SfPredictor.SyntheticOrg.Simulation;
using SfPredictor.SyntheticOrg.Truth;

namespace SfPredictor.SyntheticOrg.Tests;

[CollectionDefinition(Name)]
public sealed class GeneratedOrgCollection : ICollectionFixture<GeneratedOrgFixture>
{
    public const string Name = "generated org";
}

/// <summary>One org of 2,000 Opportunities, generated once with its plans kept, and written to a temporary folder.</summary>
public sealed class GeneratedOrgFixture : IDisposable
{
    public GeneratedOrgFixture()
    {
        Options = new SyntheticOrgOptions { Opportunities = 2000, Seed = 11 };
        Simulation = OrgSimulation.Run(Options, keepPlans: true);
        Data = Simulation.ToOrgData();
        Truth = Simulation.ToTruth();
        Folder = Directory.CreateTempSubdirectory("sfp-synthetic-org-").FullName;
        SyntheticOrgGenerator.Write(new GeneratedOrg { Data = Data, Truth = Truth }, Folder);
        Histories = Data.OpportunityHistories
            .GroupBy(h => h.OpportunityId)
            .ToDictionary(g => g.Key, g => g.OrderBy(h => h.CreatedDate).ToList());
    }

    public SyntheticOrgOptions Options { get; }
    internal OrgSimulation Simulation { get; }
    public OrgData Data { get; }
    public OrgTruth Truth { get; }
    public string Folder { get; }
    public DateTimeOffset AsOf => Options.AsOf;

    /// <summary>Each Opportunity's history rows, oldest first.</summary>
    public IReadOnlyDictionary<string, List<OpportunityHistory>> Histories { get; }

    /// <summary>The stage an Opportunity was in at <paramref name="time"/>, from its history.</summary>
    public string StageAt(string opportunityId, DateTimeOffset time) =>
        Histories[opportunityId].Last(h => h.CreatedDate <= time).StageName;

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

/// <summary>A temporary folder, deleted on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("sfp-synthetic-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
