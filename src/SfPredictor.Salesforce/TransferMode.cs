namespace SfPredictor.Salesforce;

/// <summary>Which API moves the records.</summary>
public enum TransferMode
{
    /// <summary>REST below the configured threshold, Bulk API 2.0 above it.</summary>
    Auto,

    /// <summary>REST query pages and sObject Collections.</summary>
    Rest,

    /// <summary>Bulk API 2.0 query and ingest jobs.</summary>
    Bulk,
}
