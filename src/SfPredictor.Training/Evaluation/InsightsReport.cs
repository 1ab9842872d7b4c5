using System.Globalization;
using System.Net;
using System.Text;

namespace SfPredictor.Training.Evaluation;

/// <summary>
/// The sales-manager part of the model report (<see cref="SalesInsights"/>): each chart is inline SVG with a
/// text alternative, and plain words under it say what it shows.
/// </summary>
internal static class InsightsReport
{
    private const string Colour = "#1f6feb";
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Append(StringBuilder html, SalesInsights insights)
    {
        html.Append("<h2 id=\"insights\">What the deals say</h2><p class=\"note\">From the closed deals the model learned from and its view of the open ones as of ")
            .Append(insights.AsOf.ToString("yyyy-MM-dd", Invariant)).Append(".</p>\n");
        StageWinRates(html, insights);
        SegmentWinRates(html, insights);
        GainsByStage(html, insights);
        OpenPipeline(html, insights);
    }

    private static void StageWinRates(StringBuilder html, SalesInsights i)
    {
        html.Append("<h3>Win rate by stage</h3>");
        Bars(html, "insight-stage-win-rates", "Share of closed deals won, by the stages they were seen at", [.. i.ByStage.Select(w => (w.Group, w.Share, $"{Percent(w.Share)} of {Count(w.Deals)} deals"))]);
        if (i.ByStage.Count > 0)
        {
            var best = i.ByStage.MaxBy(w => w.Share)!;
            var first = i.ByStage[0];
            html.Append("<p>Of the ").Append(Count(first.Deals)).Append(" closed deals seen in ").Append(E(first.Group)).Append(", ")
                .Append(Percent(first.Share)).Append(" were won. Deals that reached ").Append(E(best.Group)).Append(" were won most often: ")
                .Append(Percent(best.Share)).Append(". A deal counts once in every stage it was seen at.</p>\n");
        }
    }

    private static void SegmentWinRates(StringBuilder html, SalesInsights i)
    {
        html.Append("<h3>Win rate by segment (").Append(E(i.SegmentName.ToLowerInvariant())).Append(")</h3>");
        var shown = i.BySegment.Take(12).ToList();
        Bars(html, "insight-segment-win-rates", $"Share of closed deals won, by {i.SegmentName.ToLowerInvariant()}", [.. shown.Select(w => (w.Group, w.Share, $"{Percent(w.Share)} of {Count(w.Deals)} deals"))]);
        var solid = shown.Where(w => w.Deals >= 20).ToList();
        if (solid.Count >= 2)
        {
            var best = solid.MaxBy(w => w.Share)!;
            var worst = solid.MinBy(w => w.Share)!;
            html.Append("<p>Among segments with at least 20 closed deals, ").Append(E(best.Group)).Append(" wins most often (")
                .Append(Percent(best.Share)).Append(") and ").Append(E(worst.Group)).Append(" least often (").Append(Percent(worst.Share))
                .Append("). Segments with few deals can differ by chance.</p>\n");
        }
        else
        {
            html.Append("<p>Too few closed deals per segment to compare them with confidence.</p>\n");
        }
    }

    private static void GainsByStage(StringBuilder html, SalesInsights i)
    {
        html.Append("<h3>What works in our org, and when</h3><p class=\"note\">The model's average change of the win probability, in points, ")
            .Append("when one more activity of the kind is logged, for the test deals at each stage. Darker blue is a larger gain; red is a loss.</p>");
        if (i.GainsByStage.Count == 0 || i.Kinds.Count == 0)
        {
            html.Append("<p class=\"note\">Nothing to show.</p>\n");
            return;
        }

        var max = Math.Max(1e-9, i.GainsByStage.SelectMany(s => s.Gains).Max(Math.Abs));
        html.Append("<table id=\"insight-gains\"><tr><th>Stage</th>");
        foreach (var kind in i.Kinds)
        {
            html.Append("<th>").Append(E(kind)).Append("</th>");
        }

        html.Append("</tr>");
        foreach (var stage in i.GainsByStage)
        {
            html.Append("<tr><td>").Append(E(stage.Stage)).Append("</td>");
            foreach (var gain in stage.Gains)
            {
                // Cell shade grows with the gain; text stays dark enough to read on the lightest and white on the darkest.
                var strength = Math.Abs(gain) / max;
                var background = gain >= 0 ? $"rgba(31,111,235,{(0.08 + (0.82 * strength)).ToString("0.00", Invariant)})" : $"rgba(207,34,46,{(0.08 + (0.62 * strength)).ToString("0.00", Invariant)})";
                var text = strength > 0.55 ? "#fff" : "#1f2328";
                html.Append("<td style=\"background:").Append(background).Append(";color:").Append(text).Append("\">").Append(Points(gain)).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</table>");
        var lines = i.GainsByStage
            .Select(s => (s.Stage, Best: s.Gains.Select((g, k) => (Gain: g, Kind: i.Kinds[k])).MaxBy(x => x.Gain)))
            .Where(x => x.Best.Gain > 0.001)
            .Select(x => $"in {E(x.Stage)}, {E(x.Best.Kind)} ({Points(x.Best.Gain)} points)")
            .ToList();
        html.Append("<p>").Append(lines.Count == 0
            ? "In no stage does one more activity raise the chance by more than a tenth of a point on average."
            : "The activity that helps most: " + string.Join("; ", lines) + ".").Append(" This is the model's view, learned from past deals; it is not proof that an activity causes wins.</p>\n");
    }

    private static void OpenPipeline(StringBuilder html, SalesInsights i)
    {
        var deals = i.OpenPipeline.Sum(b => b.Deals);
        var expected = i.OpenPipeline.Sum(b => b.ExpectedWins);
        html.Append("<h3>Open pipeline by win probability</h3>");
        if (deals == 0)
        {
            html.Append("<p>No deal was open on ").Append(i.AsOf.ToString("yyyy-MM-dd", Invariant)).Append(".</p>\n");
            return;
        }

        const double width = 600, height = 160, top = 16, bottom = 20;
        var max = Math.Max(1, i.OpenPipeline.Max(b => b.Deals));
        var step = width / i.OpenPipeline.Count;
        var svg = new StringBuilder();
        svg.Append(Invariant, $"<svg id=\"insight-pipeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height + top + bottom}\" font-size=\"11\" role=\"img\" aria-label=\"{Count(deals)} open deals by win probability band; about {expected:0} expected wins\">");
        foreach (var (band, index) in i.OpenPipeline.Select((b, k) => (b, k)))
        {
            var h = band.Deals / (double)max * height;
            var x = (index * step) + 3;
            svg.Append(Invariant, $"<rect x=\"{x:0.#}\" y=\"{top + height - h:0.#}\" width=\"{step - 6:0.#}\" height=\"{h:0.#}\" fill=\"{Colour}\"><title>{Band(band)}: {Count(band.Deals)} deals, {band.ExpectedWins:0.0} expected wins</title></rect>");
            svg.Append(Invariant, $"<text x=\"{x + ((step - 6) / 2):0.#}\" y=\"{top + height - h - 3:0.#}\" text-anchor=\"middle\">{Count(band.Deals)}</text>");
            svg.Append(Invariant, $"<text x=\"{x + ((step - 6) / 2):0.#}\" y=\"{top + height + 14:0.#}\" text-anchor=\"middle\">{Band(band)}</text>");
        }

        html.Append(svg).Append("</svg><table id=\"insight-pipeline-table\"><tr><th>Win probability</th><th>Open deals</th><th>Expected wins</th></tr>");
        foreach (var band in i.OpenPipeline)
        {
            html.Append("<tr><td>").Append(Band(band)).Append("</td><td>").Append(Count(band.Deals)).Append("</td><td>")
                .Append(band.ExpectedWins.ToString("0.0", Invariant)).Append("</td></tr>");
        }

        var low = i.OpenPipeline.Where(b => b.To <= 0.3).Sum(b => b.Deals);
        var high = i.OpenPipeline.Where(b => b.From >= 0.7).ToList();
        html.Append("<tr><th>All</th><th>").Append(Count(deals)).Append("</th><th>").Append(expected.ToString("0.0", Invariant)).Append("</th></tr></table>")
            .Append("<p>Of the ").Append(Count(deals)).Append(" open deals, the model expects about ").Append(expected.ToString("0", Invariant))
            .Append(" to be won (the sum of their probabilities). ").Append(Count(low)).Append(" have less than a 30 % chance; ")
            .Append(Count(high.Sum(b => b.Deals))).Append(" have 70 % or more and should bring about ").Append(high.Sum(b => b.ExpectedWins).ToString("0", Invariant))
            .Append(" wins.</p>\n");
    }

    private static void Bars(StringBuilder html, string id, string description, IReadOnlyList<(string Label, double Value, string Text)> bars)
    {
        if (bars.Count == 0)
        {
            html.Append("<p class=\"note\">Nothing to show.</p>\n");
            return;
        }

        const int labelWidth = 220, barWidth = 300, rowHeight = 22;
        var svg = new StringBuilder();
        svg.Append(Invariant, $"<svg id=\"{id}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{labelWidth + barWidth + 200}\" height=\"{(bars.Count * rowHeight) + 6}\" font-size=\"12\" role=\"img\" aria-label=\"{E(description)}\">");
        for (var k = 0; k < bars.Count; k++)
        {
            var y = (k * rowHeight) + 3;
            svg.Append(Invariant, $"<text x=\"{labelWidth - 6}\" y=\"{y + 14}\" text-anchor=\"end\">{E(bars[k].Label)}</text>");
            svg.Append(Invariant, $"<rect x=\"{labelWidth}\" y=\"{y + 3}\" width=\"{Math.Max(0.5, bars[k].Value * barWidth):0.#}\" height=\"{rowHeight - 8}\" fill=\"{Colour}\"/>");
            svg.Append(Invariant, $"<text x=\"{labelWidth + barWidth + 6}\" y=\"{y + 14}\">{E(bars[k].Text)}</text>");
        }

        html.Append(svg).Append("</svg>\n");
    }

    private static string Band(PipelineBand band) => $"{band.From * 100:0}–{band.To * 100:0} %";

    private static string Points(double probabilityChange)
    {
        var points = probabilityChange * 100;
        return (points >= 0 ? "+" : "\u2212") + Math.Abs(points).ToString("0.0", Invariant);
    }

    private static string Percent(double share) => (share * 100).ToString("0", Invariant) + " %";

    private static string Count(int value) => value.ToString("N0", Invariant);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
