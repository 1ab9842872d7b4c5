using System.Xml.Linq;

namespace SfPredictor.Infra.Tests;

/// <summary>Paths inside the repository the tests run from.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string SalesforceSource => Path("infra", "salesforce", "force-app", "main", "default");

    public static XNamespace Metadata => "http://soap.sforce.com/2006/04/metadata";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "SfPredictor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No SfPredictor.sln above {AppContext.BaseDirectory}.");
    }
}
