using System.CommandLine;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Globalization;
using SfPredictor.SyntheticOrg;

namespace SfPredictor.Cli.Commands;

/// <summary><c>sfp generate-org</c>: a synthetic org as a Data Export folder, with the truth about its open deals.</summary>
internal sealed class GenerateOrgCommand : ICliCommand
{
    public Command Build()
    {
        var output = new Option<string>("--out") { Description = "Folder to write the Data Export CSV files (and _truth/) into.", Required = true };
        var opportunities = new Option<int>("--opportunities")
        {
            Description = "Total Opportunities, open and closed.",
            DefaultValueFactory = _ => SyntheticOrgOptions.DefaultOpportunities,
        };
        opportunities.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > SyntheticOrgOptions.MaxOpportunities)
            {
                result.AddError($"--opportunities must be from 1 to {SyntheticOrgOptions.MaxOpportunities:N0}.");
            }
        });
        var seed = new Option<long>("--seed") { Description = "Random seed; the same arguments always write the same files.", DefaultValueFactory = _ => 1 };
        var asOf = new Option<string?>("--as-of")
        {
            Description = "When the export is taken (UTC date or ISO timestamp). Default: " + SyntheticOrgOptions.DefaultAsOf.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) + ".",
        };

        var language = new Option<string>("--language") { Description = "Language of activity subjects: en, es, pt, fr, de or it (the same seed gives the same deals in every language).", DefaultValueFactory = _ => "en" };
        language.AcceptOnlyFromAmong("en", "es", "pt", "fr", "de", "it");
        var blankTypes = new Option<bool>("--blank-activity-types") { Description = "Leave Task/Event Type and TaskSubtype blank, as many orgs do: only subjects tell what was done." };
        var typeField = new Option<string?>("--activity-type-field") { Description = "Add the org's own activity type picklist under this custom field name (e.g. Activity_Type__c) to every Task and Event." };

        var world = new Option<string>("--world")
        {
            Description = "Causal world: " + string.Join(", ", OrgWorlds.All.Select(OrgWorlds.Name)) + " (see docs/worlds.md).",
            DefaultValueFactory = _ => OrgWorlds.Name(OrgWorld.Default),
        };

        var loggedShare = new Option<double?>("--logged-share") { Description = "Share of done activities that are logged, in place of the world's (sparse-logging 0.25, the others 1); the truth stays the same." };

        var command = new Command("generate-org", "Generate a synthetic org with a known causal model: Data Export CSV files plus _truth/ (true win probabilities and activity uplifts of the open Opportunities).");
        foreach (var option in new Option[] { output, opportunities, seed, asOf, language, blankTypes, typeField, world, loggedShare })
        {
            command.Options.Add(option);
        }

        command.SetAction((parseResult, cancellationToken) =>
        {
            try
            {
                var options = new SyntheticOrgOptions
                {
                    Opportunities = parseResult.GetValue(opportunities),
                    Seed = parseResult.GetValue(seed),
                    World = OrgWorlds.Parse(parseResult.GetValue(world)!),
                    LoggedShare = parseResult.GetValue(loggedShare),
                    AsOf = TrainingCommandSupport.ParseDate(parseResult.GetValue(asOf), "--as-of") ?? SyntheticOrgOptions.DefaultAsOf,
                    Language = parseResult.GetValue(language)!,
                    BlankActivityTypes = parseResult.GetValue(blankTypes),
                    ActivityTypeField = parseResult.GetValue(typeField),
                };
                var folder = parseResult.GetValue(output)!;
                var watch = Stopwatch.StartNew();
                var org = SyntheticOrgGenerator.Generate(options);
                var generated = watch.Elapsed;
                cancellationToken.ThrowIfCancellationRequested();
                SyntheticOrgGenerator.Write(org, folder);
                var written = watch.Elapsed - generated;

                var data = org.Data;
                var won = data.Opportunities.Count(o => o.IsWon);
                var lost = data.Opportunities.Count(o => o.IsClosed && !o.IsWon);
                Console.WriteLine(FormattableString.Invariant(
                    $"{folder}: {data.Opportunities.Count:N0} Opportunities ({org.Truth.Opportunities.Count:N0} open, {won:N0} won, {lost:N0} lost), {data.Accounts.Count:N0} Accounts, {data.Users.Count:N0} Users, {data.OpportunityHistories.Count:N0} history rows, {data.Tasks.Count:N0} Tasks, {data.Events.Count:N0} Events as of {options.AsOf:yyyy-MM-dd HH:mm:ss}Z"));
                Console.WriteLine(FormattableString.Invariant(
                    $"truth of the open Opportunities in {Path.Combine(folder, SfPredictor.SyntheticOrg.Truth.OrgTruth.FolderName)}; generated in {generated.TotalSeconds:0.0} s, written in {written.TotalSeconds:0.0} s"));
                return Task.FromResult(0);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("cancelled");
                return Task.FromResult(130);
            }
            catch (Exception e) when (e is ValidationException or ArgumentException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return Task.FromResult(1);
            }
        });
        return command;
    }
}
