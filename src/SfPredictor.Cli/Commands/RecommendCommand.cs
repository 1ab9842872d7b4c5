using System.CommandLine;
using System.Globalization;
using System.Text;
using SfPredictor.Cli.Settings;
using SfPredictor.DataExport;
using SfPredictor.Recommendations;
using SfPredictor.Scoring.Packaging;
using SfPredictor.Training;
using SfPredictor.Worker.Pipeline;

namespace SfPredictor.Cli.Commands;

/// <summary><c>sfp recommend</c>: win probability, next best activities and top factors for every open Opportunity of an export.</summary>
internal sealed class RecommendCommand : ICliCommand
{
    public Command Build()
    {
        var export = new Option<string>("--export") { Description = "Data Export folder (CSV files).", Required = true };
        var output = new Option<string>("--out") { Description = "CSV file to write (one row per open Opportunity).", Required = true };
        var model = new Option<string?>("--model") { Description = "Model package folder. Default: train one on the export's closed Opportunities first." };
        var asOf = new Option<string?>("--as-of") { Description = "Point in time (UTC date or ISO timestamp). Default: the export's date." };
        var settings = OfflineSettings.CreateOption();

        var command = new Command("recommend", "Score every open Opportunity of a Data Export and write its win probability, three next best activities and top factors to CSV.");
        foreach (var option in new Option[] { export, output, model, asOf, settings })
        {
            command.Options.Add(option);
        }

        command.SetAction((parseResult, cancellationToken) => TrainingCommandSupport.Run(async () =>
        {
            var progress = new TextProgress(Console.Error);
            var pointInTime = TrainingCommandSupport.ParseDate(parseResult.GetValue(asOf), "--as-of");
            var configured = OfflineSettings.Load(parseResult.GetValue(settings));
            progress.Report($"reading {parseResult.GetValue(export)}");
            var org = DataExportReader.Read(parseResult.GetValue(export)!).Data;

            // Rows are written as the run goes, into a file beside the target that replaces it only when the run succeeded.
            var path = Path.GetFullPath(parseResult.GetValue(output)!);
            var partial = path + ".partial";
            RecommendationRun run;
            try
            {
                await using (var csv = new StreamWriter(partial, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
                {
                    run = await OfflineRecommendations.RunAsync(
                        org, parseResult.GetValue(model), csv, pointInTime, configured.Recommendations, configured.Training, configured.Features, progress, cancellationToken: cancellationToken);
                }

                File.Move(partial, path, overwrite: true);
            }
            catch (Exception e) when (e is ModelPackageException or InvalidOperationException)
            {
                throw new ArgumentException(e.Message, e);
            }
            finally
            {
                File.Delete(partial);
            }

            var withActivity = run.Results.Count(r => r.Recommendations.Count > 0);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{run.Results.Count:N0} open Opportunities as of {run.AsOf:yyyy-MM-dd HH:mm}Z written to {path}; {withActivity:N0} with at least one recommended activity."));
            Console.WriteLine($"Model: {run.Model}");
            if (run.ActivityCoverage is { } coverage)
            {
                OfflineCommandSupport.ReportActivityKinds(SfPredictor.Scoring.Packaging.ActivityCoverageSummary.From(coverage), run.LeftOutKinds);
            }

            return 0;
        }));
        return command;
    }
}
