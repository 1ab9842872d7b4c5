using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace SfPredictor.Infra.Tests;

/// <summary>
/// Every setting that the container image, the Azure template and the guides name must be one the
/// worker really binds: a renamed option would otherwise be silently ignored in production.
/// </summary>
public partial class DeploymentSettingsTests
{
    public static TheoryData<string> SettingSources() =>
    [
        "infra/docker/Dockerfile",
        "infra/azure/main.bicep",
        "docs/admin-guide.md",
        "docs/operations-guide.md",
    ];

    [Theory]
    [MemberData(nameof(SettingSources))]
    public void NamedSettings_AreBoundByAnOptionsClass(string relativePath)
    {
        var text = File.ReadAllText(Repo.Path(relativePath.Split('/')));
        var names = SettingName().Matches(text).Select(m => m.Value).Distinct(StringComparer.Ordinal).ToList();

        Assert.NotEmpty(names);
        var unknown = names.Where(n => !IsBound(n)).ToList();
        Assert.True(unknown.Count == 0, $"{relativePath} names settings no options class binds: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void AzureTemplate_MountsTheJwtKeyWhereTheWorkerReadsIt()
    {
        var bicep = File.ReadAllText(Repo.Path("infra", "azure", "main.bicep"));
        var keyPath = Regex.Match(bicep, @"name: 'Salesforce__PrivateKeyPath', value: '([^']+)'").Groups[1].Value;
        var mountPath = Regex.Match(bicep, @"volumeName: 'secrets', mountPath: '([^']+)'").Groups[1].Value;
        var secretFile = Regex.Match(bicep, @"secretRef: 'sf-jwt-key', path: '([^']+)'").Groups[1].Value;

        Assert.Equal($"{mountPath}/{secretFile}", keyPath);
    }

    [Theory]
    [InlineData("infra/docker/Dockerfile", "CMD [\"run\"]")]
    [InlineData("infra/azure/main.bicep", "args: ['run']")]
    public void Deployment_StartsAVerbTheCliHas(string relativePath, string verbText)
    {
        Assert.Contains(verbText, File.ReadAllText(Repo.Path(relativePath.Split('/'))), StringComparison.Ordinal);

        using var process = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "sfp.dll"), "run", "--help"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.True(process.ExitCode == 0, output + process.StandardError.ReadToEnd());
    }

    // Section__Key[__Key...] as .NET configuration reads environment variables; OTEL_*/DOTNET_* are standard variables.
    [GeneratedRegex(@"\b(?:Salesforce|SfPredictor)(?:__[A-Za-z0-9]+)+")]
    private static partial Regex SettingName();

    private static bool IsBound(string environmentName)
    {
        var parts = environmentName.Split("__").ToList();
        if (int.TryParse(parts[^1], out _))
        {
            parts.RemoveAt(parts.Count - 1); // an array element, e.g. NextActivityFields__0
        }

        for (var split = parts.Count - 1; split >= 1; split--)
        {
            var section = string.Join(':', parts.Take(split));
            if (OptionsBySection.TryGetValue(section, out var type) && HasPath(type, parts.Skip(split)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasPath(Type type, IEnumerable<string> path)
    {
        foreach (var name in path)
        {
            // A dictionary's key is any name, e.g. RenamedActivityKinds__Call.
            if (type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>)) is { } dictionary)
            {
                type = dictionary.GetGenericArguments()[1];
                continue;
            }

            var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || property.SetMethod is null && !property.PropertyType.IsArray && !IsCollection(property.PropertyType))
            {
                return false;
            }

            type = property.PropertyType;
        }

        return true;
    }

    // Configuration binding fills a get-only list or dictionary in place.
    private static bool IsCollection(Type type) =>
        type.GetInterfaces().Append(type).Any(i => i.IsGenericType && (i.GetGenericTypeDefinition() == typeof(ICollection<>) || i.GetGenericTypeDefinition() == typeof(IDictionary<,>)));

    private static readonly Dictionary<string, Type> OptionsBySection = LoadOptions();

    private static Dictionary<string, Type> LoadOptions()
    {
        var result = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory, "SfPredictor.*.dll"))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (name.EndsWith(".Tests", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var type in Assembly.Load(name).GetTypes())
            {
                if (type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field)
                {
                    result[(string)field.GetRawConstantValue()!] = type;
                }
            }
        }

        return result;
    }
}
