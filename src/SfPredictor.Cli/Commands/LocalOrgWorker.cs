using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using SfPredictor.LocalOrg;
using SfPredictor.SyntheticOrg;
using SfPredictor.Worker.WriteBack;

[assembly: InternalsVisibleTo("SfPredictor.Worker.Tests")]

namespace SfPredictor.Cli.Commands;

/// <summary>What org <see cref="LocalOrgWorker"/> serves and where it keeps its files.</summary>
/// <param name="Folder">Root folder: <c>export/</c>, <c>keys/</c>, <c>models/</c> and <c>data/</c> go under it.</param>
/// <param name="Opportunities">Opportunities to generate.</param>
/// <param name="Seed">Generator seed.</param>
/// <param name="AsOf">When the generated export is taken.</param>
/// <param name="PrepareExport">Changes the export folder before the org loads it (e.g. adds an object).</param>
/// <param name="ConfigureOrg">Changes the org's settings before it starts (e.g. adds latency).</param>
internal sealed record LocalOrgWorkerOptions(
    string Folder, int Opportunities, long Seed, DateTimeOffset AsOf, Action<string>? PrepareExport = null, Action<LocalOrgOptions>? ConfigureOrg = null);

/// <summary>
/// A generated org served by the local org on 127.0.0.1, with a fresh RSA key pair (the private key for the
/// worker's JWT bearer login, the public key for the org) and the worker settings that point at it: what
/// <c>sfp demo</c> and <c>sfp bench-api-calls</c> run against, exactly as the worker runs against Salesforce.
/// </summary>
internal sealed class LocalOrgWorker : IAsyncDisposable
{
    /// <summary>The connected app's consumer key the local org expects.</summary>
    public const string ClientId = "sfp-local";

    private LocalOrgWorker(string folder, LocalOrgServer org, GeneratedOrg generated, Dictionary<string, string?> settings)
    {
        Folder = folder;
        Org = org;
        Generated = generated;
        Settings = settings;
    }

    /// <summary>The root folder.</summary>
    public string Folder { get; }

    /// <summary>The Data Export folder the org serves and writes updates to.</summary>
    public string ExportFolder => Path.Combine(Folder, "export");

    /// <summary>The local model store.</summary>
    public string ModelStoreFolder => Path.Combine(Folder, "models");

    /// <summary>The running org.</summary>
    public LocalOrgServer Org { get; }

    /// <summary>The generated records and their truth.</summary>
    public GeneratedOrg Generated { get; }

    /// <summary>Worker settings (configuration keys) for this org: login, key, model store, state database.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>Generates the org into a fresh <c>export/</c> folder, makes a key pair and starts the org.</summary>
    public static async Task<LocalOrgWorker> StartAsync(
        LocalOrgWorkerOptions options, TimeProvider time, ILoggerFactory loggerFactory, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var folder = Path.GetFullPath(options.Folder);
        var export = Path.Combine(folder, "export");

        // Every start is a fresh org with no model and no state, so a run is reproducible.
        foreach (var old in new[] { export, Path.Combine(folder, "models"), Path.Combine(folder, "data") })
        {
            if (Directory.Exists(old))
            {
                Directory.Delete(old, recursive: true);
            }
        }

        progress?.Report($"generating an org with {options.Opportunities:N0} Opportunities (seed {options.Seed}) into {export}");
        var generated = SyntheticOrgGenerator.Generate(new SyntheticOrgOptions { Opportunities = options.Opportunities, Seed = options.Seed, AsOf = options.AsOf });
        SyntheticOrgGenerator.Write(generated, export);
        options.PrepareExport?.Invoke(export);

        var (privateKey, publicKey) = WriteKeyPair(Path.Combine(folder, "keys"));
        var orgOptions = new LocalOrgOptions { ExportDirectory = export, ClientId = ClientId, PublicKeyPath = publicKey };
        foreach (var field in new WriteBackOptions().Fields())
        {
            orgOptions.CustomFields.Add($"Opportunity.{field.ApiName}:{field.DescribeType}{field.Size}");
        }

        options.ConfigureOrg?.Invoke(orgOptions);
        var org = await LocalOrgServer.StartAsync(orgOptions, time, loggerFactory, cancellationToken);
        progress?.Report($"local org listening on {org.BaseUri} ({org.Load.TotalRows:N0} records)");
        var data = Path.Combine(folder, "data");
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Salesforce:LoginUrl"] = org.BaseUri.ToString(),
            ["Salesforce:AuthFlow"] = "JwtBearer",
            ["Salesforce:ClientId"] = ClientId,
            ["Salesforce:Username"] = "integration@sfpredictor.local",
            ["Salesforce:PrivateKeyPath"] = privateKey,
            ["Salesforce:BulkPollInitialDelay"] = "00:00:00.050",
            ["Salesforce:BulkPollMaxDelay"] = "00:00:01",
            ["SfPredictor:ModelStore:Kind"] = "Local",
            ["SfPredictor:ModelStore:LocalPath"] = Path.Combine(folder, "models"),
            ["SfPredictor:JobStore:Provider"] = "Sqlite",
            ["SfPredictor:JobStore:ConnectionString"] = $"Data Source={Path.Combine(data, "sfpredictor.db")}",
            ["SfPredictor:Worker:ModelCachePath"] = Path.Combine(data, "model-cache"),
            ["SfPredictor:Health:Enabled"] = "false",
            ["SfPredictor:ChangeEvents:Endpoint"] = org.PubSubUri.ToString(),
        };
        return new LocalOrgWorker(folder, org, generated, settings);
    }

    /// <summary>Stops the org; pending updates are written to the export first.</summary>
    public ValueTask DisposeAsync() => Org.DisposeAsync();

    // The private key never leaves the folder; only its path goes into the settings.
    private static (string PrivateKey, string PublicKey) WriteKeyPair(string folder)
    {
        Directory.CreateDirectory(folder);
        using var rsa = RSA.Create(2048);
        var privateKey = Path.Combine(folder, "server.key");
        var publicKey = Path.Combine(folder, "server.pub");
        File.WriteAllText(privateKey, rsa.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(privateKey, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(publicKey, rsa.ExportSubjectPublicKeyInfoPem());
        return (privateKey, publicKey);
    }
}
