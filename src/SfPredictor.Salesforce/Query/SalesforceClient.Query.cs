using System.Globalization;
using System.Runtime.CompilerServices;
using SfPredictor.Salesforce.Http;

namespace SfPredictor.Salesforce;

public sealed partial class SalesforceClient
{
    /// <summary>
    /// Runs a SOQL query (<c>GET /services/data/vXX.X/query?q=</c>) and streams its records page by
    /// page over <c>nextRecordsUrl</c>. Each record is flat: field API name to raw value text, parent
    /// fields as <c>Account.Industry</c>, nulls as null.
    /// </summary>
    public IAsyncEnumerable<IReadOnlyDictionary<string, string?>> QueryAsync(string soql, CancellationToken cancellationToken = default) =>
        QueryPagesAsync("query", soql, cancellationToken);

    /// <summary>
    /// The records of a custom metadata type (<c>..__mdt</c>) with their DeveloperName: the one named
    /// <paramref name="developerName"/>, or every one in DeveloperName order. One call.
    /// </summary>
    /// <param name="typeName">The type's API name.</param>
    /// <param name="fields">The fields to read besides DeveloperName.</param>
    /// <param name="developerName">The record to read; null for every one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="SalesforceApiException">Among others <c>INVALID_TYPE</c> or <c>INVALID_FIELD</c> when the type or a field is not deployed.</exception>
    public async Task<List<IReadOnlyDictionary<string, string?>>> ReadCustomMetadataAsync(
        string typeName, IReadOnlyList<string> fields, string? developerName = null, CancellationToken cancellationToken = default)
    {
        var soql = new SoqlBuilder(typeName).Select(["DeveloperName", .. fields]);
        if (developerName is null)
        {
            soql.OrderBy("DeveloperName");
        }
        else
        {
            soql.Where("DeveloperName", "=", developerName).Limit(1);
        }

        var records = new List<IReadOnlyDictionary<string, string?>>();
        await foreach (var row in QueryAsync(soql.Build(), cancellationToken))
        {
            records.Add(row);
        }

        return records;
    }

    /// <summary>Like <see cref="QueryAsync"/> but through <c>queryAll</c>: deleted and archived records included.</summary>
    public IAsyncEnumerable<IReadOnlyDictionary<string, string?>> QueryAllAsync(string soql, CancellationToken cancellationToken = default) =>
        QueryPagesAsync("queryAll", soql, cancellationToken);

    /// <summary>
    /// Runs a SOQL query through REST pages, unless its first page says more than
    /// <see cref="SalesforceOptions.BulkThreshold"/> records match: then through one Bulk API 2.0 query job
    /// instead. A small result costs no count call; a large one costs one REST call more than the job.
    /// </summary>
    /// <param name="soql">The query.</param>
    /// <param name="chosen">Told which API reads the rows and how many match, before the first row.</param>
    /// <param name="cancellationToken">Cancels paging and polling.</param>
    public async IAsyncEnumerable<IReadOnlyDictionary<string, string?>> QueryAutoAsync(
        string soql, Action<TransferMode, long>? chosen = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var url = QueryUrl("query", soql);
        var page = await GetQueryPageAsync(url, cancellationToken);
        if (!page.Done && page.TotalSize > Options.BulkThreshold)
        {
            chosen?.Invoke(TransferMode.Bulk, page.TotalSize);
            await foreach (var row in BulkQueryAsync(soql, cancellationToken: cancellationToken))
            {
                yield return row;
            }

            yield break;
        }

        chosen?.Invoke(TransferMode.Rest, page.TotalSize);
        await foreach (var row in RowsFromAsync(page, url, cancellationToken))
        {
            yield return row;
        }
    }

    /// <summary>The <c>totalSize</c> of a query, one call: meant for <c>SELECT COUNT() FROM ...</c>.</summary>
    public async Task<long> CountAsync(string soql, CancellationToken cancellationToken = default)
    {
        var page = await GetQueryPageAsync(QueryUrl("query", soql), cancellationToken);
        return page.TotalSize;
    }

    private async IAsyncEnumerable<IReadOnlyDictionary<string, string?>> QueryPagesAsync(
        string resource, string soql, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var url = QueryUrl(resource, soql);
        await foreach (var row in RowsFromAsync(await GetQueryPageAsync(url, cancellationToken), url, cancellationToken))
        {
            yield return row;
        }
    }

    // The rows of a first page (read from url) and of every page after it.
    private async IAsyncEnumerable<IReadOnlyDictionary<string, string?>> RowsFromAsync(
        QueryPage page, string url, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            foreach (var record in page.Records ?? [])
            {
                yield return JsonRecords.Flatten(record);
            }

            if (page.Done)
            {
                yield break;
            }

            url = NextPageUrl(page.NextRecordsUrl, url);
            page = await GetQueryPageAsync(url, cancellationToken);
        }
    }

    private async Task<QueryPage> GetQueryPageAsync(string url, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(
            HttpMethod.Get,
            url,
            createContent: null,
            new("Sforce-Query-Options", string.Create(CultureInfo.InvariantCulture, $"batchSize={Options.QueryBatchSize}")),
            HttpCompletionOption.ResponseContentRead,
            cancellationToken);
        return await ReadJsonAsync(response, SalesforceJsonContext.Default.QueryPage, $"GET {PathOf(url)}", cancellationToken);
    }

    private string QueryUrl(string resource, string soql)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(soql);
        return $"{DataPath}/{resource}?q={Uri.EscapeDataString(soql)}";
    }

    // The bearer token goes only to the instance's own data API, whatever a response says.
    private static string NextPageUrl(string? next, string previous)
    {
        if (next is null || !next.StartsWith("/services/data/", StringComparison.Ordinal) || next.Contains("//", StringComparison.Ordinal))
        {
            throw new SalesforceApiException(
                "MALFORMED_RESPONSE",
                statusCode: null,
                $"Salesforce's answer to GET {PathOf(previous)} says more records follow but gives no usable nextRecordsUrl.",
                []);
        }

        return next;
    }
}
