using System.CommandLine;
using System.Reflection;

namespace SfPredictor.Cli;

/// <summary>One verb of the <c>sfp</c> command line. Every implementation in this assembly is picked up.</summary>
internal interface ICliCommand
{
    /// <summary>Builds the verb with its options and action.</summary>
    Command Build();
}

/// <summary>Builds the root command from every <see cref="ICliCommand"/> and runs it.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("SfPredictor: win probabilities and next best activities for Salesforce Opportunities.");
        foreach (var command in DiscoverCommands().OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            root.Subcommands.Add(command);
        }

        return await root.Parse(args).InvokeAsync();
    }

    // Verbs are found rather than listed so that adding one touches only its own file.
    private static IEnumerable<Command> DiscoverCommands() =>
        typeof(CliApp).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICliCommand).IsAssignableFrom(t))
            .Select(t => ((ICliCommand)Activator.CreateInstance(t, nonPublic: true)!).Build());
}
