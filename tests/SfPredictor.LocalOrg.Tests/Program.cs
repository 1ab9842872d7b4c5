namespace SfPredictor.LocalOrg.Tests;

/// <summary>
/// The test assembly's entry point. The test runner never calls it; the durability tests start the
/// assembly with <c>serve</c> to run a local org in a process of its own that they can kill.
/// </summary>
public static class Program
{
    public const string Serve = "serve";
    public const string ClientId = "kill-test";

    public static async Task<int> Main(string[] args)
    {
        if (args is not [Serve, var directory, var flushDelayMs])
        {
            await Console.Error.WriteLineAsync("usage: serve <export folder> <flush delay in ms>");
            return 2;
        }

        var options = new LocalOrgOptions
        {
            ExportDirectory = directory,
            ClientId = ClientId,
            ClientSecret = Durability.LocalOrgProcess.Secret,
            FlushDelay = TimeSpan.FromMilliseconds(int.Parse(flushDelayMs, System.Globalization.CultureInfo.InvariantCulture)),
        };
        await using var org = await LocalOrgServer.StartAsync(options);
        Console.WriteLine($"ready {org.BaseUri}");

        // Runs until the test closes stdin (an orderly stop) or kills the process.
        await Console.In.ReadToEndAsync();
        return 0;
    }
}
