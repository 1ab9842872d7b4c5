using SfPredictor.Records;

namespace SfPredictor.Features.Stages;

/// <summary>One stage of the org's sales process.</summary>
/// <param name="Name">Stage value as it appears in StageName.</param>
/// <param name="Position">0-based position in the catalog (open stages in sales order, then closed ones).</param>
/// <param name="DefaultProbability">Default probability in percent, if known.</param>
/// <param name="IsClosed">Whether the stage closes the Opportunity.</param>
/// <param name="IsWon">Whether the stage closes it as won.</param>
public sealed record StageInfo(string Name, int Position, decimal? DefaultProbability, bool IsClosed, bool IsWon);

/// <summary>
/// The org's stages. From <see cref="OrgData.Stages"/> when the source has them; otherwise derived
/// from the stage names and probabilities in OpportunityHistory and on the Opportunities (see
/// <see cref="Derive"/>). Stage names are never hard-coded.
/// </summary>
public sealed class StageCatalog
{
    private readonly Dictionary<string, StageInfo> _byName;

    private StageCatalog(IReadOnlyList<StageInfo> stages, bool derived)
    {
        Stages = stages;
        IsDerived = derived;
        _byName = new Dictionary<string, StageInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var stage in stages)
        {
            _byName.TryAdd(stage.Name, stage);
        }
    }

    /// <summary>The stages, ordered by <see cref="StageInfo.Position"/>.</summary>
    public IReadOnlyList<StageInfo> Stages { get; }

    /// <summary>Whether the catalog was derived from the data rather than read from OpportunityStage.</summary>
    public bool IsDerived { get; }

    /// <summary>The stage of that name (case-insensitive), or null.</summary>
    public StageInfo? Find(string? name) =>
        name is not null && _byName.TryGetValue(name.Trim(), out var stage) ? stage : null;

    /// <summary>The catalog of an org: its OpportunityStage rows, or derived when there are none.</summary>
    public static StageCatalog FromOrg(OrgData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.Stages.Count > 0 ? FromStages(data.Stages, data) : Derive(data);
    }

    /// <summary>
    /// The catalog from OpportunityStage rows, ordered by sort order (open before closed on ties).
    /// Stage names used in the data but missing from the rows (retired values) are appended as derived.
    /// </summary>
    public static StageCatalog FromStages(IReadOnlyList<OpportunityStage> stages, OrgData? data = null)
    {
        ArgumentNullException.ThrowIfNull(stages);
        var ordered = stages
            .Where(s => !string.IsNullOrWhiteSpace(s.Name))
            .DistinctBy(s => s.Name.Trim(), StringComparer.OrdinalIgnoreCase)
            .OrderBy(s => s.IsClosed)
            .ThenBy(s => s.SortOrder)
            .ToList();
        var infos = ordered
            .Select((s, i) => new StageInfo(s.Name.Trim(), i, s.DefaultProbability, s.IsClosed, s.IsWon))
            .ToList();
        if (data is not null)
        {
            var known = new HashSet<string>(infos.Select(s => s.Name), StringComparer.OrdinalIgnoreCase);
            foreach (var extra in DeriveInfos(data).Where(s => !known.Contains(s.Name)))
            {
                infos.Add(extra with { Position = infos.Count });
            }
        }

        return new StageCatalog(infos, derived: false);
    }

    /// <summary>
    /// Derives the catalog from the data: every stage name seen in OpportunityHistory or on an
    /// Opportunity; its default probability is the most frequent probability recorded with it; a stage
    /// is closed when a closed Opportunity currently sits in it (won when that Opportunity is won).
    /// Open stages are ordered by default probability when each has one (ties, or all of them otherwise,
    /// by how early the stage typically comes in an Opportunity's history); closed stages follow, won first.
    /// </summary>
    public static StageCatalog Derive(OrgData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new StageCatalog(DeriveInfos(data), derived: true);
    }

    private static List<StageInfo> DeriveInfos(OrgData data)
    {
        var stats = new Dictionary<string, StageStats>(StringComparer.OrdinalIgnoreCase);
        StageStats Stat(string name)
        {
            var key = name.Trim();
            if (!stats.TryGetValue(key, out var s))
            {
                stats[key] = s = new StageStats(key, stats.Count);
            }

            return s;
        }

        foreach (var group in data.OpportunityHistories
                     .GroupBy(h => h.OpportunityId, SalesforceId.Comparer))
        {
            var rows = group.OrderBy(h => h.CreatedDate).ToList();
            for (var i = 0; i < rows.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(rows[i].StageName))
                {
                    continue;
                }

                var s = Stat(rows[i].StageName);
                s.AddProbability(rows[i].Probability);
                s.RelativePositions.Add(rows.Count == 1 ? 0 : (double)i / (rows.Count - 1));
            }
        }

        foreach (var opportunity in data.Opportunities)
        {
            if (string.IsNullOrWhiteSpace(opportunity.StageName))
            {
                continue;
            }

            var s = Stat(opportunity.StageName);
            s.AddProbability(opportunity.Probability);
            if (opportunity.IsClosed)
            {
                s.ClosedCount++;
                s.WonCount += opportunity.IsWon ? 1 : 0;
            }
            else
            {
                s.OpenCount++;
            }
        }

        // Probabilities order the open stages only when every open stage has one; otherwise a stage
        // without one would land at an arbitrary end, so the typical place in histories decides.
        var candidates = stats.Values
            .Select(s => (Stats: s, Closed: s.ClosedCount > 0 && s.ClosedCount >= s.OpenCount, Probability: s.TypicalProbability))
            .ToList();
        var byProbability = candidates.Where(x => !x.Closed).All(x => x.Probability is not null);
        var infos = candidates
            .OrderBy(x => x.Closed)
            .ThenByDescending(x => x.Closed && x.Stats.WonCount * 2 > x.Stats.ClosedCount)
            .ThenBy(x => byProbability ? x.Probability ?? 0 : 0)
            .ThenBy(x => x.Stats.MedianRelativePosition)
            .ThenBy(x => x.Stats.FirstSeen)
            .Select((x, i) => new StageInfo(
                x.Stats.Name, i, x.Probability, x.Closed, x.Closed && x.Stats.WonCount * 2 > x.Stats.ClosedCount))
            .ToList();
        return infos;
    }

    private sealed class StageStats(string name, int firstSeen)
    {
        private readonly Dictionary<decimal, int> _probabilities = [];

        public string Name { get; } = name;
        public int FirstSeen { get; } = firstSeen;
        public List<double> RelativePositions { get; } = [];
        public int ClosedCount { get; set; }
        public int WonCount { get; set; }
        public int OpenCount { get; set; }

        public decimal? TypicalProbability => _probabilities.Count == 0
            ? null
            : _probabilities.OrderByDescending(p => p.Value).ThenBy(p => p.Key).First().Key;

        public double MedianRelativePosition
        {
            get
            {
                if (RelativePositions.Count == 0)
                {
                    return 1;
                }

                RelativePositions.Sort();
                return RelativePositions[RelativePositions.Count / 2];
            }
        }

        public void AddProbability(decimal? probability)
        {
            if (probability is { } p)
            {
                _probabilities[p] = _probabilities.GetValueOrDefault(p) + 1;
            }
        }
    }
}
