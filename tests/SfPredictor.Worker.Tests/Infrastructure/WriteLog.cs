using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;

namespace SfPredictor.Worker.Tests.Infrastructure;

/// <summary>
/// What reached the org's sObject Collections endpoint: every record the org saved, counted per Id, and
/// hooks to fail or change calls on the way (a crash, a rejected value, a failed query, a stop request).
/// </summary>
internal sealed class WriteLog
{
    private readonly ConcurrentDictionary<string, int> _saved = new(StringComparer.OrdinalIgnoreCase);
    private int _patches;

    /// <summary>Answers the n-th PATCH (1-based) instead of the org when it returns a response.</summary>
    public Func<int, HttpResponseMessage?>? Fault { get; set; }

    /// <summary>Rewrites a PATCH body before it goes to the org.</summary>
    public Func<string, string>? RewriteBody { get; set; }

    /// <summary>Called after the n-th PATCH came back from the org.</summary>
    public Action<int>? AfterPatch { get; set; }

    /// <summary>REST queries whose SOQL this picks are answered as by an org that is down.</summary>
    public Func<string, bool>? FailQueries { get; set; }

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
