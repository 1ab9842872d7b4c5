using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SfPredictor.LocalOrg.Benchmark;

/// <summary>What <see cref="LocalOrgBenchmark"/> measured.</summary>
/// <param name="Load">What was loaded and how long reading took.</param>
/// <param name="StartTime">From the call to start until the org answered (reading included).</param>
/// <param name="StartCpuTime">Processor time the process spent in that start, over all cores (wall time on a busy machine overstates the work).</param>
/// <param name="ManagedHeapBytes">Live managed memory after loading, after a full collection.</param>
/// <param name="WorkingSetBytes">The process's working set after loading.</param>
/// <param name="PeakWorkingSetBytes">The process's peak working set over the whole run.</param>
/// <param name="OpenOpportunities">Open Opportunities the query returned.</param>
/// <param name="FirstPageTime">Login excluded: the query for open Opportunities with Account fields, first page.</param>
/// <param name="AllPagesTime">The same query through its last page.</param>
/// <param name="Pages">Pages of that query.</param>
/// <param name="CountTime">A <c>SELECT COUNT()</c> over every Task.</param>
/// <param name="Tasks">The count.</param>
/// <param name="PatchTime">The first sObject Collections PATCH of 200 Opportunities (the org's first write).</param>
/// <param name="FlushTime">Writing the changed Opportunity file back; null when updates are not persisted.</param>
/// <param name="NextPatchTime">The next PATCH of 200 other Opportunities, right after the first.</param>
public sealed record LocalOrgBenchmarkResult(
    LocalOrgLoadSummary Load,
    TimeSpan StartTime,
    TimeSpan StartCpuTime,
    long ManagedHeapBytes,
    long WorkingSetBytes,
    long PeakWorkingSetBytes,
    int OpenOpportunities,
    TimeSpan FirstPageTime,
    TimeSpan AllPagesTime,
    int Pages,
    TimeSpan CountTime,
    int Tasks,
    TimeSpan PatchTime,
    TimeSpan? FlushTime,
    TimeSpan NextPatchTime);

/// <summary>
/// Measures a local org over an export: load time and memory, then a query with paging, a count, a
/// PATCH of 200 records and the write-back, each over real HTTP.
/// </summary>
public static class LocalOrgBenchmark
{
    private const string ClientId = "sfp-bench";
    private const string WriteField = "SfP_Win_Probability__c";
    private const string OpenOpportunities =
        "SELECT Id, Name, StageName, Amount, CloseDate, SystemModstamp, Account.Name, Account.Industry, Owner.Name FROM Opportunity WHERE IsClosed = false ORDER BY CloseDate";

    /// <param name="exportDirectory">The Data Export folder.</param>
    /// <param name="persistUpdates">Whether the PATCH is written back to the folder (and the write-back timed).</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public static async Task<LocalOrgBenchmarkResult> RunAsync(string exportDirectory, bool persistUpdates, CancellationToken cancellationToken = default)
    {
        GC.Collect();
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var options = new LocalOrgOptions
        {
            ExportDirectory = exportDirectory,
            ClientId = ClientId,
            ClientSecret = secret,
            PersistUpdates = persistUpdates,
            FlushDelay = TimeSpan.FromHours(1),
        };
        options.CustomFields.Add($"Opportunity.{WriteField}:percent");

        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        await using var org = await LocalOrgServer.StartAsync(options, cancellationToken);
        var startTime = Stopwatch.GetElapsedTime(started);
        process.Refresh();
        var startCpu = process.TotalProcessorTime - cpuBefore;
        var managedHeap = GC.GetTotalMemory(forceFullCollection: true);
        process.Refresh();
        var workingSet = process.WorkingSet64;

        using var http = new HttpClient { BaseAddress = org.BaseUri, Timeout = TimeSpan.FromMinutes(5) };
        await LoginAsync(http, secret, cancellationToken);

        started = Stopwatch.GetTimestamp();
        var page = await GetAsync(http, "/services/data/v62.0/query?q=" + Uri.EscapeDataString(OpenOpportunities), cancellationToken);
        var firstPage = Stopwatch.GetElapsedTime(started);
        var ids = new List<string>();
        var pages = 1;
        while (true)
        {
            ids.AddRange(page.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("Id").GetString()!));
            if (page.GetProperty("done").GetBoolean())
            {
                break;
            }

            page = await GetAsync(http, page.GetProperty("nextRecordsUrl").GetString()!, cancellationToken);
            pages++;
        }

        var allPages = Stopwatch.GetElapsedTime(started);

        started = Stopwatch.GetTimestamp();
        var count = await GetAsync(http, "/services/data/v62.0/query?q=" + Uri.EscapeDataString("SELECT COUNT() FROM Task"), cancellationToken);
        var countTime = Stopwatch.GetElapsedTime(started);

        var patchTime = await PatchAsync(http, ids.Take(200), cancellationToken);
        var nextPatchTime = await PatchAsync(http, ids.Skip(200).Take(200), cancellationToken);

        TimeSpan? flushTime = null;
        if (persistUpdates)
        {
            started = Stopwatch.GetTimestamp();
            await org.FlushAsync(cancellationToken);
            flushTime = Stopwatch.GetElapsedTime(started);
        }

        process.Refresh();
        return new LocalOrgBenchmarkResult(
            org.Load, startTime, startCpu, managedHeap, workingSet, process.PeakWorkingSet64, ids.Count, firstPage, allPages, pages,
            countTime, count.GetProperty("totalSize").GetInt32(), patchTime, flushTime, nextPatchTime);
    }

    private static async Task<TimeSpan> PatchAsync(HttpClient http, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var patch = new
        {
            allOrNone = false,
            records = ids.Select((id, i) => new Dictionary<string, object>
            {
                ["attributes"] = new { type = "Opportunity" },
                ["id"] = id,
                [WriteField] = Math.Round(i / 200.0, 4),
            }).ToList(),
        };

        // Serialized before timing: the client's own first use of the serializer is not the org's time.
        using var body = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(patch));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var started = Stopwatch.GetTimestamp();
        using (var response = await http.PatchAsync("/services/data/v62.0/composite/sobjects", body, cancellationToken))
        {
            response.EnsureSuccessStatusCode();
        }

        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>The result as the lines the benchmark command prints.</summary>
    public static IEnumerable<string> Describe(LocalOrgBenchmarkResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var rows = string.Join(", ", result.Load.RowCounts.OrderByDescending(r => r.Value).Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} {r.Value:N0}")));
        yield return string.Create(CultureInfo.InvariantCulture, $"loaded {result.Load.TotalRows:N0} records ({rows})");
        yield return string.Create(CultureInfo.InvariantCulture, $"| measure | value |");
        yield return "|---|---:|";
        yield return Row("read the export", Seconds(result.Load.Elapsed));
        yield return Row("start (read + listen)", Seconds(result.StartTime));
        yield return Row("processor time of the start, all cores", Seconds(result.StartCpuTime));
        yield return Row("managed heap after load", Megabytes(result.ManagedHeapBytes));
        yield return Row("working set after load", Megabytes(result.WorkingSetBytes));
        yield return Row("peak working set", Megabytes(result.PeakWorkingSetBytes));
        yield return Row($"query open Opportunities + Account, Owner: first page", Milliseconds(result.FirstPageTime));
        yield return Row(string.Create(CultureInfo.InvariantCulture, $"same query, all {result.Pages} pages ({result.OpenOpportunities:N0} records)"), Milliseconds(result.AllPagesTime));
        yield return Row(string.Create(CultureInfo.InvariantCulture, $"SELECT COUNT() FROM Task ({result.Tasks:N0})"), Milliseconds(result.CountTime));
        yield return Row("PATCH 200 Opportunities (sObject Collections), first write", Milliseconds(result.PatchTime));
        yield return Row("PATCH 200 other Opportunities, next write", Milliseconds(result.NextPatchTime));
        yield return Row("write Opportunity.csv back", result.FlushTime is { } flush ? Milliseconds(flush) : "not persisted");
    }

    private static string Row(string measure, string value) => $"| {measure} | {value} |";

    private static string Seconds(TimeSpan time) => string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:0.00} s");

    private static string Milliseconds(TimeSpan time) => string.Create(CultureInfo.InvariantCulture, $"{time.TotalMilliseconds:N0} ms");

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):N0} MB");

    private static async Task LoginAsync(HttpClient http, string secret, CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ClientId,
            ["client_secret"] = secret,
        });
        using var response = await http.PostAsync("/services/oauth2/token", form, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.RootElement.GetProperty("access_token").GetString());
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{path} answered {(int)response.StatusCode}: {text}"));
        }

        using var document = JsonDocument.Parse(Encoding.UTF8.GetBytes(text));
        return document.RootElement.Clone();
    }
}
