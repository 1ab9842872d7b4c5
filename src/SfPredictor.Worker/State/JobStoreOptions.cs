using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SfPredictor.Worker.State;

/// <summary>Which database holds the worker's state (watermarks, retry list, run reports) and Quartz's job store.</summary>
public enum JobStoreProvider
{
    /// <summary>A SQLite file: one worker.</summary>
    Sqlite,

    /// <summary>PostgreSQL: several workers, Quartz clustering runs each job once.</summary>
    PostgreSQL,
}

/// <summary>The database of the worker's state and of Quartz's job store.</summary>
public sealed class JobStoreOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "SfPredictor:JobStore";

    /// <summary>Sqlite (default) or PostgreSQL.</summary>
    [EnumDataType(typeof(JobStoreProvider))]
    public JobStoreProvider Provider { get; set; } = JobStoreProvider.Sqlite;

    /// <summary>ADO.NET connection string, e.g. <c>Data Source=./data/sfpredictor.db</c> or <c>Host=db;Database=sfpredictor;Username=sfp;Password=...</c>.</summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=./data/sfpredictor.db";
}

/// <summary>Validates <see cref="JobStoreOptions"/> at start.</summary>
[OptionsValidator]
internal sealed partial class ValidateJobStoreOptions : IValidateOptions<JobStoreOptions>;
