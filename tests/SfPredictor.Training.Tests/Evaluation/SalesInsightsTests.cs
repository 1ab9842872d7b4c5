using System.Globalization;
using System.Text.RegularExpressions;
using SfPredictor.Features;
using SfPredictor.Features.Indexing;

namespace SfPredictor.Training.Tests.Evaluation;

public sealed partial class SalesInsightsTests(GeneratedOrgFixture fixture) : IClassFixture<GeneratedOrgFixture>
{
    [Fact]
    public void Train_GeneratedOrg_ReportExplainsStagesSegmentsActivitiesAndTheOpenPipeline()
    {
        var org = fixture.Org;
        var asOf = org.ExtractedAt!.Value;
        var html = new TrainingPipeline(new TrainingOptions { Threads = 2 }).Train(org, asOf).ReportHtml;

        // Each insight is a chart with a text alternative and plain words under it.
        foreach (var id in (string[])["insight-stage-win-rates", "insight-segment-win-rates", "insight-gains", "insight-pipeline"])
        {
            Assert.Contains($"id=\"{id}\"", html, StringComparison.Ordinal);
        }

        Assert.Contains("were won most often", html, StringComparison.Ordinal);
        Assert.Contains("The activity that helps most: in ", html, StringComparison.Ordinal);
        Assert.Contains("the model expects about", html, StringComparison.Ordinal);

        // The largest segment's win rate, counted by hand from the closed deals.
        var industries = org.Accounts.ToDictionary(a => a.Id, a => a.Industry, StringComparer.Ordinal);
        var largest = org.Opportunities.Where(o => o.IsClosed && o.CreatedDate <= asOf)
            .GroupBy(o => industries.GetValueOrDefault(o.AccountId ?? "") ?? "(no industry)", StringComparer.Ordinal)
            .MaxBy(g => g.Count())!;
        var share = (largest.Count(o => o.IsWon) / (double)largest.Count() * 100).ToString("0", CultureInfo.InvariantCulture);
        Assert.Contains($">{largest.Key}</text>", html, StringComparison.Ordinal);
        Assert.Contains($"{share} % of {largest.Count():N0} deals", html, StringComparison.Ordinal);

        // Every deal open at the time is in one band, and the expected wins are between none and all of them.
        var open = new OrgIndex(org, new FeatureOptions()).OpenAt(asOf).Length;
        var total = PipelineTotal().Match(html);
        Assert.True(total.Success, "no total row in the pipeline table");
        Assert.Equal(open, int.Parse(total.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
        Assert.InRange(double.Parse(total.Groups[2].Value, CultureInfo.InvariantCulture), 0.5, open);
    }

    [GeneratedRegex(@"<tr><th>All</th><th>([\d,]+)</th><th>([\d.]+)</th></tr>")]
    private static partial Regex PipelineTotal();
}
