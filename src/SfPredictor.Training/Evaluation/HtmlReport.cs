using System.Globalization;
using System.Net;
using System.Text;

namespace SfPredictor.Training.Evaluation;

/// <summary>A fact shown at the top of the report, e.g. ("Data as of", "2026-10-01").</summary>
/// <param name="Label">What it is.</param>
/// <param name="Value">Its value.</param>
internal sealed record ReportFact(string Label, string Value);

/// <summary>
/// Renders an <see cref="EvaluationResult"/> as one self-contained HTML page (inline CSS and SVG, no
/// scripts, nothing fetched) written for sales operations rather than data scientists.
/// </summary>
internal static class HtmlReport
{
    private const string ModelColour = "#1f6feb";
    private const string BaselineColour = "#8b949e";

    public static string Render(string title, IReadOnlyList<ReportFact> facts, EvaluationResult result, SalesInsights? insights = null)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<title>").Append(Encode(title)).Append("</title><style>")
            .Append("body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#1f2328;line-height:1.5}")
            .Append("h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #d0d7de}")
            .Append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #d0d7de;padding:4px 10px;text-align:right}")
            .Append("th:first-child,td:first-child{text-align:left}.note{color:#59636e;font-size:.9em}")
            .Append(".summary{background:#f6f8fa;border-left:4px solid ").Append(ModelColour).Append(";padding:.5em 1em}")
            .Append("</style></head><body>\n");
        html.Append("<h1>").Append(Encode(title)).Append("</h1>\n<table>");
        foreach (var fact in facts)
        {
            html.Append("<tr><th>").Append(Encode(fact.Label)).Append("</th><td>").Append(Encode(fact.Value)).Append("</td></tr>");
        }

        html.Append("</table>\n");
        Summary(html, result);
        Headline(html, result);
        Roc(html, result);
        Calibration(html, result);
        Lift(html, result);
        Stages(html, result);
        Importance(html, result);
        Activities(html, result);
        if (insights is not null)
        {
            InsightsReport.Append(html, insights);
        }

        Glossary(html);
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void Summary(StringBuilder html, EvaluationResult r)
    {
        html.Append("<div class=\"summary\"><p>The model was tested on ")
            .Append(Count(r.Model.Rows)).Append(" snapshots of ").Append(Count(r.TestOpportunities))
            .Append(" deals (").Append(Encode(r.Holdout)).Append("), after learning from ")
            .Append(Count(r.TrainOpportunities)).Append(" earlier deals.</p><p>");
        if (double.IsFinite(r.Model.Auc))
        {
            html.Append("Given one deal that was later won and one that was lost, the model gave the won deal the higher probability ")
                .Append(Percent(r.Model.Auc)).Append(" of the time. Using the stage alone, the same comparison came out right ")
                .Append(Percent(r.Baseline.Auc)).Append(" of the time (50 % would be a coin toss).");
        }
        else
        {
            html.Append("All test deals had the same outcome, so the ranking quality (AUC) cannot be measured.");
        }

        html.Append("</p>");
        if (double.IsFinite(r.Model.Ece))
        {
            html.Append("<p>Grouping the test snapshots by their predicted probability (0–10 %, 10–20 %, …), the predicted and the actual win rate of a group differ by ")
                .Append(Num(r.Model.Ece * 100, 1)).Append(" percentage points on average, weighted by the group's size (expected calibration error; stage only: ")
                .Append(Num(r.Baseline.Ece * 100, 1)).Append("; see the reliability diagram).</p>");
        }

        html.Append("</div>\n");
    }

    private static void Headline(StringBuilder html, EvaluationResult r)
    {
        html.Append("<h2>Headline numbers</h2><table><tr><th>Measure</th><th>Model</th><th>Stage only</th><th>What it means</th></tr>");
        Row(html, "AUC", r.Model.Auc, r.Baseline.Auc, 3, "Chance a won deal scores above a lost one. 0.5 = guessing, 1 = perfect. Higher is better.");
        Row(html, "Log loss", r.Model.LogLoss, r.Baseline.LogLoss, 3, "Penalises confident mistakes. Lower is better.");
        Row(html, "Brier score", r.Model.Brier, r.Baseline.Brier, 3, "Average squared gap between probability and outcome (0 = perfect). Lower is better.");
        Row(html, "Calibration error (ECE)", r.Model.Ece, r.Baseline.Ece, 3, "How far the percentages are from the win rates they predict, on average (0 = exact). Lower is better.");
        var threshold = Percent(r.Model.Threshold);
        Row(html, "Accuracy", r.Model.Accuracy, r.Baseline.Accuracy, 3, $"Share of deals called right when \"{threshold} or more\" means \"will win\".");
        Row(html, "Precision", r.Model.Precision, r.Baseline.Precision, 3, "Of the deals called \"will win\", the share that was won.");
        Row(html, "Recall", r.Model.Recall, r.Baseline.Recall, 3, "Of the deals that were won, the share called \"will win\".");
        Row(html, "F1", r.Model.F1, r.Baseline.F1, 3, "Balance of precision and recall (higher is better).");
        html.Append("</table><p class=\"note\">Win rate among the test snapshots: ").Append(Percent(r.Model.WinRate)).Append(".</p>\n");
    }

    private static void Row(StringBuilder html, string name, double model, double baseline, int digits, string meaning) =>
        html.Append("<tr><td>").Append(name).Append("</td><td>").Append(Num(model, digits)).Append("</td><td>")
            .Append(Num(baseline, digits)).Append("</td><td style=\"text-align:left\">").Append(Encode(meaning)).Append("</td></tr>");

    private static void Roc(StringBuilder html, EvaluationResult r)
    {
        html.Append("<h2>How well the model ranks deals (ROC curve)</h2><p>Walk down the list of deals from the highest ")
            .Append("probability to the lowest. The curve shows how many of the won deals (up) you have passed for each share of the ")
            .Append("lost deals (right). A curve hugging the top-left corner ranks well; the dotted diagonal is guessing.</p>");
        var chart = new Chart(360, 360);
        chart.Axes("share of lost deals", "share of won deals", 1, 1);
        chart.Line([(0, 0), (1, 1)], "#d0d7de", dashed: true);
        chart.Line([.. r.BaselineRoc.Select(p => (p.FalsePositiveRate, p.TruePositiveRate))], BaselineColour, dashed: true);
        chart.Line([.. r.Roc.Select(p => (p.FalsePositiveRate, p.TruePositiveRate))], ModelColour, dashed: false);
        html.Append(chart.Close()).Append(Legend());
    }

    private static void Calibration(StringBuilder html, EvaluationResult r)
    {
        html.Append("<h2>Can the percentages be taken literally? (reliability diagram)</h2><p>The test snapshots are put into ten ")
            .Append("bins by predicted probability (0–10 %, 10–20 %, …). For each bin: the average prediction (across) and the share ")
            .Append("actually won (up); the bars at the bottom show how many snapshots fell in the bin. Points on the diagonal mean ")
            .Append("\"a 30 % deal wins 30 % of the time\"; a point resting on few snapshots can stray by chance.</p>");
        var chart = new Chart(360, 360);
        chart.Axes("predicted win probability", "share actually won", 1, 1);
        chart.Line([(0, 0), (1, 1)], "#d0d7de", dashed: true);
        var most = r.Calibration.Select(b => b.Rows).DefaultIfEmpty(0).Max();
        foreach (var bin in r.Calibration.Where(b => b.Rows > 0))
        {
            // Counts drawn as bars up to a quarter of the height, so they never hide the points.
            chart.Bar(bin.Bin - 1, r.Calibration.Count, 0.25 * bin.Rows / most, "#d8e6fb");
        }

        var points = r.Calibration.Where(b => b.Rows > 0).Select(b => (b.MeanPredicted, b.ObservedWinRate)).ToArray();
        chart.Line(points, ModelColour, dashed: false);
        chart.Dots(points, ModelColour);
        html.Append(chart.Close());
        html.Append("<table><tr><th>Predicted</th><th>Snapshots</th><th>Average prediction</th><th>Actually won</th><th>Gap (points)</th></tr>");
        foreach (var bin in r.Calibration)
        {
            html.Append("<tr><td>").Append(Percent(bin.Lower)).Append(" – ").Append(Percent(bin.Upper)).Append("</td><td>").Append(Count(bin.Rows)).Append("</td><td>")
                .Append(Percent(bin.MeanPredicted)).Append("</td><td>").Append(Percent(bin.ObservedWinRate)).Append("</td><td>")
                .Append(Num((bin.ObservedWinRate - bin.MeanPredicted) * 100, 1)).Append("</td></tr>");
        }

        html.Append("</table><p class=\"note\">Expected calibration error (the gaps weighted by snapshots): ")
            .Append(Num(r.Model.Ece, 3)).Append("; stage only ").Append(Num(r.Baseline.Ece, 3)).Append(".</p>\n");
    }

    private static void Lift(StringBuilder html, EvaluationResult r)
    {
        html.Append("<h2>Where the wins are (lift by tenth)</h2><p>The test snapshots ranked by predicted probability, ")
            .Append("highest first, in ten equal groups. A bar of 2 means the group wins twice as often as the average deal.</p>");
        // Round the axis up to a whole half so the tick labels are plain numbers.
        var highest = r.Lift.Select(l => double.IsFinite(l.Lift) ? l.Lift : 0).DefaultIfEmpty(1).Max();
        var max = Math.Max(1.5, Math.Ceiling(highest * 2) / 2);
        var chart = new Chart(480, 240);
        chart.Axes("tenth of deals (1 = highest predictions)", "lift", 10, max, xTicksAsIndex: true, yTicks: (int)Math.Round(max * 2));
        foreach (var bin in r.Lift)
        {
            chart.Bar(bin.Decile - 1, 10, double.IsFinite(bin.Lift) ? bin.Lift : 0, ModelColour);
        }

        chart.Line([(0, 1), (10, 1)], BaselineColour, dashed: true);
        html.Append(chart.Close());
        html.Append("<table><tr><th>Tenth</th><th>Snapshots</th><th>Won</th><th>Lift</th><th>Share of all wins so far</th></tr>");
        foreach (var bin in r.Lift)
        {
            html.Append("<tr><td>").Append(bin.Decile).Append("</td><td>").Append(Count(bin.Rows)).Append("</td><td>")
                .Append(Percent(bin.WinRate)).Append("</td><td>").Append(Num(bin.Lift, 2)).Append("</td><td>")
                .Append(Percent(bin.CumulativeWinShare)).Append("</td></tr>");
        }

        html.Append("</table>\n");
    }

    private static void Stages(StringBuilder html, EvaluationResult r)
    {
        html.Append("<h2>Within each stage</h2><p>The stage alone cannot tell two deals at the same stage apart; ")
            .Append("the model can. AUC within a stage above 0.5 is what the model adds beyond the stage.</p>")
            .Append("<table><tr><th>Stage</th><th>Snapshots</th><th>Won</th><th>AUC within stage</th></tr>");
        foreach (var stage in r.AucByStage)
        {
            html.Append("<tr><td>").Append(Encode(stage.Stage)).Append("</td><td>").Append(Count(stage.Rows)).Append("</td><td>")
                .Append(Percent(stage.WinRate)).Append("</td><td>").Append(Num(stage.Auc, 3)).Append("</td></tr>");
        }

        html.Append("</table>\n");
    }

    private static void Importance(StringBuilder html, EvaluationResult r)
    {
        var top = r.FeatureImportance.Take(15).ToList();
        html.Append("<h2>What the model looks at most</h2><p>Share of the model's decisions that rest on each piece of ")
            .Append("information (its \"gain\"). This says what the model uses, not whether more of it helps or hurts.</p>");
        HorizontalBars(html, [.. top.Select(f => (f.Description, f.Share, Percent(f.Share)))], ModelColour);
    }

    private static void Activities(StringBuilder html, EvaluationResult r)
    {
        html.Append("<h2>What one more activity does</h2><p>For each test snapshot, the model was asked again as if one more ")
            .Append("activity of the kind had just been logged. The bar is the average change of the win probability in ")
            .Append("percentage points. It describes the model's view, learned from past deals; it is not proof that the activity causes wins.</p>");
        HorizontalBars(
            html,
            [.. r.ActivityEffects.Select(a => (a.Kind, a.AverageChange, $"{SignedPoints(a.AverageChange)} (raised for {Percent(a.ShareRaised)} of deals)"))],
            ModelColour);
    }

    private static void Glossary(StringBuilder html) =>
        html.Append("<h2>Words used</h2><ul>")
            .Append("<li><b>Snapshot</b>: a deal as it looked on one day while it was open; each closed deal gives several.</li>")
            .Append("<li><b>Stage only</b>: the share of past snapshots at the same stage that were won; the simplest honest forecast.</li>")
            .Append("<li><b>Test deals</b>: deals the model did not learn from, closed after those it learned from, so the test is like using the model for real.</li>")
            .Append("</ul>\n");

    private static void HorizontalBars(StringBuilder html, IReadOnlyList<(string Label, double Value, string Text)> bars, string colour)
    {
        if (bars.Count == 0)
        {
            html.Append("<p class=\"note\">Nothing to show.</p>\n");
            return;
        }

        const int labelWidth = 390, barWidth = 280, rowHeight = 22;
        var max = bars.Max(b => Math.Abs(b.Value));
        max = max > 0 ? max : 1;
        var hasNegative = bars.Any(b => b.Value < 0);
        var zero = labelWidth + (hasNegative ? barWidth / 2 : 0);
        var scale = (hasNegative ? barWidth / 2 : barWidth) / max;
        var svg = new StringBuilder();
        svg.Append(Fmt($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{labelWidth + barWidth + 260}\" height=\"{(bars.Count * rowHeight) + 10}\" font-size=\"12\">"));
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, value, text) = bars[i];
            var y = (i * rowHeight) + 5;
            var width = Math.Abs(value) * scale;
            var x = value >= 0 ? zero : zero - width;
            svg.Append(Fmt($"<text x=\"{labelWidth - 6}\" y=\"{y + 14}\" text-anchor=\"end\">{Encode(Shorten(label, 55))}</text>"));
            svg.Append(Fmt($"<rect x=\"{x:0.#}\" y=\"{y + 3}\" width=\"{Math.Max(width, 0.5):0.#}\" height=\"{rowHeight - 8}\" fill=\"{(value >= 0 ? colour : "#cf222e")}\"/>"));
            svg.Append(Fmt($"<text x=\"{labelWidth + barWidth + 6}\" y=\"{y + 14}\">{Encode(text)}</text>"));
        }

        svg.Append(Fmt($"<line x1=\"{zero}\" y1=\"0\" x2=\"{zero}\" y2=\"{bars.Count * rowHeight + 10}\" stroke=\"#57606a\"/>"));
        html.Append(svg).Append("</svg>\n");
    }

    private static string Legend() =>
        $"<p class=\"note\"><span style=\"color:{ModelColour}\">━ model</span> &nbsp; <span style=\"color:{BaselineColour}\">╌ stage only</span></p>\n";

    private static string Shorten(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(double share) => double.IsFinite(share) ? (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %" : "n/a";

    private static string SignedPoints(double change) =>
        (change >= 0 ? "+" : "−") + Math.Abs(change * 100).ToString("0.0", CultureInfo.InvariantCulture) + " points";

    private static string Num(double value, int digits) =>
        double.IsFinite(value) ? value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "n/a";

    private static string Fmt(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>A small SVG plot with a data area, axes in data units and helpers to draw in them.</summary>
    private sealed class Chart
    {
        private const int Left = 50, Bottom = 40, Top = 10, Right = 15;
        private readonly StringBuilder _svg = new();
        private readonly int _width;
        private readonly int _height;
        private double _xMax = 1, _yMax = 1;

        public Chart(int width, int height)
        {
            _width = width;
            _height = height;
            _svg.Append(Fmt($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width + Left + Right}\" height=\"{height + Top + Bottom}\" font-size=\"11\">"));
        }

        public void Axes(string xLabel, string yLabel, double xMax, double yMax, bool xTicksAsIndex = false, int yTicks = 4)
        {
            (_xMax, _yMax) = (xMax, yMax);
            _svg.Append(Fmt($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{_width}\" height=\"{_height}\" fill=\"none\" stroke=\"#57606a\"/>"));
            for (var i = 0; i <= yTicks; i++)
            {
                var v = yMax * i / yTicks;
                var y = Y(v);
                _svg.Append(Fmt($"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Left + _width}\" y2=\"{y:0.#}\" stroke=\"#eaeef2\"/>"));
                _svg.Append(Fmt($"<text x=\"{Left - 4}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{v:0.##}</text>"));
            }

            var ticks = xTicksAsIndex ? (int)xMax : 4;
            for (var i = 0; i <= ticks; i++)
            {
                if (xTicksAsIndex && i == ticks)
                {
                    break;
                }

                var v = xTicksAsIndex ? i + 0.5 : xMax * i / 4;
                var label = xTicksAsIndex ? (i + 1).ToString(CultureInfo.InvariantCulture) : v.ToString("0.##", CultureInfo.InvariantCulture);
                _svg.Append(Fmt($"<text x=\"{X(v):0.#}\" y=\"{Top + _height + 14}\" text-anchor=\"middle\">{label}</text>"));
            }

            _svg.Append(Fmt($"<text x=\"{Left + (_width / 2)}\" y=\"{Top + _height + 32}\" text-anchor=\"middle\">{Encode(xLabel)}</text>"));
            _svg.Append(Fmt($"<text transform=\"translate(12 {Top + (_height / 2)}) rotate(-90)\" text-anchor=\"middle\">{Encode(yLabel)}</text>"));
        }

        public void Line(IReadOnlyList<(double X, double Y)> points, string colour, bool dashed)
        {
            if (points.Count == 0)
            {
                return;
            }

            var path = string.Join(' ', points.Select(p => Fmt($"{X(p.X):0.##},{Y(p.Y):0.##}")));
            _svg.Append(Fmt($"<polyline points=\"{path}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{(dashed ? " stroke-dasharray=\"5 4\"" : "")}/>"));
        }

        public void Dots(IReadOnlyList<(double X, double Y)> points, string colour)
        {
            foreach (var (x, y) in points)
            {
                _svg.Append(Fmt($"<circle cx=\"{X(x):0.##}\" cy=\"{Y(y):0.##}\" r=\"4\" fill=\"{colour}\"/>"));
            }
        }

        public void Bar(int index, int count, double value, string colour)
        {
            var slot = _width / (double)count;
            var x = Left + (index * slot) + (slot * 0.15);
            var y = Y(value);
            _svg.Append(Fmt($"<rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{slot * 0.7:0.#}\" height=\"{Top + _height - y:0.#}\" fill=\"{colour}\"/>"));
        }

        public string Close() => _svg.Append("</svg>\n").ToString();

        private double X(double v) => Left + (Math.Clamp(v / _xMax, 0, 1) * _width);

        private double Y(double v) => Top + _height - (Math.Clamp(v / _yMax, 0, 1) * _height);
    }
}
