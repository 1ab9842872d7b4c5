namespace SfPredictor.Recommendations;

/// <summary>
/// Where the rows of one Opportunity sit in a batch: its block holds the Opportunity as it is, then one
/// row per enabled activity kind (one more such activity now), then one row per explanation group
/// (that aspect replaced by the reference) when factors are measured by replacement; tree-path
/// explanations need no rows (<see cref="Groups"/> is 0). Blocks follow each other, so a batch of n
/// Opportunities is n × <see cref="RowsPerOpportunity"/> rows scored in one call.
/// </summary>
internal readonly record struct BatchLayout(int Width, int Kinds, int Groups)
{
    public int RowsPerOpportunity => 1 + Kinds + Groups;

    public int Rows(int opportunities) => opportunities * RowsPerOpportunity;

    public int BaseRow(int opportunity) => opportunity * RowsPerOpportunity;

    public int KindRow(int opportunity, int kind) => BaseRow(opportunity) + 1 + kind;

    public int GroupRow(int opportunity, int group) => BaseRow(opportunity) + 1 + Kinds + group;

    public Span<float> Row(Span<float> rows, int row) => rows.Slice(row * Width, Width);
}
