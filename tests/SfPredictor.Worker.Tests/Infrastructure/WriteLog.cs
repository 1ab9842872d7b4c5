using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using SfPredictor.DataExport;

namespace SfPredictor.Worker.Tests.Infrastructure;

/// <summary>
/// What reached the org's write endpoints (sObject Collections and Bulk API 2.0 ingest): every record the org
/// saved, counted per Id, and hooks to fail or change calls on the way (a crash, a rejected value, a stop request).
/// </summary>
internal sealed class WriteLog
{
    private readonly ConcurrentDictionary<string, int> _saved = new(StringComparer.OrdinalIgnoreCase);
    private int _patches;
    private int _bulkUploads;

    /// <summary>Answers the n-th PATCH (1-based) instead of the org when it returns a response.</summary>
    public Func<int, HttpResponseMessage?>? Fault { get; set; }

    /// <summary>Rewrites a PATCH body before it goes to the org.</summary>
    public Func<string, string>? RewriteBody { get; set; }

    /// <summary>Called after the n-th PATCH came back from the org.</summary>
    public Action<int>? AfterPatch { get; set; }

    /// <summary>REST queries whose SOQL this picks are answered as by an org that is down.</summary>
    public Func<string, bool>? FailQueries { get; set; }

    /// <summary>Rewrites the CSV of a Bulk ingest upload before it goes to the org.</summary>
    public Func<string, string>? RewriteCsv { get; set; }

    /// <summary>Bulk ingest uploads seen.</summary>
    public int BulkUploads => Volatile.Read(ref _bulkUploads);

    /// <summary>Times each Id was saved by the org.</summary>
    public IReadOnlyDictionary<string, int> Saved => _saved;

    /// <summary>PATCH calls seen (faulted ones included).</summary>
    public int Patches => Volatile.Read(ref _patches);

    public void Clear()
    {
        _saved.Clear();
        Interlocked.Exchange(ref _patches, 0);
    }

    internal int NextPatch() => Interlocked.Increment(ref _patches);

    internal void CountBulkUpload() => Interlocked.Increment(ref _bulkUploads);

    /// <summary>A Bulk ingest job's successfulResults: the first column holds each saved record's Id.</summary>
    internal void RecordSavedCsv(string csv)
    {
        using var reader = ExportCsvReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "successfulResults");
        while (reader.Read())
        {
            _saved.AddOrUpdate(reader[0], 1, (_, n) => n + 1);
        }
    }

    internal void RecordSaved(string responseBody)
    {
        using var document = JsonDocument.Parse(responseBody);
        foreach (var result in document.RootElement.EnumerateArray())
        {
            if (result.GetProperty("success").GetBoolean())
            {
                _saved.AddOrUpdate(result.GetProperty("id").GetString()!, 1, (_, n) => n + 1);
            }
        }
    }

    /// <summary>An answer like Salesforce's when it is down.</summary>
    public static HttpResponseMessage Unavailable() => new(HttpStatusCode.ServiceUnavailable)
    {
        Content = new StringContent("""[{"errorCode":"SERVER_UNAVAILABLE","message":"The org is down for this test."}]""", Encoding.UTF8, "application/json"),
    };
}

/// <summary>Sits in the Salesforce client's HTTP pipeline and feeds a <see cref="WriteLog"/>.</summary>
internal sealed class WriteLogHandler(WriteLog log) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri?.AbsolutePath ?? string.Empty;
        if (request.Method == HttpMethod.Put && path.Contains("/jobs/ingest/", StringComparison.Ordinal) && path.EndsWith("/batches", StringComparison.Ordinal))
        {
            log.CountBulkUpload();
            if (log.RewriteCsv is { } rewriteCsv)
            {
                var csv = rewriteCsv(await request.Content!.ReadAsStringAsync(cancellationToken));
                request.Content = new StringContent(csv, Encoding.UTF8, "text/csv");
            }

            return await base.SendAsync(request, cancellationToken);
        }

        if (request.Method == HttpMethod.Get && path.Contains("/jobs/ingest/", StringComparison.Ordinal) && path.TrimEnd('/').EndsWith("/successfulResults", StringComparison.Ordinal))
        {
            var results = await base.SendAsync(request, cancellationToken);
            var text = await results.Content.ReadAsStringAsync(cancellationToken);
            log.RecordSavedCsv(text);
            results.Content = new StringContent(text, Encoding.UTF8, "text/csv");
            return results;
        }

        if (request.Method == HttpMethod.Get && path.EndsWith("/query", StringComparison.Ordinal) && log.FailQueries is { } fail
            && fail(Uri.UnescapeDataString(request.RequestUri!.Query.TrimStart('?').Replace("q=", string.Empty, StringComparison.Ordinal))))
        {
            return WriteLog.Unavailable();
        }

        if (request.Method != HttpMethod.Patch || !path.EndsWith("/composite/sobjects", StringComparison.Ordinal))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var n = log.NextPatch();
        if (log.Fault?.Invoke(n) is { } fault)
        {
            return fault;
        }

        if (log.RewriteBody is { } rewrite)
        {
            var body = rewrite(await request.Content!.ReadAsStringAsync(cancellationToken));
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            log.RecordSaved(text);
            response.Content = new StringContent(text, Encoding.UTF8, "application/json");
        }

        log.AfterPatch?.Invoke(n);
        return response;
    }
}
