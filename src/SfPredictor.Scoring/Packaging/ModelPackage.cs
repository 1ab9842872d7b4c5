using System.Security.Cryptography;
using System.Text.Json;
using Google.Protobuf;
using SfPredictor.Features.Schema;
using SfPredictor.Scoring;
using SfPredictor.Scoring.Effects;
using SfPredictor.Scoring.Onnx;

namespace SfPredictor.Scoring.Packaging;

/// <summary>
/// A model folder: <c>model.onnx</c> (features → calibrated probabilities), <c>manifest.json</c>
/// (<see cref="ModelManifest"/>), <c>schema.json</c> (the <see cref="FeatureSchema"/> rows must be
/// built with) and, for a tree model, <c>activity-effects.json</c> (<see cref="StageKindEffects"/>). Loading checks that the three agree, so a package either scores correctly or does not load.
/// </summary>
public sealed class ModelPackage : IDisposable
{
    /// <summary>The name of the model's single input, a float tensor [N, features].</summary>
    public const string InputName = "features";

    /// <summary>File name of the ONNX model.</summary>
    public const string ModelFileName = "model.onnx";

    /// <summary>File name of the manifest.</summary>
    public const string ManifestFileName = "manifest.json";

    /// <summary>File name of the feature schema.</summary>
    public const string SchemaFileName = "schema.json";

    /// <summary>File name of the human-readable report, when one was written.</summary>
    public const string ReportFileName = "report.html";

    /// <summary>Key of the ONNX metadata entry holding the feature schema hash.</summary>
    public const string FeatureHashMetadataKey = "sfpredictor.feature_hash";

    /// <summary>Key of the ONNX metadata entry holding the model kind.</summary>
    public const string KindMetadataKey = "sfpredictor.kind";

    private ModelPackage(string directory, ModelManifest manifest, FeatureSchema schema, OnnxScorer scorer, StageKindEffects? effects)
    {
        Effects = effects;
        Directory = directory;
        Manifest = manifest;
        Schema = schema;
        Scorer = scorer;
    }

    /// <summary>The folder the package was loaded from.</summary>
    public string Directory { get; }

    /// <summary>The manifest.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The feature schema to build rows with.</summary>
    public FeatureSchema Schema { get; }

    /// <summary>The loaded model (owned by the package).</summary>
    public OnnxScorer Scorer { get; }

    /// <summary>
    /// The stage × kind activity effects (<see cref="StageKindEffects.FileName"/>); <see langword="null"/> when the
    /// package has none (a stage-rates model, or a package written before they existed).
    /// </summary>
    public StageKindEffects? Effects { get; }

    /// <summary>Loads and checks a package.</summary>
    /// <param name="directory">The package folder.</param>
    /// <param name="scorerOptions">ONNX Runtime settings; defaults when <see langword="null"/>.</param>
    /// <exception cref="ModelPackageException">
    /// A file is missing or unreadable, the model does not match the manifest's checksum, feature count
    /// or feature hash, or the schema does not match the manifest. The message names the file and the mismatch.
    /// </exception>
    public static ModelPackage Load(string directory, ScorerOptions? scorerOptions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var root = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(root))
        {
            throw new ModelPackageException($"Model package folder '{root}' does not exist.");
        }

        var manifestPath = Path.Combine(root, ManifestFileName);
        var manifest = Read(manifestPath, path => ModelManifest.FromJson(File.ReadAllText(path)));
        if (manifest.FormatVersion != ModelManifest.CurrentFormatVersion)
        {
            throw new ModelPackageException(
                $"'{manifestPath}' has format version {manifest.FormatVersion}; this build reads version {ModelManifest.CurrentFormatVersion}.");
        }

        var schemaPath = Path.Combine(root, SchemaFileName);
        var schema = Read(schemaPath, path => FeatureSchema.FromJson(File.ReadAllText(path)));
        if (schema.Hash != manifest.FeatureHash || schema.Width != manifest.FeatureCount || !schema.Names.SequenceEqual(manifest.FeatureNames))
        {
            throw new ModelPackageException(
                $"'{schemaPath}' (hash {schema.Hash}, {schema.Width} features) does not match '{manifestPath}' " +
                $"(hash {manifest.FeatureHash}, {manifest.FeatureCount} features).");
        }

        var effectsPath = Path.Combine(root, StageKindEffects.FileName);
        var effects = File.Exists(effectsPath) ? Read(effectsPath, path => StageKindEffects.FromJson(File.ReadAllText(path))) : null;
        if (effects is not null && (effects.FeatureHash != manifest.FeatureHash || !effects.ActivityKinds.SequenceEqual(schema.ActivityKinds)))
        {
            throw new ModelPackageException(
                $"'{effectsPath}' was fitted for feature schema {effects.FeatureHash} with kinds {string.Join(", ", effects.ActivityKinds)}, " +
                $"not {manifest.FeatureHash} with {string.Join(", ", schema.ActivityKinds)}.");
        }

        var modelPath = Path.Combine(root, ModelFileName);
        var model = Read(modelPath, File.ReadAllBytes);
        var sha = Sha256(model);
        if (sha != manifest.ModelSha256)
        {
            throw new ModelPackageException(
                $"'{modelPath}' has SHA-256 {sha} but the manifest expects {manifest.ModelSha256}: the file was changed or damaged.");
        }

        CheckModelMetadata(modelPath, model, manifest);
        OnnxScorer scorer;
        try
        {
            scorer = OnnxScorer.Load(model, scorerOptions);
        }
        catch (Exception e) when (e is OnnxRuntimeException or InvalidDataException)
        {
            throw new ModelPackageException($"'{modelPath}' cannot be loaded by ONNX Runtime: {e.Message}", e);
        }

        if (scorer.FeatureCount != manifest.FeatureCount)
        {
            scorer.Dispose();
            throw new ModelPackageException(
                $"'{modelPath}' expects {scorer.FeatureCount} features per row but the manifest lists {manifest.FeatureCount}.");
        }

        return new ModelPackage(root, manifest, schema, scorer, effects);
    }

    /// <summary>
    /// Writes a package. Files are written to a temporary folder beside <paramref name="directory"/> and
    /// moved into place, so a reader never sees half a package.
    /// </summary>
    /// <param name="directory">The package folder; must not exist or be empty.</param>
    /// <param name="model">The serialized ONNX model.</param>
    /// <param name="manifest">The manifest (its <see cref="ModelManifest.ModelSha256"/> must be the model's).</param>
    /// <param name="schema">The feature schema.</param>
    /// <param name="reportHtml">An HTML report to include, or <see langword="null"/>.</param>
    /// <param name="effects">Stage × kind activity effects to include, or <see langword="null"/>.</param>
    /// <exception cref="IOException">The folder exists and is not empty.</exception>
    public static void Write(string directory, byte[] model, ModelManifest manifest, FeatureSchema schema, string? reportHtml = null, StageKindEffects? effects = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(schema);
        if (Sha256(model) != manifest.ModelSha256)
        {
            throw new ArgumentException("The manifest's model_sha256 is not the SHA-256 of the model.", nameof(manifest));
        }

        var root = Path.GetFullPath(directory);
        if (System.IO.Directory.Exists(root) && System.IO.Directory.EnumerateFileSystemEntries(root).Any())
        {
            throw new IOException($"Model package folder '{root}' already exists and is not empty; choose a new folder.");
        }

        var staging = $"{root}.partial-{Guid.NewGuid():N}";
        System.IO.Directory.CreateDirectory(staging);
        try
        {
            File.WriteAllBytes(Path.Combine(staging, ModelFileName), model);
            File.WriteAllText(Path.Combine(staging, ManifestFileName), manifest.ToJson());
            File.WriteAllText(Path.Combine(staging, SchemaFileName), schema.ToJson());
            if (reportHtml is not null)
            {
                File.WriteAllText(Path.Combine(staging, ReportFileName), reportHtml);
            }

            if (effects is not null)
            {
                File.WriteAllText(Path.Combine(staging, StageKindEffects.FileName), effects.ToJson());
            }

            if (System.IO.Directory.Exists(root))
            {
                System.IO.Directory.Delete(root);
            }

            System.IO.Directory.Move(staging, root);
        }
        catch
        {
            System.IO.Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    /// <summary>Lower-case hex SHA-256 of <paramref name="bytes"/>.</summary>
    /// <param name="bytes">The data.</param>
    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Releases the model.</summary>
    public void Dispose() => Scorer.Dispose();

    private static void CheckModelMetadata(string modelPath, byte[] model, ModelManifest manifest)
    {
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(model);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelPackageException($"'{modelPath}' is not an ONNX model: {e.Message}", e);
        }

        var hash = proto.MetadataProps.FirstOrDefault(p => p.Key == FeatureHashMetadataKey)?.Value;
        if (hash != manifest.FeatureHash)
        {
            throw new ModelPackageException(
                $"'{modelPath}' was trained on features with hash {hash ?? "(none)"} but the manifest lists {manifest.FeatureHash}.");
        }

        if (proto.Graph?.Input.Count != 1 || proto.Graph.Input[0].Name != InputName)
        {
            throw new ModelPackageException($"'{modelPath}' does not have the single input '{InputName}'.");
        }
    }

    // Turns every way a file can be unreadable into one error that names the file.
    private static T Read<T>(string path, Func<string, T> read)
    {
        if (!File.Exists(path))
        {
            throw new ModelPackageException($"'{path}' is missing from the model package.");
        }

        try
        {
            return read(path);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new ModelPackageException($"'{path}' cannot be read: {e.Message}", e);
        }
    }
}

/// <summary>A model package is missing a file, is damaged, or its parts disagree.</summary>
public sealed class ModelPackageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelPackageException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the file.</param>
    public ModelPackageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the file.</param>
    /// <param name="innerException">The cause.</param>
    public ModelPackageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
