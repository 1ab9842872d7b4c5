namespace SfPredictor.Worker.Scheduling;

/// <summary>The worker's Quartz jobs: their keys, and the names used in run reports and logs.</summary>
internal static class JobNames
{
    /// <summary>Quartz group of every job and trigger of the worker.</summary>
    public const string Group = "sfpredictor";

    /// <summary>Incremental scoring.</summary>
    public const string Score = "score";

    /// <summary>Full rescore of every open Opportunity.</summary>
    public const string FullRescore = "full-rescore";

    /// <summary>Retraining.</summary>
    public const string Retrain = "retrain";

    /// <summary>A run of <c>sfp recommend</c> over a Data Export (never scheduled).</summary>
    public const string Recommend = "recommend";

    /// <summary>Every job.</summary>
    public static IReadOnlyList<string> All { get; } = [Score, FullRescore, Retrain];

    /// <summary>The key of a job's cron trigger.</summary>
    public static string TriggerOf(string job) => job + "-cron";
}
