using System.Globalization;
using System.Net;
using System.Text;
using SfPredictor.Worker.State;

namespace SfPredictor.Worker.Status;

/// <summary>
/// Renders a <see cref="StatusReport"/> as one self-contained HTML page: inline styles and inline SVG charts,
/// no scripts, fonts or images from elsewhere, so it works behind any firewall and in any browser.
/// </summary>
internal static class StatusPage
{
    /// <summary>The path the page is served at.</summary>
    public const string Path = "/status";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The page for <paramref name="report"/>.</summary>
    public static string Render(StatusReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder(16 * 1024);
        html.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>SfPredictor status</title>\n<style>")
            .Append(Styles)
            .Append("</style>\n</head>\n<body>\n<main>\n");
        Header(html, report);
        Jobs(html, report);
        Charts(html, report);
        Model(html, report);
        Schedules(html, report);
        RecentRuns(html, report);
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Header(StringBuilder html, StatusReport r)
    {
        var failing = r.Health.Status != "ok";
        html.Append("<header><h1>SfPredictor status</h1>")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"badge {(failing ? "bad" : "good")}\" id=\"overall\">{(failing ? "Failing: the latest scoring run failed" : "OK")}</p>")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">Read {Time(r.GeneratedAt)} · the same data as <code>sfp health</code> and <code>GET /health</code></p></header>\n");
        html.Append("<section class=\"tiles\" aria-label=\"Summary\">");
        Tile(html, "Model scoring now", r.Health.ModelVersion ?? "none yet", "tile-model");
        Tile(html, "Daily API requests left", r.DailyApiRemaining is { } left ? left.ToString("N0", Invariant) : "not reported yet", "tile-api");
        Tile(html, "Waiting to be written again", r.Health.RetryPending.ToString("N0", Invariant), "tile-retries");
        html.Append("</section>\n");
    }

    private static void Tile(StringBuilder html, string label, string value, string id) =>
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"tile\" id=\"{id}\"><div class=\"tile-label\">{E(label)}</div><div class=\"tile-value\">{E(value)}</div></div>");

    private static void Jobs(StringBuilder html, StatusReport r)
    {
        html.Append("<section><h2>Last run of each job</h2>\n");
        if (r.Health.Jobs.Count == 0)
        {
            html.Append("<p class=\"muted\" id=\"no-runs\">No job has run yet.</p></section>\n");
            return;
        }

        html.Append("<table id=\"last-runs\">");
        RunHeader(html);
        html.Append("<tbody>");
        foreach (var job in Scheduling.JobNames.All)
        {
            if (r.Runs.FirstOrDefault(x => x.Job == job) is { } run)
            {
                RunRow(html, run);
            }
        }

        html.Append("</tbody></table></section>\n");
    }

    private static void RecentRuns(StringBuilder html, StatusReport r)
    {
        if (r.Runs.Count == 0)
        {
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"<section><h2>Recent runs</h2><p class=\"muted\">The latest {r.Runs.Count} runs of every job, newest first.</p>\n<table id=\"recent-runs\">");
        RunHeader(html);
        html.Append("<tbody>");
        foreach (var run in r.Runs)
        {
            RunRow(html, run);
        }

        html.Append("</tbody></table></section>\n");
    }

    private static void RunHeader(StringBuilder html) =>
        html.Append("<thead><tr><th scope=\"col\">Job</th><th scope=\"col\">Started (UTC)</th><th scope=\"col\">Outcome</th>")
            .Append("<th scope=\"col\" class=\"num\">Read</th><th scope=\"col\" class=\"num\">Scored</th><th scope=\"col\" class=\"num\">Written</th>")
            .Append("<th scope=\"col\" class=\"num\">Unchanged</th><th scope=\"col\" class=\"num\">Failed</th><th scope=\"col\" class=\"num\">API calls</th>")
            .Append("<th scope=\"col\" class=\"num\">Seconds</th></tr></thead>");

    private static void RunRow(StringBuilder html, RunReport run)
    {
        var outcome = run.Outcome switch
        {
            RunOutcome.Succeeded => run.DryRun ? "Succeeded (dry run)" : "Succeeded",
            RunOutcome.Stopped => "Stopped",
            _ => "Failed",
        };
        var css = run.Outcome switch { RunOutcome.Succeeded => "good", RunOutcome.Stopped => "warn", _ => "bad" };
        var seconds = Math.Max(0, (run.Finished - run.Started).TotalSeconds);
        html.Append(CultureInfo.InvariantCulture, $"<tr data-job=\"{E(run.Job)}\"><td>{E(run.Job)}</td><td>{Time(run.Started)}</td>")
            .Append(CultureInfo.InvariantCulture, $"<td><span class=\"outcome {css}\">{outcome}</span>{(run.Error is { } error ? $"<div class=\"error\">{E(error)}</div>" : "")}</td>")
            .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{N(run.Read)}</td><td class=\"num\">{N(run.Scored)}</td><td class=\"num\">{N(run.Written)}</td>")
            .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{N(run.Unchanged)}</td><td class=\"num\">{N(run.Failed)}</td><td class=\"num\">{N(run.ApiCalls)}</td>")
            .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{seconds.ToString("0.0", Invariant)}</td></tr>");
    }

    private static void Charts(StringBuilder html, StatusReport r)
    {
        html.Append("<section class=\"charts\">");
        var runs = r.Runs.Where(x => x.Job != Scheduling.JobNames.Retrain || x.ApiCalls > 0).Reverse().ToList();
        html.Append("<figure><figcaption><h2>API calls per run</h2></figcaption>");
        if (runs.Count == 0)
        {
            html.Append("<p class=\"muted\">No run yet.</p>");
        }
        else
        {
            var bars = runs.Select(x => ($"{x.Job} {Time(x.Started)}", (double)x.ApiCalls, $"{x.Job}, {Time(x.Started)}: {x.ApiCalls.ToString("N0", Invariant)} API calls")).ToList();
            var total = runs.Sum(x => x.ApiCalls);
            BarChart(html, "chart-api-calls", $"API calls of the latest {runs.Count} runs, oldest first: {total.ToString("N0", Invariant)} in all, at most {runs.Max(x => x.ApiCalls).ToString("N0", Invariant)} in one run.", bars, "oldest", "newest");
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">Oldest run left, newest right; {total.ToString("N0", Invariant)} calls in all.</p>");
        }

        html.Append("</figure><figure><figcaption><h2>Score distribution</h2></figcaption>");
        if (r.ScoreDistribution.Count == 0 || r.ScoreDistributionRun is null)
        {
            html.Append("<p class=\"muted\">No run has scored yet.</p>");
        }
        else
        {
            var bands = r.ScoreDistribution.Select((count, i) => ($"{i * 10}–{(i + 1) * 10}%", (double)count, $"{i * 10}–{(i + 1) * 10} %: {count.ToString("N0", Invariant)} opportunities")).ToList();
            var scored = r.ScoreDistribution.Sum();
            BarChart(html, "chart-scores", $"Win probabilities of the {scored.ToString("N0", Invariant)} open opportunities scored by the {r.ScoreDistributionRun.Job} run of {Time(r.ScoreDistributionRun.Started)}, in 10-point bands.", bands, "0 %", "100 %");
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">{scored.ToString("N0", Invariant)} open opportunities scored by the {E(r.ScoreDistributionRun.Job)} run of {Time(r.ScoreDistributionRun.Started)}, by win probability.</p>");
        }

        html.Append("</figure></section>\n");
    }

    // A bar chart in plain SVG: each bar carries its own title (shown on hover), the whole a text alternative.
    private static void BarChart(StringBuilder html, string id, string description, IReadOnlyList<(string Label, double Value, string Title)> bars, string left, string right)
    {
        const double width = 440, height = 140, top = 14, bottom = 18;
        var max = Math.Max(1, bars.Max(b => b.Value));
        var step = width / bars.Count;
        var gap = Math.Min(4, step * 0.2);
        html.Append(CultureInfo.InvariantCulture, $"<svg id=\"{id}\" class=\"chart\" viewBox=\"0 0 {width} {height + top + bottom}\" role=\"img\" aria-label=\"{E(description)}\">");
        html.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"0\" y1=\"{top + height}\" x2=\"{width}\" y2=\"{top + height}\"/>");
        html.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"0\" y=\"10\">{max.ToString("N0", Invariant)}</text>");
        for (var i = 0; i < bars.Count; i++)
        {
            var h = bars[i].Value / max * height;
            html.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{F((i * step) + (gap / 2))}\" y=\"{F(top + height - h)}\" width=\"{F(step - gap)}\" height=\"{F(h)}\"><title>{E(bars[i].Title)}</title></rect>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"0\" y=\"{top + height + 14}\">{E(left)}</text>");
        html.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"{width}\" y=\"{top + height + 14}\" text-anchor=\"end\">{E(right)}</text></svg>");
    }

    private static void Model(StringBuilder html, StatusReport r)
    {
        html.Append("<section><h2>Current model</h2>\n");
        if (r.CurrentModel is not { } model)
        {
            html.Append("<p class=\"muted\" id=\"no-model\">No model yet: the first scoring run trains one.</p></section>\n");
            return;
        }

        html.Append("<dl id=\"current-model\" class=\"facts\">");
        Fact(html, "Version", model.Version);
        if (model.Problem is { } problem)
        {
            Fact(html, "Manifest", "could not be read: " + problem);
        }
        else
        {
            Fact(html, "Kind", model.Kind ?? "");
            Fact(html, "Trained", model.TrainedAt is { } at ? Time(at) : "");
            Fact(html, "Closed deals learned from", model.Opportunities?.ToString("N0", Invariant) ?? "");
            if (model.Holdout is { } m)
            {
                Fact(html, "Holdout AUC", $"{m.Auc.ToString("0.000", Invariant)} (stage-only baseline {model.BaselineHoldout?.Auc.ToString("0.000", Invariant) ?? "–"})");
                Fact(html, "Holdout log loss", $"{m.LogLoss.ToString("0.000", Invariant)} (baseline {model.BaselineHoldout?.LogLoss.ToString("0.000", Invariant) ?? "–"})");
                Fact(html, "Calibration (Brier score)", $"{m.Brier.ToString("0.000", Invariant)} (baseline {model.BaselineHoldout?.Brier.ToString("0.000", Invariant) ?? "–"}); lower is better");
                Fact(html, "Holdout rows / win rate", $"{m.Rows.ToString("N0", Invariant)} / {m.WinRate.ToString("P1", Invariant)}");
            }
        }

        html.Append("</dl>");
        if (r.EarlierModels.Count > 0)
        {
            html.Append("<h3>Earlier versions</h3><table id=\"earlier-models\"><thead><tr><th scope=\"col\">Version</th><th scope=\"col\">Trained</th>")
                .Append("<th scope=\"col\" class=\"num\">Deals</th><th scope=\"col\" class=\"num\">AUC</th><th scope=\"col\" class=\"num\">Log loss</th><th scope=\"col\" class=\"num\">Brier</th></tr></thead><tbody>");
            foreach (var earlier in r.EarlierModels)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(earlier.Version)}</td><td>{(earlier.TrainedAt is { } at ? Time(at) : E(earlier.Problem ?? ""))}</td>")
                    .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{earlier.Opportunities?.ToString("N0", Invariant)}</td><td class=\"num\">{earlier.Holdout?.Auc.ToString("0.000", Invariant)}</td>")
                    .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{earlier.Holdout?.LogLoss.ToString("0.000", Invariant)}</td><td class=\"num\">{earlier.Holdout?.Brier.ToString("0.000", Invariant)}</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        html.Append("</section>\n");
    }

    private static void Fact(StringBuilder html, string name, string value) =>
        html.Append(CultureInfo.InvariantCulture, $"<dt>{E(name)}</dt><dd>{E(value)}</dd>");

    private static void Schedules(StringBuilder html, StatusReport r)
    {
        html.Append("<section><h2>Schedules</h2><table id=\"schedules\"><thead><tr><th scope=\"col\">Job</th><th scope=\"col\">Cron (Quartz, UTC)</th><th scope=\"col\">Next firing (UTC)</th></tr></thead><tbody>");
        foreach (var schedule in r.Schedules)
        {
            var next = schedule.NextFiring is { } at ? $"{Time(at)} ({Until(at - r.GeneratedAt)})" : schedule.Cron is null ? "not scheduled" : "never again";
            html.Append(CultureInfo.InvariantCulture, $"<tr data-job=\"{E(schedule.Job)}\"><td>{E(schedule.Job)}</td><td><code>{E(schedule.Cron ?? "–")}</code></td><td>{E(next)}</td></tr>");
        }

        html.Append("</tbody></table></section>\n");
    }

    private static string Until(TimeSpan span) => span switch
    {
        { TotalMinutes: < 1 } => "in less than a minute",
        { TotalHours: < 1 } => $"in {(int)span.TotalMinutes} min",
        { TotalDays: < 2 } => $"in {(int)span.TotalHours} h {span.Minutes} min",
        _ => $"in {(int)span.TotalDays} days",
    };

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Invariant);

    private static string N(long value) => value.ToString("N0", Invariant);

    private static string F(double value) => value.ToString("0.##", Invariant);

    private static string E(string value) => WebUtility.HtmlEncode(value);

    private const string Styles = """
        body { margin: 0; background: #f3f3f3; color: #181818; font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        main { max-width: 1100px; margin: 0 auto; padding: 16px 24px 32px; }
        h1 { font-size: 24px; margin: 8px 0 4px; }
        h2 { font-size: 16px; margin: 0 0 8px; }
        h3 { font-size: 14px; margin: 16px 0 6px; }
        section { background: #fff; border: 1px solid #c9c9c9; border-radius: 4px; padding: 12px 16px; margin: 12px 0; }
        header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 16px; }
        .muted { color: #5c5c5c; margin: 4px 0; }
        .badge { font-weight: 700; padding: 2px 10px; border-radius: 12px; margin: 0; }
        .badge.good { background: #2e844a; color: #fff; }
        .badge.bad { background: #ba0517; color: #fff; }
        .tiles { display: flex; gap: 12px; background: none; border: none; padding: 0; }
        .tile { flex: 1; background: #fff; border: 1px solid #c9c9c9; border-radius: 4px; padding: 10px 14px; }
        .tile-label { color: #5c5c5c; font-size: 12px; text-transform: uppercase; letter-spacing: .5px; }
        .tile-value { font-size: 20px; font-weight: 700; overflow-wrap: anywhere; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e5e5e5; vertical-align: top; }
        th { font-size: 12px; color: #444; }
        .num { text-align: right; font-variant-numeric: tabular-nums; }
        .outcome { font-weight: 700; }
        .outcome.good { color: #2e844a; } .outcome.warn { color: #8c4b02; } .outcome.bad { color: #ba0517; }
        .error { color: #ba0517; font-size: 12px; max-width: 360px; }
        .charts { display: flex; flex-wrap: wrap; gap: 24px; }
        figure { flex: 1 1 440px; margin: 0; }
        .chart { width: 100%; height: auto; }
        .chart .bar { fill: #0b5cab; }
        .chart .axis { stroke: #8e8e8e; }
        .chart .label { fill: #5c5c5c; font-size: 11px; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
        dt { color: #5c5c5c; } dd { margin: 0; }
        code { font-size: 12px; }
        """;
}
