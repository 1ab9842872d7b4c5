using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SfPredictor.Records;
using SfPredictor.Salesforce;
using SfPredictor.Worker.AdminSettings;
using SfPredictor.Worker.Pipeline;
using SfPredictor.Worker.Scheduling;
using SfPredictor.Worker.State;

namespace SfPredictor.Worker.ChangeEvents;

/// <summary>
/// Handles one batch of change events: finds the open Opportunities they affect, rescores exactly those through
/// the scoring run and write-back every run uses (taking turns with the scheduled runs), and only then keeps the
/// batch's replay ids, so a stop or crash before that replays the batch and never skips it.
/// </summary>
internal sealed class ChangeEventRunner(IServiceScopeFactory scopes, RunGate gate, StateStore state, ILogger<ChangeEventRunner> logger)
{
    /// <summary>The job name of change event runs in reports and logs.</summary>
    public const string JobName = "change-events";

    /// <summary>Whether the batch was handled (its replay ids are kept); false leaves it to be tried again.</summary>
    public async Task<(bool Handled, string? Error)> HandleAsync(PendingChanges batch, CancellationToken cancellationToken)
    {
        if (batch.HasWork)
        {
            await using var scope = scopes.CreateAsyncScope();
            var services = scope.ServiceProvider;
            var client = services.GetRequiredService<SalesforceClient>();
            var scoring = services.GetRequiredService<ScoringRun>();
            var settings = await services.GetRequiredService<AdminSettingsReader>().ReadAsync(cancellationToken);
            if (!await gate.EnterAsync(cancellationToken))
            {
                return (false, "stopping");
            }

            try
            {
                if (batch.CatchUp)
                {
                    var caught = await scoring.RunAsync(new ScoringRequest(Full: false, Job: JobNames.Score), settings, cancellationToken);
                    if (caught.Report.Outcome != RunOutcome.Succeeded)
                    {
                        return (false, caught.Report.Error ?? caught.Report.Outcome.ToString());
                    }
                }

                var ids = new HashSet<string>(batch.Opportunities, SalesforceId.Comparer);
                ids.UnionWith(await new SalesforceChanges(client).OpenOpportunitiesOfAsync(batch.Activities, batch.Accounts, cancellationToken));
                if (ids.Count > 0)
                {
                    Log.Rescoring(logger, batch.Events, batch.Own, ids.Count);
                    var result = await scoring.RunAsync(new ScoringRequest(Full: false, Job: JobName, Opportunities: ids), settings, cancellationToken);
                    if (result.Report.Outcome != RunOutcome.Succeeded)
                    {
                        return (false, result.Report.Error ?? result.Report.Outcome.ToString());
                    }
                }
            }
            finally
            {
                gate.Exit();
            }
        }

        foreach (var (topic, replayId) in batch.ReplayIds)
        {
            await state.SetReplayIdAsync(topic, replayId.Memory, CancellationToken.None);
        }

        return (true, null);
    }
}
