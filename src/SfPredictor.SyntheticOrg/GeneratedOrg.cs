using SfPredictor.Records;
using SfPredictor.SyntheticOrg.Truth;

namespace SfPredictor.SyntheticOrg;

/// <summary>A generated org: the records an export of it holds, and the truth no real org has.</summary>
public sealed class GeneratedOrg
{
    /// <summary>The org's records as of <see cref="OrgTruth.AsOf"/>.</summary>
    public required OrgData Data { get; init; }

    /// <summary>True win probabilities and activity uplifts of the open Opportunities.</summary>
    public required OrgTruth Truth { get; init; }
}
