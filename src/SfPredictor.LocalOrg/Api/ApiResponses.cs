using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SfPredictor.LocalOrg.Api;

/// <summary>Writes answers in Salesforce's shapes: JSON bodies, REST error arrays, OAuth errors.</summary>
internal static class ApiResponses
{
    public const string JsonContentType = "application/json;charset=UTF-8";
    public const string NotFound = "NOT_FOUND";
    public const string NotFoundMessage = "The requested resource does not exist";

    // Salesforce writes non-ASCII text as UTF-8, not as \u escapes; the answers are JSON, never HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Builds the JSON in memory first, so a caller holding the store lock never awaits the network.</summary>
    public static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static Task WriteJsonAsync(HttpContext context, int status, byte[] json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = JsonContentType;
        return context.Response.Body.WriteAsync(json, context.RequestAborted).AsTask();
    }

    public static Task WriteJsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> write) =>
        WriteJsonAsync(context, status, Json(write));

    /// <summary>The REST API's error body: <c>[{"message": ..., "errorCode": ..., "fields": [...]}]</c>.</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string errorCode, string message, IReadOnlyList<string>? fields = null) =>
        WriteJsonAsync(context, status, writer =>
        {
            writer.WriteStartArray();
            WriteError(writer, "errorCode", errorCode, message, fields);
            writer.WriteEndArray();
        });

    /// <summary>One error object; <paramref name="codeName"/> is <c>errorCode</c> in REST bodies and <c>statusCode</c> in save results.</summary>
    public static void WriteError(Utf8JsonWriter writer, string codeName, string code, string message, IReadOnlyList<string>? fields)
    {
        writer.WriteStartObject();
        writer.WriteString(codeName, code);
        writer.WriteString("message", message);
        if (fields is not null)
        {
            writer.WriteStartArray("fields");
            foreach (var field in fields)
            {
                writer.WriteStringValue(field);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>The OAuth token endpoint's error body: <c>{"error": ..., "error_description": ...}</c>.</summary>
    public static Task WriteOAuthErrorAsync(HttpContext context, int status, string error, string description) =>
        WriteJsonAsync(context, status, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("error", error);
            writer.WriteString("error_description", description);
            writer.WriteEndObject();
        });

    public static Task WriteNotFoundAsync(HttpContext context) =>
        WriteErrorAsync(context, StatusCodes.Status404NotFound, NotFound, NotFoundMessage);

    /// <summary>Reads a JSON request body; null (after answering 400 JSON_PARSER_ERROR) when it is not JSON.</summary>
    public static async Task<JsonDocument?> ReadJsonAsync(HttpContext context)
    {
        try
        {
            return await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException e)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "JSON_PARSER_ERROR", e.Message);
            return null;
        }
    }

    /// <summary>The API version segment of the route (<c>62.0</c> of <c>v62.0</c>).</summary>
    public static string Version(HttpContext context) => (string)context.GetRouteValue("version")!;
}
