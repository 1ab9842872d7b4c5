using SfPredictor.Records;
using SfPredictor.Recommendations;
using SfPredictor.Recommendations.Output;
using SfPredictor.Worker.WriteBack;

namespace SfPredictor.Worker.Pipeline;

/// <summary>
/// Writes every scored Opportunity as a row of a CSV file (<see cref="RecommendationCsv"/>), in the order the run
/// hands them over; a CSV holds no earlier values, so every score is written.
/// </summary>
internal sealed class CsvSink : IScoreSink, IDisposable
{
    private readonly RecommendationCsv.Rows _rows;

    /// <summary>Writes the header to <paramref name="writer"/>, which stays open.</summary>
    public CsvSink(TextWriter writer) => _rows = new RecommendationCsv.Rows(writer);

    public IReadOnlyList<string> FieldsToRead => [];

    public int ActivityPlaces => RecommendationCsv.Activities;

    public Task VerifyAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public PlannedWrite? Plan(Opportunity opportunity, OpportunityRecommendation score, WriteBackRules rules, DateTimeOffset scoredAt, string modelVersion)
    {
        ArgumentNullException.ThrowIfNull(opportunity);
        ArgumentNullException.ThrowIfNull(score);
        return new PlannedWrite(
            opportunity.Id,
            opportunity.Name,
            CurrentProbability: null,
            ScoreText.Percent(score.WinProbability),
            Change: null,
            Trend: null,
            [.. score.Recommendations.Select(ScoreText.NextActivity)],
            ScoreText.Factors(score.TopFactors),
            score,
            Update: null);
    }

    public Task<SinkResult> WriteAsync(IReadOnlyList<PlannedWrite> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var write in batch)
        {
            _rows.Write(write.Score);
        }

        return Task.FromResult(new SinkResult([.. batch.Select(w => w.OpportunityId)], []));
    }

    /// <summary>Flushes the rows written.</summary>
    public void Dispose() => _rows.Dispose();
}
