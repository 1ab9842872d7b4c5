using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SfPredictor.Salesforce.Tests.Infrastructure;

/// <summary>
/// Records served through the REST query and Bulk query endpoints, answering the SOQL the reader
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

    public void Map(WebApplication app, TestSalesforceServer server)
    {
        server.MapToken(app);
        app.MapGet(TestSalesforceServer.DataPath + "/query", async ctx =>
        {
            var soql = ctx.Request.Query["q"].ToString();
            Soql.Enqueue(soql);
            if (!TryRun(soql, out var rows, out var fields, out var count))
            {
                await InvalidType(ctx, soql);
                return;
            }

            var records = new JsonArray([.. rows.Select(r => ToJson(r, fields))]);
            var page = new JsonObject { ["totalSize"] = rows.Count, ["done"] = true, ["records"] = count ? new JsonArray() : records };
            await TestSalesforceServer.WriteAsync(ctx, 200, page.ToJsonString());
        });

        const string Jobs = TestSalesforceServer.DataPath + "/jobs/query";
        app.MapPost(Jobs, async ctx =>
        {
            var soql = JsonNode.Parse(await new StreamReader(ctx.Request.Body).ReadToEndAsync())!["query"]!.GetValue<string>();
            Soql.Enqueue(soql);
            var id = $"750R0000000zlh{_bulkJobs.Count:D4}";
            _bulkJobs[id] = soql;
            await TestSalesforceServer.WriteAsync(ctx, 200, $$"""{"id":"{{id}}","operation":"query","state":"UploadComplete"}""");
        });
        app.MapGet(Jobs + "/{id}", ctx => TestSalesforceServer.WriteAsync(ctx, 200, $$"""{"id":"{{ctx.Request.RouteValues["id"]}}","state":"JobComplete"}"""));
        app.MapGet(Jobs + "/{id}/results", async ctx =>
        {
            var soql = _bulkJobs[(string)ctx.Request.RouteValues["id"]!];
            if (!TryRun(soql, out var rows, out var fields, out _))
            {
                await InvalidType(ctx, soql);
                return;
            }

            ctx.Response.Headers["Sforce-Locator"] = "null";
            await TestSalesforceServer.WriteAsync(ctx, 200, ToCsv(rows, fields), "text/csv");
        });
    }

    private static Task InvalidType(HttpContext context, string soql) =>
        TestSalesforceServer.WriteAsync(context, 400, JsonSerializer.Serialize(new[]
        {
            new { message = $"\n{soql}\n^\nERROR at Row:1:Column:1\nsObject type is not supported.", errorCode = "INVALID_TYPE" },
        }));

    private bool TryRun(string soql, out List<Dictionary<string, object?>> rows, out string[] fields, out bool count)
    {
        var match = SelectPattern().Match(soql);
        Assert.True(match.Success, $"Unexpected SOQL: {soql}");
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

    private static JsonObject ToJson(Dictionary<string, object?> record, string[] fields)
    {
        var json = new JsonObject { ["attributes"] = new JsonObject { ["type"] = "Record" } };
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
