using System.Text.Json.Nodes;
using Google.Protobuf;
using SfPredictor.Features;
using SfPredictor.Features.Indexing;
using SfPredictor.Features.Schema;
using SfPredictor.Scoring.Calibration;
using SfPredictor.Scoring.Packaging;
using SfPredictor.Training.Boosting;
using SfPredictor.Training.Evaluation;
using SfPredictor.Training.Export;

namespace SfPredictor.Training.Tests.Packaging;

public sealed class ModelPackageTests(GeneratedOrgFixture fixture) : IClassFixture<GeneratedOrgFixture>, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"sfp-package-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Load_WrittenPackage_ManifestSchemaAndScorerAgree()
    {
        var (schema, manifest) = WritePackage();

        using var package = ModelPackage.Load(_folder);

        Assert.Equal(manifest.Version, package.Manifest.Version);
        Assert.Equal(schema.Hash, package.Schema.Hash);
        Assert.Equal(schema.Width, package.Scorer.FeatureCount);
        var p = new float[1];
        package.Scorer.Score(new float[schema.Width], p);
        Assert.Equal(0.25, p[0], 5);
    }

    [Fact]
    public void Load_CorruptModelFile_ErrorNamesFileAndChecksum()
    {
        WritePackage();
        var modelPath = Path.Combine(_folder, ModelPackage.ModelFileName);
        var bytes = File.ReadAllBytes(modelPath);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(modelPath, bytes);

        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(_folder));

        Assert.Contains(modelPath, error.Message, StringComparison.Ordinal);
        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ModelNotOnnxButChecksumUpdated_ErrorSaysSo()
    {
        WritePackage();
        var garbage = "this is not a model"u8.ToArray();
        File.WriteAllBytes(Path.Combine(_folder, ModelPackage.ModelFileName), garbage);
        EditManifest(m => m["model_sha256"] = ModelPackage.Sha256(garbage));

        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(_folder));

        Assert.Contains(ModelPackage.ModelFileName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ManifestHashDiffersFromSchema_ErrorNamesBothHashes()
    {
        var (schema, _) = WritePackage();
        EditManifest(m => m["feature_hash"] = new string('0', 64));

        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(_folder));

        Assert.Contains(schema.Hash, error.Message, StringComparison.Ordinal);
        Assert.Contains(new string('0', 64), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ModelTrainedOnOtherFeatures_ErrorNamesHashes()
    {
        var (schema, manifest) = WritePackage();
        var other = Model(schema.Width, "f00d");
        File.WriteAllBytes(Path.Combine(_folder, ModelPackage.ModelFileName), other);
        EditManifest(m => m["model_sha256"] = ModelPackage.Sha256(other));

        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(_folder));

        Assert.Contains("hash f00d", error.Message, StringComparison.Ordinal);
        Assert.Contains(manifest.FeatureHash, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ModelWithOtherFeatureCount_ErrorNamesCounts()
    {
        var (schema, _) = WritePackage();
        var narrow = Model(schema.Width - 1, schema.Hash);
        File.WriteAllBytes(Path.Combine(_folder, ModelPackage.ModelFileName), narrow);
        EditManifest(m => m["model_sha256"] = ModelPackage.Sha256(narrow));

        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(_folder));

        Assert.Contains($"{schema.Width - 1} features", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{schema.Width}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ManifestMissingOrNotJson_ErrorNamesFile()
    {
        WritePackage();
        var manifestPath = Path.Combine(_folder, ModelPackage.ManifestFileName);
        File.WriteAllText(manifestPath, "{ not json");

        var broken = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(_folder));
        File.Delete(manifestPath);
        var missing = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(_folder));

        Assert.Contains(manifestPath, broken.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be read", broken.Message, StringComparison.Ordinal);
        Assert.Contains("is missing", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FolderMissing_ClearError()
    {
        var error = Assert.Throws<ModelPackageException>(() => ModelPackage.Load(_folder));
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_FolderNotEmpty_Refuses()
    {
        WritePackage();
        var (schema, manifest) = Parts();

        var error = Assert.Throws<IOException>(() => ModelPackage.Write(_folder, Model(schema.Width, schema.Hash), manifest, schema));

        Assert.Contains("not empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ManifestJson_RoundTrip_KeepsEverythingIncludingNaN()
    {
        var (_, manifest) = Parts();
        var withNaN = manifest with { ValidationMetrics = manifest.ValidationMetrics with { Auc = double.NaN } };

        var json = withNaN.ToJson();
        var back = ModelManifest.FromJson(json);

        Assert.True(double.IsNaN(back.ValidationMetrics.Auc));
        Assert.Equal(withNaN.Version, back.Version);
        Assert.Equal(withNaN.FeatureNames, back.FeatureNames);
        Assert.Equal(withNaN.Calibration, back.Calibration);
        Assert.Equal(new TrainingOptions().MaxDepth, back.TrainingOptions.GetProperty("max_depth").GetInt32());
        Assert.Equal(TrainingOptions.XGBoostTrainer, back.TrainingOptions.GetProperty("trainer").GetString());
        Assert.Contains("\"model_sha256\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void ManifestJson_WrittenBeforePeriodsAndIsotonic_ReadsAsPlatt()
    {
        var (_, manifest) = Parts();
        var json = manifest.ToJson()
            .Replace("\"method\": \"platt\",", "", StringComparison.Ordinal)
            .Replace("\"periods\": [],", "", StringComparison.Ordinal);
        Assert.DoesNotContain("\"method\"", json, StringComparison.Ordinal);

        var back = ModelManifest.FromJson(json);

        Assert.Equal(ModelCalibration.PlattMethod, back.Calibration.Method);
        Assert.Equal(1.2, back.Calibration.A, 12);
        Assert.Empty(back.Periods);
    }

    private (FeatureSchema Schema, ModelManifest Manifest) WritePackage()
    {
        var (schema, manifest) = Parts();
        ModelPackage.Write(_folder, Model(schema.Width, schema.Hash), manifest, schema);
        return (schema, manifest);
    }

    private (FeatureSchema Schema, ModelManifest Manifest) Parts()
    {
        var options = new FeatureOptions();
        var schema = FeatureSchema.Create(new OrgIndex(fixture.Org, options), options);
        var model = Model(schema.Width, schema.Hash);
        var metrics = new ClassificationMetrics(0.8, 0.5, 0.2, 0.7, 0.6, 0.5, 0.55, 100, 0.3, 0.5);
        var created = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
        var manifest = new ModelManifest
        {
            Version = "2026-10-01T00-00-00Z-test",
            Kind = ModelManifest.StageFallbackKind,
            Created = created,
            AsOf = created,
            TrainingWindow = new TrainingWindow(created.AddYears(-1), created),
            Counts = new TrainingCounts(80, 20, 40, 10, 25, 25),
            FeatureCount = schema.Width,
            FeatureNames = schema.Names,
            FeatureHash = schema.Hash,
            ActivityKinds = schema.ActivityKinds,
            ValidationMetrics = metrics,
            BaselineValidationMetrics = metrics,
            Calibration = ModelCalibration.FromPlatt(new PlattCalibration(1.2, -0.3)),
            Trees = 1,
            ParityMaxDifference = 0,
            TrainingOptions = new TrainingOptions().ToJson(),
            ModelSha256 = ModelPackage.Sha256(model),
        };
        return (schema, manifest);
    }

    // A one-leaf model answering 0.25 for every row.
    private static byte[] Model(int width, string featureHash)
    {
        var leaf = new RegressionTree([-1], [-1], [0], [(float)Math.Log(0.25 / 0.75)], [false], [0]);
        var metadata = new Dictionary<string, string> { [ModelPackage.FeatureHashMetadataKey] = featureHash };
        return OnnxModelWriter.Build(new TreeEnsemble([leaf], 0, width), PlattCalibration.Identity, metadata).ToByteArray();
    }

    private void EditManifest(Action<JsonObject> edit)
    {
        var path = Path.Combine(_folder, ModelPackage.ManifestFileName);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
    }
}
