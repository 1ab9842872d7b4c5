using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SfPredictor.Worker;

/// <summary>How the worker reads, scores and writes in one run.</summary>
public sealed class WorkerOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "SfPredictor:Worker";

    /// <summary>Folder where model versions are downloaded from the model store before loading.</summary>
    [Required]
    public string ModelCachePath { get; set; } = "./data/model-cache";

    /// <summary>
    /// Records per write batch: the unit after which the watermark advances and a stop request is honoured.
    /// A batch larger than <c>Salesforce:BulkWriteThreshold</c> goes through one Bulk API 2.0 ingest job.
    /// </summary>
    [Range(1, 1_000_000)]
    public int WriteBatchSize { get; set; } = 50_000;

    /// <summary>
    /// Without <see cref="CacheContext"/>: an incremental run touching more Opportunities than this reads whole
    /// objects (a handful of calls each, through Bulk when large) instead of Id lists (a call per 300 Ids for each
    /// related object).
    /// </summary>
    [Range(0, 1_000_000)]
    public int FullReadThreshold { get; set; } = 200;

    /// <summary>
    /// Changes stamped up to this long before the watermark are read again. Salesforce stamps a record when
    /// its transaction starts, so a long transaction can commit behind the watermark; an overlap catches it
    /// at the price of reading the last run's own writes again. Default none: the nightly full rescore
    /// catches such late commits.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan WatermarkOverlap { get; set; }

    /// <summary>
    /// Keep the org indexed in memory between scoring runs (the Opportunities, histories and Accounts, and of each Task
    /// and Event what the features read), so that the next incremental run of this process reads only the records
    /// changed since and updates the index with them: a call per object instead of whole objects, and no indexing
    /// again. The first run of a process and every full rescore read whole objects (and replace it); it is dropped
    /// when the model or the fields read change, or a read fails. It costs memory for every record of the org.
    /// </summary>
    public bool CacheContext { get; set; } = true;
}

/// <summary>Validates <see cref="WorkerOptions"/> at start.</summary>
[OptionsValidator]
internal sealed partial class ValidateWorkerOptions : IValidateOptions<WorkerOptions>;
