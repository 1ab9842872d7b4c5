using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SfPredictor.Records;
using SfPredictor.Recommendations;
using SfPredictor.Salesforce;
using SfPredictor.Worker.Pipeline;
using SfPredictor.Worker.State;
using SfPredictor.Worker.Telemetry;

namespace SfPredictor.Worker.WriteBack;

/// <summary>
/// Writes scores back into the Opportunities' SfPredictor fields: only where the values in Salesforce are no
/// longer good (<see cref="WriteBackPlanner"/>), through the REST composite API or, for large batches, a Bulk API
/// 2.0 ingest job.
/// </summary>
internal sealed class SalesforceWriteBack(SalesforceClient client, IOptions<WriteBackOptions> options, ILogger<SalesforceWriteBack> logger) : IScoreSink
{
    private readonly WriteBackPlanner _planner = new(options.Value);

    public IReadOnlyList<string> FieldsToRead => _planner.FieldsToRead;

    public int ActivityPlaces => options.Value.NextActivityFields.Length;

    /// <summary>
    /// Checks with describe that every write-back field exists on Opportunity, has the expected type and is updateable.
    /// </summary>
    /// <exception cref="SalesforceSchemaException">A field is missing, of another type or read-only.</exception>
    public async Task VerifyAsync(CancellationToken cancellationToken)
    {
        var fields = options.Value.Fields();
        await client.VerifyFieldsAsync("Opportunity", fields.Select(f => new ExpectedField(f.ApiName, f.DescribeType)), cancellationToken);
        Log.FieldsVerified(logger, fields.Count);
    }

    public PlannedWrite? Plan(Opportunity opportunity, OpportunityRecommendation score, WriteBackRules rules, DateTimeOffset scoredAt, string modelVersion) =>
        _planner.Plan(opportunity, score, rules, scoredAt, modelVersion);

    public async Task<SinkResult> WriteAsync(IReadOnlyList<PlannedWrite> batch, CancellationToken cancellationToken)
    {
        var updates = batch.Select(p => p.Update ?? throw new ArgumentException($"The write for {p.OpportunityId} was not planned for Salesforce.", nameof(batch)));
        var results = await client.UpdateAsync("Opportunity", [.. updates], TransferMode.Auto, cancellationToken);
        return new SinkResult(
            [.. results.Where(r => r.Success).Select(r => r.Id)],
            [.. results.Where(r => !r.Success).Select(r => new RecordFailure(r.Id, r.ErrorCode, r.Message))]);
    }
}
