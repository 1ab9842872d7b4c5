using System.Diagnostics;
using System.Security.Cryptography;
using SfPredictor.LocalOrg.Tests.Infrastructure;
using SfPredictor.SyntheticOrg;

namespace SfPredictor.LocalOrg.Tests.Clients;

/// <summary>
/// jsforce 3 from npm (installed by <c>eng/setup.sh --tests</c> into the <c>jsforce</c> folder beside
/// this file) against a local org over a small generated export: logins, paged queries, single-record
/// CRUD, collections, describe, limits, Bulk API 2.0 and error shapes (see <c>localorg-client.cjs</c>).
/// </summary>
public sealed class JsforceTests
{
    [Fact]
    public async Task Jsforce_EveryCallARealClientMakes_Succeeds()
    {
        var script = FindScript();
        using var folder = new ExportFolder();
        SyntheticOrgGenerator.Write(SyntheticOrgGenerator.Generate(new SyntheticOrgOptions { Opportunities = 80, Seed = 3 }), folder.Path);
        using var rsa = RSA.Create(2048);
        var publicKey = Path.Combine(folder.Path, "..", Path.GetFileName(folder.Path) + "-public.pem");
        var privateKey = Path.Combine(folder.Path, "..", Path.GetFileName(folder.Path) + "-private.pem");
        await File.WriteAllTextAsync(publicKey, rsa.ExportSubjectPublicKeyInfoPem());
        await File.WriteAllTextAsync(privateKey, rsa.ExportPkcs8PrivateKeyPem());
        try
        {
            var options = new LocalOrgOptions
            {
                ExportDirectory = folder.Path,
                ClientId = "jsforce-client",
                ClientSecret = "jsforce-secret",
                PublicKeyPath = publicKey,
                QueryBatchSize = 200,
            };
            await using var org = await LocalOrgServer.StartAsync(options);

            var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(script);
            start.Environment["SFP_ORG_URL"] = org.BaseUri.ToString();
            start.Environment["SFP_CLIENT_ID"] = options.ClientId;
            start.Environment["SFP_CLIENT_SECRET"] = options.ClientSecret;
            start.Environment["SFP_PRIVATE_KEY"] = privateKey;
            using var node = Process.Start(start)!;
            var output = node.StandardOutput.ReadToEndAsync();
            var errors = node.StandardError.ReadToEndAsync();
            await node.WaitForExitAsync();

            var report = $"jsforce script exited with {node.ExitCode}\n{await output}\n{await errors}";
            Assert.True(node.ExitCode == 0, report);
            Assert.Contains("ok GROUP BY with HAVING", await output, StringComparison.Ordinal);
            Assert.Contains("ok error shapes", await output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(publicKey);
            File.Delete(privateKey);
        }
    }

    private static string FindScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var folder = Path.Combine(directory.FullName, "tests", "SfPredictor.LocalOrg.Tests", "jsforce");
            if (File.Exists(Path.Combine(folder, "package.json")))
            {
                Assert.True(
                    Directory.Exists(Path.Combine(folder, "node_modules", "jsforce")),
                    $"jsforce is not installed in {folder}; run eng/setup.sh --tests.");
                return Path.Combine(folder, "localorg-client.cjs");
            }
        }

        throw new InvalidOperationException("The jsforce folder of the test project was not found above " + AppContext.BaseDirectory);
    }
}
