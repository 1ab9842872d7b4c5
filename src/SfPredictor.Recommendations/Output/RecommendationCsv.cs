using System.Globalization;
using CsvHelper;

namespace SfPredictor.Recommendations.Output;

/// <summary>
/// Writes recommendations as CSV with the columns Id, WinProbability (0–1), NextActivity1, Uplift1,
/// NextActivity2, Uplift2, NextActivity3, Uplift3, TopFactors. Uplifts are in probability units; empty
/// places stay blank. TopFactors reads e.g. <c>No activity in 24 days (-0.052); Last Demo 3 days ago (+0.031)</c>.
/// </summary>
public static class RecommendationCsv
{
    /// <summary>Recommended activities per row.</summary>
    public const int Activities = 3;

    /// <summary>The header, in order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["Id", "WinProbability", "NextActivity1", "Uplift1", "NextActivity2", "Uplift2", "NextActivity3", "Uplift3", "TopFactors"];

    /// <summary>Writes the header and one row per result.</summary>
    public static void Write(TextWriter writer, IEnumerable<OpportunityRecommendation> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        using var rows = new Rows(writer);
        foreach (var result in results)
        {
            rows.Write(result);
        }
    }

    /// <summary>The factors as one field: "text (+0.031); text (-0.052)".</summary>
    public static string Factors(IEnumerable<ScoreFactor> factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        return string.Join("; ", factors.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Text} ({f.Impact:+0.000;-0.000})")));
    }

    private static string Number(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>Writes the header at once, then one row per result as results come (e.g. batch by batch).</summary>
    public sealed class Rows : IDisposable
    {
        private readonly CsvWriter _csv;

        /// <summary>Writes the header to <paramref name="writer"/>, which stays open.</summary>
        public Rows(TextWriter writer)
        {
            ArgumentNullException.ThrowIfNull(writer);
            _csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
            foreach (var column in Columns)
            {
                _csv.WriteField(column);
            }

            _csv.NextRecord();
        }

        /// <summary>Writes one result's row.</summary>
        public void Write(OpportunityRecommendation result)
        {
            ArgumentNullException.ThrowIfNull(result);
            _csv.WriteField(result.OpportunityId);
            _csv.WriteField(Number(result.WinProbability));
            for (var i = 0; i < Activities; i++)
            {
                var recommendation = i < result.Recommendations.Count ? result.Recommendations[i] : null;
                _csv.WriteField(recommendation?.Kind ?? "");
                _csv.WriteField(recommendation is null ? "" : Number(recommendation.Uplift));
            }

            _csv.WriteField(Factors(result.TopFactors));
            _csv.NextRecord();
        }

        /// <summary>Flushes what was written.</summary>
        public void Dispose() => _csv.Dispose();
    }
}
