using System.Text.Json;
using System.Text.Json.Serialization;
using SfPredictor.Features.Activities;
using SfPredictor.Features.Stages;

namespace SfPredictor.Features.Schema;

internal sealed record SchemaDocument(
    int Version,
    string? Hash,
    SchemaOptionsDocument Options,
    IReadOnlyList<FeatureCategory> Categories,
    IReadOnlyList<StageInfo> Stages,
    IReadOnlyList<string> Features);

// The column switches are written only when they differ from what schemas had before the switches
// existed (both on): such a schema serialises and hashes exactly as before, and an older schema.json,
// which lacks them, loads with both on whatever today's defaults are.
internal sealed record SchemaOptionsDocument(
    IReadOnlyList<int> ActivityWindowsDays,
    IReadOnlyList<ActivityKindDocument> ActivityKinds,
    IReadOnlyList<ExtraFieldDocument> ExtraFields,
    string? CorporateCurrency,
    int MaxCategories,
    int MinCategoryCount,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? StageActivityFeatures = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? OwnerFeatures = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? ActivityTypeFields = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] StageBandDocument? StageBands = null);

// The activity-by-stage columns; absent (null) in schemas without them.
internal sealed record StageBandDocument(int Bands, int HalfLifeDays, bool Monotone);

// Patterns are written only when a kind has some, so schemas without them hash as before.
internal sealed record ActivityKindDocument(
    string Name,
    IReadOnlyList<string> Types,
    IReadOnlyList<string> SubjectKeywords,
    IReadOnlyList<string> KeywordChannels,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? SubjectPatterns = null);

internal sealed record ExtraFieldDocument(ExtraFieldObject Object, string Field, ExtraFieldKind Kind, IReadOnlyList<string> Values);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    WriteIndented = false)]
[JsonSerializable(typeof(SchemaDocument))]
internal sealed partial class SchemaJsonContext : JsonSerializerContext;

internal static class SchemaJson
{
    public static SchemaDocument Document(FeatureSchema schema, bool includeHash)
    {
        var o = schema.Options;
        return new SchemaDocument(
            schema.Version,
            includeHash ? schema.Hash : null,
            new SchemaOptionsDocument(
                [.. o.ActivityWindowsDays],
                [.. o.ActivityKinds.Select(k => new ActivityKindDocument(
                    k.Name, [.. k.Types], [.. k.SubjectKeywords], [.. k.KeywordChannels], k.SubjectPatterns.Count == 0 ? null : [.. k.SubjectPatterns]))],
                [.. o.ExtraFields.Select(f => new ExtraFieldDocument(f.Object, f.Field, f.Kind, [.. f.Values]))],
                o.CorporateCurrency,
                o.MaxCategories,
                o.MinCategoryCount,
                o.StageActivityFeatures ? null : false,
                o.OwnerFeatures ? null : false,
                o.ActivityTypeFields.Count == 0 ? null : [.. o.ActivityTypeFields],
                o.StageBands > 0 ? new StageBandDocument(o.StageBands, o.StageBandHalfLifeDays, o.StageBandMonotone) : null),
            schema.Categories,
            schema.Stages,
            [.. schema.Features.Select(f => f.Name)]);
    }

    public static FeatureSchema Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        SchemaDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, SchemaJsonContext.Default.SchemaDocument);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The feature schema JSON is malformed: {e.Message}", e);
        }

        if (document?.Options is null || document.Categories is null || document.Stages is null || document.Features is null)
        {
            throw new InvalidDataException("The feature schema JSON lacks options, categories, stages or features.");
        }

        if (document.Version != FeatureSchema.CurrentVersion)
        {
            throw new InvalidDataException(
                $"The feature schema has version {document.Version}; this build computes version {FeatureSchema.CurrentVersion}. Retrain the model.");
        }

        var o = document.Options;
        var options = new FeatureOptions
        {
            ActivityWindowsDays = [.. o.ActivityWindowsDays],
            ActivityKinds = [.. o.ActivityKinds.Select(k => new ActivityKind
            {
                Name = k.Name,
                Types = [.. k.Types],
                SubjectKeywords = [.. k.SubjectKeywords],
                SubjectPatterns = [.. k.SubjectPatterns ?? []],
                KeywordChannels = [.. k.KeywordChannels],
            })],
            ActivityTypeFields = [.. o.ActivityTypeFields ?? []],
            ExtraFields = [.. o.ExtraFields.Select(f => new ExtraField { Object = f.Object, Field = f.Field, Kind = f.Kind, Values = [.. f.Values] })],
            CorporateCurrency = o.CorporateCurrency,
            MaxCategories = o.MaxCategories,
            MinCategoryCount = o.MinCategoryCount,
            StageActivityFeatures = o.StageActivityFeatures ?? true,
            OwnerFeatures = o.OwnerFeatures ?? true,
            StageBands = o.StageBands?.Bands ?? 0,
            StageBandHalfLifeDays = o.StageBands?.HalfLifeDays ?? 0,
            StageBandMonotone = o.StageBands?.Monotone ?? false,
        };

        FeatureSchema schema;
        try
        {
            schema = new FeatureSchema(FeatureSchema.Effective(options), document.Categories, document.Stages);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            throw new InvalidDataException($"The feature schema JSON describes an invalid schema: {e.Message}", e);
        }

        if (!schema.Names.SequenceEqual(document.Features, StringComparer.Ordinal))
        {
            throw new InvalidDataException(
                "The feature schema's feature names differ from the ones this build derives from its options; retrain the model.");
        }

        if (document.Hash is not null && !string.Equals(document.Hash, schema.Hash, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException(
                $"The feature schema's hash {document.Hash} differs from the recomputed {schema.Hash}; the schema was edited or built differently.");
        }

        return schema;
    }
}
