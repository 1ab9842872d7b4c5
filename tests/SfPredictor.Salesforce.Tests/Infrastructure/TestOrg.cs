using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WireMock.Matchers;
using WireMock.RequestBuilders;

namespace SfPredictor.Salesforce.Tests.Infrastructure;

/// <summary>
/// Records served through the REST query (and queryAll) and Bulk query endpoints, answering the SOQL the reader
/// sends: SELECT fields or COUNT(), WHERE conditions joined by AND (=, !=, &lt;, &gt;, &gt;=, IN), ORDER BY ignored.
/// Objects it does not hold answer INVALID_TYPE, as Salesforce does.
/// </summary>
internal sealed partial class TestOrg
{
    private readonly ConcurrentDictionary<string, string> _bulkJobs = new();

    public Dictionary<string, List<Dictionary<string, object?>>> Objects { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentQueue<string> Soql { get; } = new();

    public void Add(string objectName, params Dictionary<string, object?>[] records)
    {
        if (!Objects.TryGetValue(objectName, out var list))
        {
            Objects[objectName] = list = [];
        }

        list.AddRange(records);
    }

    /// <summary>Answers the REST and Bulk query endpoints of <paramref name="salesforce"/> from these records.</summary>
    public void Serve(SalesforceMock salesforce)
    {
        const string Jobs = SalesforceMock.DataPath + "/jobs/query";
        // queryAll answers as query does: the test records hold no deleted ones.
        salesforce.Server.Given(Request.Create().WithPath(SalesforceMock.DataPath + "/query", SalesforceMock.DataPath + "/queryAll").UsingGet()).RespondWith(SalesforceMock.Reply(call =>
        {
            var soql = call.Query["q"].ToString();
            Soql.Enqueue(soql);
            if (!TryRun(soql, out var objectName, out var rows, out var fields, out var count))
            {
                return InvalidType(soql);
            }

            var records = new JsonArray([.. rows.Select(r => ToJson(objectName, r, fields))]);
            var page = new JsonObject { ["totalSize"] = rows.Count, ["done"] = true, ["records"] = count ? new JsonArray() : records };
            return new Answer(200, page.ToJsonString());
        }));

        salesforce.Server.Given(Request.Create().WithPath(Jobs).UsingPost()).RespondWith(SalesforceMock.Reply(call =>
        {
            var soql = JsonNode.Parse(call.Body!)!["query"]!.GetValue<string>();
            Soql.Enqueue(soql);
            var id = $"750R0000000zlh{_bulkJobs.Count:D4}";
            _bulkJobs[id] = soql;
            return new Answer(200, JobInfo(id, "UploadComplete"));
        }));
        salesforce.Server.Given(Request.Create().WithPath(new RegexMatcher($"^{Regex.Escape(Jobs)}/[^/]+$")).UsingGet())
            .RespondWith(SalesforceMock.Reply(call => new Answer(200, JobInfo(call.Path[(Jobs.Length + 1)..], "JobComplete"))));
        salesforce.Server.Given(Request.Create().WithPath(new RegexMatcher($"^{Regex.Escape(Jobs)}/[^/]+/results$")).UsingGet())
            .RespondWith(SalesforceMock.Reply(call =>
            {
                var soql = _bulkJobs[call.Path[(Jobs.Length + 1)..^"/results".Length]];
                return TryRun(soql, out _, out var rows, out var fields, out _)
                    ? new Answer(200, ToCsv(rows, fields), "text/csv", new Dictionary<string, string> { ["Sforce-Locator"] = "null", ["Sforce-NumberOfRecords"] = rows.Count.ToString(CultureInfo.InvariantCulture) })
                    : InvalidType(soql);
            }));
    }

    private static string JobInfo(string id, string state) =>
        $$"""{"id":"{{id}}","operation":"query","object":"Opportunity","createdById":"005R0000000bBqKIAU","state":"{{state}}","concurrencyMode":"Parallel","contentType":"CSV","apiVersion":62.0,"lineEnding":"LF","columnDelimiter":"COMMA"}""";

    private static Answer InvalidType(string soql) =>
        new(400, JsonSerializer.Serialize(new[]
        {
            new { message = $"\n{soql}\n^\nERROR at Row:1:Column:1\nsObject type is not supported.", errorCode = "INVALID_TYPE" },
        }));

    private bool TryRun(string soql, out string objectName, out List<Dictionary<string, object?>> rows, out string[] fields, out bool count)
    {
        var match = SelectPattern().Match(soql);
        Assert.True(match.Success, $"Unexpected SOQL: {soql}");
        objectName = match.Groups["object"].Value;
        fields = match.Groups["fields"].Value.Split(", ");
        count = fields is ["COUNT()"];
        rows = [];
        if (!Objects.TryGetValue(match.Groups["object"].Value, out var records))
        {
            return false;
        }

        var conditions = match.Groups["where"].Success ? match.Groups["where"].Value.Split(" AND ") : [];
        rows = records.Where(r => conditions.All(c => Holds(r, c))).ToList();
        return true;
    }

    private static bool Holds(Dictionary<string, object?> record, string condition)
    {
        var match = ConditionPattern().Match(condition);
        Assert.True(match.Success, $"Unexpected condition: {condition}");
        var actual = Text(record.GetValueOrDefault(match.Groups["field"].Value));
        var literal = match.Groups["value"].Value;
        if (match.Groups["op"].Value == "IN")
        {
            return literal.Trim('(', ')').Split(", ").Select(Unquote).Contains(actual, StringComparer.OrdinalIgnoreCase);
        }

        var expected = Unquote(literal);
        var order = Compare(actual, expected);
        return match.Groups["op"].Value switch
        {
            "=" => order == 0,
            "!=" => order != 0,
            ">" => order > 0,
            ">=" => order >= 0,
            "<" => order < 0,
            _ => order <= 0,
        };
    }

    private static int Compare(string? actual, string? expected)
    {
        if (actual is null || expected is null)
        {
            return actual is null && expected is null ? 0 : actual is null ? -1 : 1;
        }

        const DateTimeStyles Utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        return DateTimeOffset.TryParse(actual, CultureInfo.InvariantCulture, Utc, out var a) && DateTimeOffset.TryParse(expected, CultureInfo.InvariantCulture, Utc, out var e)
            ? a.CompareTo(e)
            : string.Compare(actual, expected, StringComparison.OrdinalIgnoreCase);
    }

    private static string? Unquote(string literal) => literal == "null" ? null : literal.Trim('\'');

    private static string? Text(object? value) => value switch
    {
        null => null,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    // Shaped as Salesforce returns query records: attributes with the type and the record's URL first.
    private static JsonObject ToJson(string objectName, Dictionary<string, object?> record, string[] fields)
    {
        var json = new JsonObject
        {
            ["attributes"] = new JsonObject { ["type"] = objectName, ["url"] = $"{SalesforceMock.DataPath}/sobjects/{objectName}/{Text(record.GetValueOrDefault("Id"))}" },
        };
        foreach (var field in fields)
        {
            json[field] = JsonValue.Create(record.GetValueOrDefault(field));
        }

        return json;
    }

    private static string ToCsv(List<Dictionary<string, object?>> rows, string[] fields)
    {
        var csv = new StringBuilder(string.Join(",", fields.Select(f => $"\"{f}\""))).Append('\n');
        foreach (var row in rows)
        {
            csv.Append(string.Join(",", fields.Select(f => $"\"{Text(row.GetValueOrDefault(f))?.Replace("\"", "\"\"", StringComparison.Ordinal)}\""))).Append('\n');
        }

        return csv.ToString();
    }

    [GeneratedRegex(@"^SELECT (?<fields>.+?) FROM (?<object>\w+)(?: WHERE (?<where>.+?))?(?: ORDER BY .+?)?(?: LIMIT \d+)?$")]
    private static partial Regex SelectPattern();

    [GeneratedRegex(@"^(?<field>[\w.]+) (?<op>=|!=|>=|<=|>|<|IN) (?<value>.+)$")]
    private static partial Regex ConditionPattern();
}
