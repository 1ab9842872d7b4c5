using SfPredictor.Records;
using SfPredictor.Recommendations;
using SfPredictor.Worker.State;
using SfPredictor.Worker.WriteBack;

namespace SfPredictor.Worker.Pipeline;

/// <summary>
/// Where a scoring run writes: back into Salesforce (<see cref="SalesforceWriteBack"/>) or a CSV file
/// (<see cref="CsvSink"/>). The run plans a write for each scored Opportunity, then hands the planned writes over
/// batch by batch.
/// </summary>
internal interface IScoreSink
{
    /// <summary>Opportunity fields the plan compares with, read together with the records.</summary>
    IReadOnlyList<string> FieldsToRead { get; }

    /// <summary>The most next activities a write holds.</summary>
    int ActivityPlaces { get; }

    /// <summary>Checks that the sink can take writes; one exception lists every problem.</summary>
    Task VerifyAsync(CancellationToken cancellationToken);

    /// <summary>The write for one scored Opportunity, or null when the sink holds these values already.</summary>
    PlannedWrite? Plan(Opportunity opportunity, OpportunityRecommendation score, WriteBackRules rules, DateTimeOffset scoredAt, string modelVersion);

    /// <summary>Writes one batch: every write either written or failed.</summary>
    Task<SinkResult> WriteAsync(IReadOnlyList<PlannedWrite> batch, CancellationToken cancellationToken);
}

/// <summary>What became of a batch of writes.</summary>
/// <param name="Written">The Opportunities written.</param>
/// <param name="Failed">The writes that failed, and why.</param>
internal sealed record SinkResult(IReadOnlyList<string> Written, IReadOnlyList<RecordFailure> Failed);
