namespace SfPredictor.Worker.Tests.Infrastructure;

/// <summary>The repository the tests run from (for its scripts and the screenshots kept under artifacts/).</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SfPredictor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No SfPredictor.sln above {AppContext.BaseDirectory}.");
    }
}
