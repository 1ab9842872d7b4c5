using System.Net;
using System.Text;
using System.Text.Json;
using SfPredictor.LocalOrg.Tests.Infrastructure;
using SfPredictor.Records;

namespace SfPredictor.LocalOrg.Tests.Durability;

/// <summary>
/// A local org killed with SIGKILL while PATCHes and Bulk ingests stream in keeps, after a restart,
/// every write it acknowledged, and shows each write whole or not at all.
/// </summary>
public sealed class KillTests
{
    private const int Rounds = 3;
    private const int RecordsPerWriter = 100;
    private const string Api = "/services/data/v62.0/";

    [Fact]
    public async Task Restart_AfterSigkillDuringWrites_KeepsEveryAcknowledgedWriteWhole()
    {
        var seed = Random.Shared.Next();
        var random = new Random(seed);
        using var folder = new ExportFolder();
        var ids = Enumerable.Range(1, 2 * RecordsPerWriter).Select(i => SalesforceId.Normalize($"006{i:D12}")).ToArray();
        folder.Write(
            "Opportunity",
            ["Id", "Name", "StageName", "CloseDate", "Amount", "Note__c", "CreatedDate", "LastModifiedDate", "SystemModstamp"],
            ids.Select((id, i) => new string?[] { id, $"Deal {i}", "Prospecting", "2025-06-30", "100", "start", "2025-01-01 00:00:00", "2025-01-01 00:00:00", "2025-01-01 00:00:00" }));
        var patchIds = ids[..RecordsPerWriter];
        var bulkIds = ids[RecordsPerWriter..];
        var patch = new Writer("p");
        var bulk = new Writer("b");

        for (var round = 1; round <= Rounds; round++)
        {
            var context = $"seed {seed}, round {round}";
            using (var org = await LocalOrgProcess.StartAsync(folder.Path, flushDelayMs: random.Next(0, 30)))
            {
                await CheckAsync(org, patchIds, patch, context);
                await CheckAsync(org, bulkIds, bulk, context);

                // Kill once the two streams together have had a random number of writes acknowledged,
                // while both keep writing.
                var killAfter = random.Next(1, 12);
                using var acknowledged = new SemaphoreSlim(0);
                var writers = new[]
                {
                    patch.RunAsync(s => PatchAsync(org, patchIds, s), acknowledged),
                    bulk.RunAsync(s => IngestAsync(org, bulkIds, s), acknowledged),
                };
                for (var i = 0; i < killAfter; i++)
                {
                    await acknowledged.WaitAsync();
                }

                org.Kill();
                await Task.WhenAll(writers);
            }

            Assert.True(patch.Acknowledged + bulk.Acknowledged >= round, $"{context}: writes were acknowledged");
        }

        using var last = await LocalOrgProcess.StartAsync(folder.Path, flushDelayMs: 0);
        await CheckAsync(last, patchIds, patch, $"seed {seed}, after the last kill");
        await CheckAsync(last, bulkIds, bulk, $"seed {seed}, after the last kill");
        await last.StopAsync();
        Assert.Equal(0, new FileInfo(Path.Combine(folder.Path, ".sfp-local-org.journal")).Length);
        var rows = folder.Read("Opportunity");
        Assert.Equal(ids.Length, rows.Count);
        Assert.Single(rows.Take(RecordsPerWriter).Select(r => r["Note__c"]).Distinct());
    }

    // Every record of a writer shows the same write (one write covers all of them), no older than the
    // last acknowledged one and no newer than the last one sent.
    private static async Task CheckAsync(LocalOrgProcess org, string[] ids, Writer writer, string context)
    {
        var idList = string.Join(",", ids.Select(id => $"'{id}'"));
        using var response = await org.Http.GetAsync(Api + "query?q=" + Uri.EscapeDataString($"SELECT Id, Note__c FROM Opportunity WHERE Id IN ({idList})"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{context}: {text}");
        using var body = JsonDocument.Parse(text);
        var notes = body.RootElement.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("Note__c").GetString()).Distinct().ToList();
        Assert.True(notes.Count == 1, $"{context}: a write of {writer.Prefix} is there in part: {string.Join(", ", notes)}");
        var seen = notes[0] == "start" ? 0 : int.Parse(notes[0]![1..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(seen >= writer.Acknowledged, $"{context}: {writer.Prefix} write {writer.Acknowledged} was acknowledged, but the org shows write {seen}");
        Assert.True(seen <= writer.Sent, $"{context}: {writer.Prefix} shows write {seen}, but only {writer.Sent} were sent");

        // The next round starts from what the org holds.
        writer.Acknowledged = writer.Sent = seen;
    }

    private static async Task<bool> PatchAsync(LocalOrgProcess org, string[] ids, int sequence)
    {
        var records = string.Join(",", ids.Select(id => $$"""{"attributes": {"type": "Opportunity"}, "id": "{{id}}", "Note__c": "p{{sequence}}", "Amount": {{sequence}}}"""));
        using var response = await org.Http.PatchAsync(Api + "composite/sobjects", new StringContent($$"""{"allOrNone": true, "records": [{{records}}]}""", Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.OK && !text.Contains("\"success\":false", StringComparison.Ordinal);
    }

    private static async Task<bool> IngestAsync(LocalOrgProcess org, string[] ids, int sequence)
    {
        using var created = await org.Http.PostAsync(Api + "jobs/ingest", new StringContent("""{"object": "Opportunity", "operation": "update", "lineEnding": "LF"}""", Encoding.UTF8, "application/json"));
        using var job = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var jobId = job.RootElement.GetProperty("id").GetString();
        var csv = "Id,Note__c\n" + string.Concat(ids.Select(id => $"{id},b{sequence}\n"));
        using var upload = await org.Http.PutAsync(Api + $"jobs/ingest/{jobId}/batches", new StringContent(csv, Encoding.UTF8, "text/csv"));
        using var closed = await org.Http.PatchAsync(Api + $"jobs/ingest/{jobId}", new StringContent("""{"state": "UploadComplete"}""", Encoding.UTF8, "application/json"));
        return upload.StatusCode == HttpStatusCode.Created && closed.StatusCode == HttpStatusCode.OK;
    }

    /// <summary>One stream of numbered writes, each to the same records.</summary>
    private sealed class Writer(string prefix)
    {
        public string Prefix => prefix;

        /// <summary>The last write answered with success.</summary>
        public int Acknowledged { get; set; }

        /// <summary>The last write sent (acknowledged or not).</summary>
        public int Sent { get; set; }

        /// <summary>Writes until the org stops answering, signalling every acknowledged write.</summary>
        public async Task RunAsync(Func<int, Task<bool>> write, SemaphoreSlim acknowledged)
        {
            while (true)
            {
                var sequence = ++Sent;
                try
                {
                    if (!await write(sequence))
                    {
                        throw new InvalidOperationException($"{prefix} write {sequence} was refused.");
                    }
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or JsonException)
                {
                    return;
                }

                Acknowledged = sequence;
                acknowledged.Release();
            }
        }
    }
}
