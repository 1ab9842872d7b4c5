using SfPredictor.Recommendations.Explanations;

namespace SfPredictor.Recommendations.Tests;

[Collection(TrainedOrgCollection.Name)]
public sealed class BatchLayoutTests(TrainedOrgFixture fixture)
{
    [Fact]
    public void Positions_BlocksFollowEachOther()
    {
        var layout = new BatchLayout(Width: 10, Kinds: 4, Groups: 3);

        Assert.Equal(8, layout.RowsPerOpportunity);
        Assert.Equal(16, layout.Rows(2));
        Assert.Equal(8, layout.BaseRow(1));
        Assert.Equal(9, layout.KindRow(1, 0));
        Assert.Equal(12, layout.KindRow(1, 3));
        Assert.Equal(13, layout.GroupRow(1, 0));
        Assert.Equal(15, layout.GroupRow(1, 2));
    }

    [Fact]
    public void WriteRows_Replacement_HoldsBaseThenCounterfactualsThenReferenceReplacements()
    {
        var recommender = fixture.Recommender(new RecommendationOptions { DisabledKinds = ["Email"], Explanations = ExplanationMethod.Replacement });
        var schema = fixture.Builder.Schema;
        var width = schema.Width;
        var groups = FactorGroup.For(schema);
        var layout = new BatchLayout(width, schema.ActivityKinds.Count - 1, groups.Count);
        Assert.Equal(layout.RowsPerOpportunity, recommender.RowsPerOpportunity);
        var rows = new float[layout.Rows(2) * width];
        var opportunity = fixture.Open[3];

        recommender.WriteRows(opportunity, fixture.AsOf, rows, slot: 1);

        var expected = new float[width];
        fixture.Builder.Build(opportunity, fixture.AsOf, expected);
        Assert.Equal(expected, layout.Row(rows, layout.BaseRow(1)).ToArray());
        Assert.All(rows[..(layout.RowsPerOpportunity * width)], v => Assert.Equal(0, v));
        var enabled = schema.ActivityKinds.Where(k => k != "Email").ToList();
        for (var e = 0; e < enabled.Count; e++)
        {
            var counterfactual = (float[])expected.Clone();
            schema.ApplyActivity(counterfactual, schema.ActivityKindIndex(enabled[e]));
            Assert.Equal(counterfactual, layout.Row(rows, layout.KindRow(1, e)).ToArray());
        }

        for (var g = 0; g < groups.Count; g++)
        {
            var replaced = (float[])expected.Clone();
            foreach (var c in groups[g].Columns)
            {
                replaced[c] = fixture.Reference.Values[c];
            }

            Assert.Equal(replaced, layout.Row(rows, layout.GroupRow(1, g)).ToArray());
        }
    }

    [Fact]
    public void WriteRows_TreePath_HoldsBaseThenCounterfactualsOnly()
    {
        var recommender = fixture.Recommender(new RecommendationOptions { DisabledKinds = ["Email"] });
        var schema = fixture.Builder.Schema;
        var layout = new BatchLayout(schema.Width, schema.ActivityKinds.Count - 1, Groups: 0);
        var rows = new float[(layout.Rows(2) + 1) * schema.Width];
        Array.Fill(rows, -7f);

        recommender.WriteRows(fixture.Open[3], fixture.AsOf, rows, slot: 1);

        Assert.Equal(layout.RowsPerOpportunity, recommender.RowsPerOpportunity);
        Assert.All(rows[(layout.Rows(2) * schema.Width)..], v => Assert.Equal(-7f, v));
    }

    [Fact]
    public void Constructor_NoFactorsWanted_ScoresNoExplanationRows()
    {
        var recommender = fixture.Recommender(new RecommendationOptions { MaxFactors = 0 });

        var results = recommender.Recommend(fixture.Open, fixture.AsOf);

        Assert.Equal(1 + fixture.Builder.Schema.ActivityKinds.Count, recommender.RowsPerOpportunity);
        Assert.All(results, r => Assert.Empty(r.TopFactors));
    }
}
