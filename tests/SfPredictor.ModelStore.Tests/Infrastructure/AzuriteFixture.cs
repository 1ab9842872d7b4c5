using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SfPredictor.ModelStore.AzureBlob;

namespace SfPredictor.ModelStore.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}

/// <summary>
/// Two real Azurite blob emulators on free 127.0.0.1 ports: one over plain HTTP as developers run it, and one over
/// HTTPS (a throw-away self-signed certificate) with basic OAuth, since Azurite accepts bearer tokens only over HTTPS.
/// Killed on dispose.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Azurite's published development account and key (not a secret; the same on every machine).</summary>
    public const string AccountName = "devstoreaccount1";

    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly AzuriteProcess _http = new(useHttps: false);
    private readonly AzuriteProcess _https = new(useHttps: true);

    /// <summary>Plain HTTP endpoint, path-style: <c>http://127.0.0.1:{port}/devstoreaccount1</c>.</summary>
    public Uri HttpServiceUri => _http.ServiceUri;

    /// <summary>HTTPS endpoint with OAuth enabled: <c>https://127.0.0.1:{port}/devstoreaccount1</c>.</summary>
    public Uri HttpsServiceUri => _https.ServiceUri;

    /// <summary>Settings for a new container (one no other test uses) on the HTTP instance, with the development account's key.</summary>
    public ModelStoreOptions SharedKeyOptions() => Options(HttpServiceUri, BlobAuthKind.SharedKey);

    /// <summary>Settings for a new container on the HTTP or HTTPS instance with the given authorisation; fill in its secret.</summary>
    public ModelStoreOptions Options(Uri serviceUri, BlobAuthKind auth) => new()
    {
        Kind = ModelStoreKind.AzureBlob,
        BlobServiceUri = serviceUri,
        ContainerName = $"t{Guid.NewGuid():N}",
        Auth = auth,
        AccountName = auth == BlobAuthKind.SharedKey ? AccountName : null,
        AccountKey = auth == BlobAuthKind.SharedKey ? AccountKey : null,
        RetryDelay = TimeSpan.FromMilliseconds(1),
    };

    /// <summary>A connection string for the HTTP instance with the development account's key.</summary>
    public string ConnectionString(string key = AccountKey) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={key};BlobEndpoint={HttpServiceUri};";

    /// <summary>A store over the settings' container, sending through <paramref name="http"/> (default: a client trusting the HTTPS instance).</summary>
    public AzureBlobModelStore Store(ModelStoreOptions options, HttpClient? http = null, Azure.Core.TokenCredential? credential = null, TimeProvider? timeProvider = null) =>
        new(Container(options, http, credential), options.TotalTimeout, timeProvider);

    /// <summary>The SDK's client for the settings' container, for looking behind the store's back.</summary>
    public Azure.Storage.Blobs.BlobContainerClient Container(ModelStoreOptions options, HttpClient? http = null, Azure.Core.TokenCredential? credential = null) =>
        BlobContainerFactory.Create(options, http ?? CreateHttpClient(), credential);

    public static string ExecutablePath
    {
        get
        {
            var cache = Environment.GetEnvironmentVariable("SFP_CACHE");
            if (string.IsNullOrEmpty(cache))
            {
                var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
                cache = Path.Combine(
                    string.IsNullOrEmpty(xdg) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache") : xdg,
                    "sfpredictor");
            }

            return Path.Combine(cache, "npm", "node_modules", ".bin", "azurite-blob");
        }
    }

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"Azurite is not installed at {ExecutablePath}; run eng/setup.sh --tests to install it.");
        }

        await Task.WhenAll(_http.StartAsync(), _https.StartAsync());
    }

    /// <summary>A container URI on the HTTP instance no other test uses (the container is created on first publish).</summary>
    public Uri NewHttpContainerUri() => new($"{HttpServiceUri}/t{Guid.NewGuid():N}");

    /// <summary>A container URI on the HTTPS instance no other test uses.</summary>
    public Uri NewHttpsContainerUri() => new($"{HttpsServiceUri}/t{Guid.NewGuid():N}");

    /// <summary>A client that reaches both instances, trusting exactly the HTTPS instance's certificate.</summary>
    public HttpClient CreateHttpClient(DelegatingHandler? inner = null)
    {
        HttpMessageHandler handler = new SocketsHttpHandler { SslOptions = TrustOwnCertificate() };
        if (inner is not null)
        {
            inner.InnerHandler = handler;
            handler = inner;
        }

        return new HttpClient(handler);
    }

    public SslClientAuthenticationOptions TrustOwnCertificate() => new()
    {
        RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(_https.Certificate),
    };

    /// <summary>
    /// An account SAS for the blob service signed with <paramref name="key"/>, following the documented string-to-sign
    /// for version 2020-12-06 and later: account, permissions, services, resource types, start, expiry, IP, protocol,
    /// version, encryption scope, each followed by a newline.
    /// </summary>
    public static string CreateAccountSas(DateTimeOffset expiry, string key = AccountKey)
    {
        const string version = "2023-11-03";
        const string permissions = "racwdl";
        var expiryText = expiry.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var stringToSign = string.Join('\n', AccountName, permissions, "b", "sco", string.Empty, expiryText, string.Empty, "https,http", version, string.Empty, string.Empty);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(key), Encoding.UTF8.GetBytes(stringToSign)));
        return $"sv={version}&ss=b&srt=sco&sp={permissions}&se={Uri.EscapeDataString(expiryText)}&spr=https,http&sig={Uri.EscapeDataString(signature)}";
    }

    public async Task DisposeAsync()
    {
        await _http.DisposeAsync();
        await _https.DisposeAsync();
    }

    private sealed class AzuriteProcess(bool useHttps) : IAsyncDisposable
    {
        private readonly StringBuilder _output = new();
        private Process? _process;
        private string? _workFolder;

        public Uri ServiceUri { get; private set; } = null!;

        public byte[] Certificate { get; private set; } = [];

        public async Task StartAsync()
        {
            _workFolder = Directory.CreateTempSubdirectory("sfp-azurite-").FullName;
            var port = FreePort();
            var start = new ProcessStartInfo(ExecutablePath)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            string[] arguments =
            [
                "--blobHost", "127.0.0.1", "--blobPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--location", _workFolder, "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry",
            ];
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            if (useHttps)
            {
                var (certificatePath, keyPath) = WriteSelfSignedCertificate(_workFolder);
                foreach (var argument in new[] { "--cert", certificatePath, "--key", keyPath, "--oauth", "basic" })
                {
                    start.ArgumentList.Add(argument);
                }
            }

            _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {ExecutablePath}.");
            _process.OutputDataReceived += (_, e) => Append(e.Data);
            _process.ErrorDataReceived += (_, e) => Append(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();

            // Azurite takes seconds to start on a busy machine; the port answering is the only reliable signal.
            var waited = Stopwatch.StartNew();
            while (!await PortAnswersAsync(port))
            {
                if (_process.HasExited || waited.Elapsed > TimeSpan.FromSeconds(60))
                {
                    string output;
                    lock (_output)
                    {
                        output = _output.ToString();
                    }

                    throw new InvalidOperationException($"Azurite did not start on port {port} (exited: {_process.HasExited}). Output:\n{output}");
                }

                await Task.Delay(100);
            }

            ServiceUri = new Uri($"{(useHttps ? "https" : "http")}://127.0.0.1:{port}/{AccountName}");
        }

        public async ValueTask DisposeAsync()
        {
            if (_process is not null)
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }

                _process.Dispose();
            }

            if (_workFolder is not null)
            {
                Directory.Delete(_workFolder, recursive: true);
            }
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.AppendLine(line);
            }
        }

        private (string CertificatePath, string KeyPath) WriteSelfSignedCertificate(string folder)
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            var now = TimeProvider.System.GetUtcNow();
            using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
            Certificate = certificate.RawData;
            var certificatePath = Path.Combine(folder, "azurite-cert.pem");
            var keyPath = Path.Combine(folder, "azurite-key.pem");
            File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
            return (certificatePath, keyPath);
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        private static async Task<bool> PortAnswersAsync(int port)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }
    }
}
