using SfPredictor.Records;
using SfPredictor.SyntheticOrg;

namespace SfPredictor.Training.Tests;

/// <summary>One small generated org shared by the tests of a class (generating it takes a moment).</summary>
public sealed class GeneratedOrgFixture
{
    public GeneratedOrgFixture()
    {
        Org = SyntheticOrgGenerator.Generate(new SyntheticOrgOptions { Opportunities = 3000, Seed = 7 }).Data;
    }

    public OrgData Org { get; }

    /// <summary>
    /// The org with only <paramref name="won"/> won and <paramref name="lost"/> lost closed Opportunities
    /// (the earliest-created ones) and every open one, with their history and activities.
    /// </summary>
    public OrgData WithClosed(int won, int lost)
    {
        var keep = Org.Opportunities.Where(o => !o.IsClosed).ToList();
        keep.AddRange(Org.Opportunities.Where(o => o.IsClosed && o.IsWon).OrderBy(o => o.CreatedDate).Take(won));
        keep.AddRange(Org.Opportunities.Where(o => o.IsClosed && !o.IsWon).OrderBy(o => o.CreatedDate).Take(lost));
        var ids = keep.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        return new OrgData
        {
            Accounts = Org.Accounts,
            Users = Org.Users,
            Opportunities = keep,
            OpportunityHistories = [.. Org.OpportunityHistories.Where(h => ids.Contains(h.OpportunityId))],
            Tasks = Org.Tasks,
            Events = Org.Events,
            ActivityRelations = Org.ActivityRelations,
            Stages = Org.Stages,
            Currencies = Org.Currencies,
            ExtractedAt = Org.ExtractedAt,
        };
    }
}
