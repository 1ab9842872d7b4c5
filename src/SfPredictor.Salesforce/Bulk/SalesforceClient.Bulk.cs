using System.Globalization;
using System.Runtime.CompilerServices;
using SfPredictor.Salesforce.Bulk;
using SfPredictor.Salesforce.Http;
using SfPredictor.Salesforce.Telemetry;

namespace SfPredictor.Salesforce;

public sealed partial class SalesforceClient
{
    private const string LocatorHeader = "Sforce-Locator";

    /// <summary>
    /// Runs a SOQL query as a Bulk API 2.0 query job: creates the job, polls it with backoff until it
    /// completes, then streams the CSV result pages (<c>maxRecords</c> and <c>Sforce-Locator</c>).
    /// Rows have the shape <see cref="QueryAsync"/> gives: field name → raw text, null for empty.
    /// </summary>
    /// <param name="soql">The query.</param>
    /// <param name="includeDeleted">Run as <c>queryAll</c> (deleted and archived records too).</param>
    /// <param name="cancellationToken">Cancels polling and paging.</param>
    public async IAsyncEnumerable<IReadOnlyDictionary<string, string?>> BulkQueryAsync(
        string soql, bool includeDeleted = false, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(soql);
        var request = new BulkQueryJobRequest(includeDeleted ? "queryAll" : "query", soql, "CSV", "COMMA", "LF");
        var created = await SendForJsonAsync(
            HttpMethod.Post, $"{DataPath}/jobs/query", () => JsonBody(request, SalesforceJsonContext.Default.BulkQueryJobRequest),
            SalesforceJsonContext.Default.BulkJobInfo, cancellationToken);
        var jobId = RequireJobId(created, "query");
        await WaitForBulkJobAsync("query", jobId, cancellationToken);

        string? locator = null;
        do
        {
            var url = string.Create(CultureInfo.InvariantCulture, $"{DataPath}/jobs/query/{jobId}/results?maxRecords={Options.BulkResultPageSize}")
                + (locator is null ? string.Empty : "&locator=" + Uri.EscapeDataString(locator));
            // Headers first: the page's rows are read from the connection as the caller takes them.
            using var response = await SendAsync(HttpMethod.Get, url, createContent: null, header: null, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            locator = response.Headers.TryGetValues(LocatorHeader, out var values) ? values.FirstOrDefault() : null;
            // Salesforce writes the literal "null" when there is no further page.
            if (string.IsNullOrEmpty(locator) || locator == "null")
            {
                locator = null;
            }

            await foreach (var row in ReadResultPageAsync(response, url, jobId, cancellationToken))
            {
                yield return row;
            }
        }
        while (locator is not null);
    }

    /// <summary>
    /// The rows of one result page. A connection that breaks in the middle of a page cannot be retried like a
    /// call, since its first rows are already handed on; the results of a finished job do not change, so the
    /// page is read again from the start and the rows already given are skipped: nothing is lost or given twice.
    /// </summary>
    private async IAsyncEnumerable<IReadOnlyDictionary<string, string?>> ReadResultPageAsync(
        HttpResponseMessage first, string url, string jobId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var response = first;
        var given = 0;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var broken = false;
                var read = 0;
                await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken))
                {
                    await using var rows = BulkCsv.ReadRowsAsync(body, $"Bulk query job {jobId} results", cancellationToken).GetAsyncEnumerator(cancellationToken);
                    while (true)
                    {
                        try
                        {
                            if (!await rows.MoveNextAsync())
                            {
                                break;
                            }
                        }
                        catch (IOException e)
                        {
                            if (attempt > Options.MaxRetries)
                            {
                                throw new SalesforceApiException(
                                    "CONNECTION_FAILED", statusCode: null,
                                    $"Bulk query job {jobId}: a result page broke off {attempt} times, the last after {read} rows ({e.Message}); {given} rows of it were read (Salesforce:MaxRetries = {Options.MaxRetries}).",
                                    [], e);
                            }

                            Log.BulkPageResumed(_connection.Logger, jobId, given, e.Message, attempt);
                            broken = true;
                            break;
                        }

                        if (++read > given)
                        {
                            given++;
                            yield return rows.Current;
                        }
                    }
                }

                if (!broken)
                {
                    yield break;
                }

                if (response != first)
                {
                    response.Dispose();
                }

                response = await SendAsync(HttpMethod.Get, url, createContent: null, header: null, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
        }
        finally
        {
            if (response != first)
            {
                response.Dispose();
            }
        }
    }

    /// <summary>Runs one Bulk API 2.0 ingest job (update) and returns a result for every row, in input order.</summary>
    private async Task<RecordSaveResult[]> BulkUpdateAsync(string objectName, IReadOnlyList<ValidUpdate> updates, CancellationToken cancellationToken)
    {
        var columns = new List<string> { "Id" };
        foreach (var update in updates)
        {
            columns.AddRange(update.Record.Fields.Keys.Where(k => !columns.Contains(k, StringComparer.OrdinalIgnoreCase)));
        }

        // An absent field is left as it is (empty cell); a null value clears the field (#N/A).
        var csv = BulkCsv.Write(columns, updates.Select(u => columns
            .Select((column, i) => i == 0 ? u.Id : u.Record.Fields.TryGetValue(column, out var value) ? FieldValues.ToCsv(value) : string.Empty)
            .ToArray()));

        var request = new BulkIngestJobRequest(objectName, "update", "CSV", "COMMA", "LF");
        var created = await SendForJsonAsync(
            HttpMethod.Post, $"{DataPath}/jobs/ingest", () => JsonBody(request, SalesforceJsonContext.Default.BulkIngestJobRequest),
            SalesforceJsonContext.Default.BulkJobInfo, cancellationToken);
        var jobId = RequireJobId(created, "ingest");
        var jobUrl = $"{DataPath}/jobs/ingest/{jobId}";
        try
        {
            using (await SendAsync(HttpMethod.Put, $"{jobUrl}/batches", () => new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"), cancellationToken))
            {
            }

            using (await SendAsync(HttpMethod.Patch, jobUrl, () => JsonBody(new BulkJobStateRequest("UploadComplete"), SalesforceJsonContext.Default.BulkJobStateRequest), cancellationToken))
            {
            }
        }
        catch (SalesforceApiException) when (!cancellationToken.IsCancellationRequested)
        {
            await TryAbortAsync(jobUrl);
            throw;
        }

        await WaitForBulkJobAsync("ingest", jobId, cancellationToken);

        var outcomes = new Dictionary<string, RecordSaveResult>(StringComparer.OrdinalIgnoreCase);
        await foreach (var row in ReadBulkCsvAsync($"{jobUrl}/successfulResults/", cancellationToken))
        {
            if (ResultId(row) is { } id)
            {
                outcomes[id] = RecordSaveResult.Succeeded(id);
            }
        }

        await foreach (var row in ReadBulkCsvAsync($"{jobUrl}/failedResults/", cancellationToken))
        {
            if (ResultId(row) is { } id)
            {
                var (code, message, fields) = ParseBulkError(row.GetValueOrDefault("sf__Error"));
                outcomes[id] = RecordSaveResult.Failed(id, code, message, fields);
            }
        }

        return updates
            .Select(u => outcomes.GetValueOrDefault(u.Id)
                ?? RecordSaveResult.Failed(u.Id, "MISSING_RESULT", $"Bulk ingest job {jobId} reported no result for this record.", []))
            .ToArray();
    }

    private async IAsyncEnumerable<IReadOnlyDictionary<string, string?>> ReadBulkCsvAsync(string url, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, url, createContent: null, header: null, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var row in BulkCsv.ReadRowsAsync(body, $"GET {url}", cancellationToken))
        {
            yield return row;
        }
    }

    private async Task WaitForBulkJobAsync(string kind, string jobId, CancellationToken cancellationToken)
    {
        var time = _connection.TimeProvider;
        var started = time.GetTimestamp();
        var delay = Options.BulkPollInitialDelay;
        while (true)
        {
            if (time.GetElapsedTime(started) + delay > Options.BulkJobTimeout)
            {
                throw new SalesforceApiException(
                    "BULK_JOB_TIMEOUT", statusCode: null,
                    $"Bulk {kind} job {jobId} did not complete within {Options.BulkJobTimeout} (Salesforce:BulkJobTimeout).", []);
            }

            await Task.Delay(delay, time, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, Options.BulkPollMaxDelay.Ticks));

            var info = await SendForJsonAsync(HttpMethod.Get, $"{DataPath}/jobs/{kind}/{jobId}", null, SalesforceJsonContext.Default.BulkJobInfo, cancellationToken);
            Log.BulkJobState(_connection.Logger, kind, jobId, info.State ?? "(no state)");
            switch (info.State)
            {
                case "JobComplete":
                    return;
                case "Failed" or "Aborted":
                    throw new SalesforceApiException(
                        "BULK_JOB_FAILED", statusCode: null,
                        $"Bulk {kind} job {jobId} ended {info.State}: {info.ErrorMessage ?? "Salesforce gave no reason"}.", []);
            }
        }
    }

    // Leaves no open job behind when the upload fails; a failure to abort changes nothing for the caller.
    private async Task TryAbortAsync(string jobUrl)
    {
        try
        {
            using (await SendAsync(HttpMethod.Patch, jobUrl, () => JsonBody(new BulkJobStateRequest("Aborted"), SalesforceJsonContext.Default.BulkJobStateRequest), CancellationToken.None))
            {
            }
        }
        catch (SalesforceApiException)
        {
        }
    }

    private static string RequireJobId(BulkJobInfo job, string kind) =>
        job.Id is { Length: > 0 } id && id.All(char.IsAsciiLetterOrDigit)
            ? id
            : throw new SalesforceApiException("MALFORMED_RESPONSE", statusCode: null, $"Salesforce created a Bulk {kind} job without a usable id.", []);

    private static string? ResultId(IReadOnlyDictionary<string, string?> row)
    {
        var id = row.GetValueOrDefault("Id") ?? row.GetValueOrDefault("sf__Id");
        return id is not null && Records.SalesforceId.TryNormalize(id, out var normalized) ? normalized : null;
    }

    /// <summary>Splits <c>sf__Error</c>, e.g. <c>REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --</c>.</summary>
    internal static (string Code, string Message, IReadOnlyList<string> Fields) ParseBulkError(string? error)
    {
        if (string.IsNullOrWhiteSpace(error))
        {
            return ("UNKNOWN_ERROR", "Salesforce reported a failure without a message.", []);
        }

        var text = error.Trim();
        if (text.EndsWith("--", StringComparison.Ordinal))
        {
            text = text[..^2].TrimEnd();
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !text[..colon].All(c => char.IsAsciiLetterUpper(c) || c == '_'))
        {
            return ("UNKNOWN_ERROR", text, []);
        }

        var code = text[..colon];
        var rest = text[(colon + 1)..];
        var last = rest.LastIndexOf(':');
        if (last >= 0)
        {
            var fields = rest[(last + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (fields.All(f => f.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.')))
            {
                return (code, rest[..last], fields);
            }
        }

        return (code, rest, []);
    }
}
