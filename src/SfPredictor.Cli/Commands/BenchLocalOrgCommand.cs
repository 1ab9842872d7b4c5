using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using SfPredictor.DataExport;
using SfPredictor.LocalOrg.Benchmark;

namespace SfPredictor.Cli.Commands;

/// <summary><c>sfp bench-local-org</c>: load time, memory and API timings of a local org over a generated org.</summary>
internal sealed class BenchLocalOrgCommand : ICliCommand
{
    public Command Build()
    {
        var opportunities = new Option<int>("--opportunities") { Description = "Opportunities of the generated org.", DefaultValueFactory = _ => 100_000 };
        var seed = new Option<long>("--seed") { Description = "Seed of the generated org.", DefaultValueFactory = _ => 1 };
        var export = new Option<string?>("--export") { Description = "Benchmark this existing export instead of generating one (it is not modified)." };
        var workDir = new Option<string?>("--work-dir") { Description = "Where the generated org is kept and reused (default: the temp folder)." };

        var command = new Command("bench-local-org", "Measure how fast and how small a local org loads a generated org, and time a query, paging, a count and a PATCH.");
        foreach (var option in new Option[] { opportunities, seed, export, workDir })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var given = parseResult.GetValue(export);
            var folder = given ?? Path.Combine(
                parseResult.GetValue(workDir) ?? Path.GetTempPath(),
                string.Create(CultureInfo.InvariantCulture, $"sfp-bench-org-{parseResult.GetValue(opportunities)}-seed{parseResult.GetValue(seed)}"));
            try
            {
                if (given is null && !File.Exists(Path.Combine(folder, "Opportunity.csv")))
                {
                    // A separate process generates, so the peak memory measured here is the local org's alone.
                    var code = await RunSelfAsync(
                        ["generate-org", "--out", folder, "--opportunities", parseResult.GetValue(opportunities).ToString(CultureInfo.InvariantCulture), "--seed", parseResult.GetValue(seed).ToString(CultureInfo.InvariantCulture)],
                        cancellationToken);
                    if (code != 0)
                    {
                        Console.Error.WriteLine($"error: generate-org exited with {code}");
                        return code;
                    }
                }

                Console.WriteLine($"local org over {folder} ({Environment.ProcessorCount} cores)");
                var result = await LocalOrgBenchmark.RunAsync(folder, persistUpdates: given is null, cancellationToken);
                foreach (var line in LocalOrgBenchmark.Describe(result))
                {
                    Console.WriteLine(line);
                }

                return 0;
            }
            catch (Exception e) when (e is OptionsValidationException or DataExportFormatException or InvalidOperationException or IOException or HttpRequestException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static async Task<int> RunSelfAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var executable = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this program is unknown, so it cannot run generate-org.");
        var start = new ProcessStartInfo(executable) { UseShellExecute = false };

        // Started as "dotnet sfp.dll": the host needs the assembly first.
        if (Path.GetFileNameWithoutExtension(executable).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(BenchLocalOrgCommand).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode;
    }
}
