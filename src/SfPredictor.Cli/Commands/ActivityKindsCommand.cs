using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SfPredictor.Salesforce;
using SfPredictor.Cli.Settings;
using SfPredictor.DataExport;
using SfPredictor.Features;
using SfPredictor.Features.Activities;
using SfPredictor.Features.Indexing;
using SfPredictor.Records;
using SfPredictor.Worker.AdminSettings;
using SfPredictor.Worker.Hosting;
using SfPredictor.Worker.Pipeline;

namespace SfPredictor.Cli.Commands;

/// <summary>
/// <c>sfp activity-kinds</c>: how the activity kinds recognise an org's Tasks and Events (from a Data
/// Export, or through the API with the worker's settings and the org's Custom Metadata rules), what is
/// left unrecognised (Type values and subject words, counts only) and a settings snippet to start from.
/// </summary>
internal sealed class ActivityKindsCommand : ICliCommand
{
    public Command Build()
    {
        var export = new Option<string?>("--export") { Description = "Data Export folder (CSV files)." };
        var api = new Option<bool>("--api") { Description = "Read the org through the API with the worker's settings (Salesforce__… and SfPredictor__…), with the rules of its SfP_Activity_Kind__mdt records." };
        var top = new Option<int>("--top") { Description = "How many unrecognised Type values and subject words to list.", DefaultValueFactory = _ => 15 };
        var settings = OfflineSettings.CreateOption();

        var command = new Command("activity-kinds", "Show how the org's activities map to activity kinds: activities per kind, the unrecognised share, their most frequent Type values and subject words, and a suggested mapping to paste into settings.");
        foreach (var option in new Option[] { export, api, top, settings })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var folder = parseResult.GetValue(export);
            var useApi = parseResult.GetValue(api);
            if ((folder is null) == !useApi)
            {
                Console.Error.WriteLine("error: give either --export DIR or --api.");
                return 1;
            }

            try
            {
                var configured = OfflineSettings.Load(parseResult.GetValue(settings));
                var (org, features) = useApi
                    ? await ReadThroughApiAsync(cancellationToken)
                    : (DataExportReader.Read(folder!).Data, configured.Features);
                var coverage = ActivityKindCoverage.Measure(org, new OrgIndex(org, features), parseResult.GetValue(top));
                Print(coverage, configured.Training.MinDealsPerActivityKind);
                return coverage.Unrecognised == coverage.LinkedActivities && coverage.LinkedActivities > 0 ? 2 : 0;
            }
            catch (Exception e) when (e is DataExportFormatException or IOException or ArgumentException
                or Microsoft.Extensions.Options.OptionsValidationException or SfPredictor.Salesforce.SalesforceApiException or InvalidOperationException)
            {
                Console.Error.WriteLine($"error: {(e is Microsoft.Extensions.Options.OptionsValidationException o ? string.Join(Environment.NewLine + "error: ", o.Failures) : e.Message)}");
                return 1;
            }
        });
        return command;
    }

    // The worker's way: its settings, its admin rules, its reads (only the activity fields the rules name are added).
    private static async Task<(OrgData Org, FeatureOptions Features)> ReadThroughApiAsync(CancellationToken cancellationToken)
    {
        await using var session = await PipelineSession.StartAsync(cancellationToken: cancellationToken);
        await using var scope = session.Services.CreateAsyncScope();
        var features = await scope.ServiceProvider.GetRequiredService<ActivityKindRulesReader>().ReadAsync(cancellationToken);
        var org = await scope.ServiceProvider.GetRequiredService<SalesforceSource>()
            .LoadWholeAsync(OpportunityScope.All, null, [], [.. features.ActivityTypeFields], cancellationToken);
        return (org, features);
    }

    private static void Print(ActivityKindCoverage coverage, int minDeals)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"{coverage.LinkedActivities:N0} activities linked to Opportunities; {coverage.LinkedActivities - coverage.Unrecognised:N0} recognised, {coverage.Unrecognised:N0} unrecognised ({coverage.UnrecognisedShare:P1})."));
        Console.WriteLine();
        Console.WriteLine("| kind | activities | closed deals with one | recommended |");
        Console.WriteLine("|---|---:|---:|---|");
        foreach (var kind in coverage.Kinds)
        {
            var recommended = kind.ClosedDeals >= minDeals ? "yes" : string.Create(c, $"no: fewer than {minDeals} deals");
            Console.WriteLine(string.Create(c, $"| {kind.Kind} | {kind.Activities:N0} | {kind.ClosedDeals:N0} | {recommended} |"));
        }

        if (coverage.Unrecognised > 0)
        {
            Console.WriteLine();
            Console.WriteLine("Unrecognised activities, most frequent Type values (else TaskSubtype / EventSubtype):");
            foreach (var type in coverage.UnrecognisedTypes)
            {
                Console.WriteLine(string.Create(c, $"  {type.Count,8:N0}  {type.Value}"));
            }

            Console.WriteLine("Most frequent words in their subjects (counts only):");
            foreach (var word in coverage.UnrecognisedWords)
            {
                Console.WriteLine(string.Create(c, $"  {word.Count,8:N0}  {word.Value}"));
            }

            Console.WriteLine();
            Console.WriteLine("A mapping to start from: move each value or word under the kind it means (an existing kind's name adds to it, a new name adds a kind), delete the rest, and put it in appsettings.json or a --settings file:");
            Console.WriteLine(coverage.SuggestedSettings());
        }

        if (coverage.Warning is { } warning)
        {
            Console.WriteLine();
            Console.WriteLine(warning);
        }
    }
}
