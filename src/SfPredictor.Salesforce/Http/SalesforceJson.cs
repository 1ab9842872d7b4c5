using System.Text.Json;
using System.Text.Json.Serialization;

namespace SfPredictor.Salesforce.Http;

// The wire shapes of the Salesforce endpoints the client calls, named as Salesforce names them.

internal sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("instance_url")] string? InstanceUrl,
    [property: JsonPropertyName("token_type")] string? TokenType,
    [property: JsonPropertyName("id")] string? Identity = null);

internal sealed record OAuthError(
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription);

internal sealed record ApiError(
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("errorCode")] string? ErrorCode,
    [property: JsonPropertyName("fields")] IReadOnlyList<string>? Fields);

internal sealed record QueryPage(
    [property: JsonPropertyName("totalSize")] long TotalSize,
    [property: JsonPropertyName("done")] bool Done,
    [property: JsonPropertyName("nextRecordsUrl")] string? NextRecordsUrl,
    [property: JsonPropertyName("records")] IReadOnlyList<JsonElement>? Records);

internal sealed record SaveError(
    [property: JsonPropertyName("statusCode")] string? StatusCode,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("fields")] IReadOnlyList<string>? Fields);

internal sealed record SaveResult(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("errors")] IReadOnlyList<SaveError>? Errors);

internal sealed record DescribeField(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("label")] string? Label,
    [property: JsonPropertyName("updateable")] bool Updateable,
    [property: JsonPropertyName("custom")] bool Custom,
    [property: JsonPropertyName("length")] int Length);

internal sealed record DescribeResult(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("fields")] IReadOnlyList<DescribeField>? Fields);

internal sealed record LimitValue(
    [property: JsonPropertyName("Max")] long Max,
    [property: JsonPropertyName("Remaining")] long Remaining);

internal sealed record BulkJobInfo(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("state")] string? State,
    [property: JsonPropertyName("errorMessage")] string? ErrorMessage,
    [property: JsonPropertyName("numberRecordsProcessed")] long NumberRecordsProcessed,
    [property: JsonPropertyName("numberRecordsFailed")] long NumberRecordsFailed,
    [property: JsonPropertyName("contentUrl")] string? ContentUrl);

internal sealed record BulkQueryJobRequest(
    [property: JsonPropertyName("operation")] string Operation,
    [property: JsonPropertyName("query")] string Query,
    [property: JsonPropertyName("contentType")] string ContentType,
    [property: JsonPropertyName("columnDelimiter")] string ColumnDelimiter,
    [property: JsonPropertyName("lineEnding")] string LineEnding);

internal sealed record BulkIngestJobRequest(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("operation")] string Operation,
    [property: JsonPropertyName("contentType")] string ContentType,
    [property: JsonPropertyName("columnDelimiter")] string ColumnDelimiter,
    [property: JsonPropertyName("lineEnding")] string LineEnding);

internal sealed record BulkJobStateRequest(
    [property: JsonPropertyName("state")] string State);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(OAuthError))]
[JsonSerializable(typeof(IReadOnlyList<ApiError>))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(QueryPage))]
[JsonSerializable(typeof(IReadOnlyList<SaveResult>))]
[JsonSerializable(typeof(DescribeResult))]
[JsonSerializable(typeof(Dictionary<string, LimitValue>))]
[JsonSerializable(typeof(BulkJobInfo))]
[JsonSerializable(typeof(BulkQueryJobRequest))]
[JsonSerializable(typeof(BulkIngestJobRequest))]
[JsonSerializable(typeof(BulkJobStateRequest))]
internal sealed partial class SalesforceJsonContext : JsonSerializerContext;
