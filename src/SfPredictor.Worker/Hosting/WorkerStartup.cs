using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SfPredictor.Worker.AdminSettings;
using SfPredictor.Worker.Pipeline;
using SfPredictor.Worker.Scheduling;
using SfPredictor.Worker.State;

namespace SfPredictor.Worker.Hosting;

/// <summary>
/// Runs before the scheduler starts: creates the state tables, checks the write-back fields with describe
/// (a missing or read-only field stops the worker with one message listing every problem), reads the admin
/// settings and schedules the jobs accordingly.
/// </summary>
internal sealed class WorkerStartup(IServiceScopeFactory scopes, StateStore state) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await state.EnsureCreatedAsync(cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await services.GetRequiredService<ScoringRun>().VerifySinkAsync(cancellationToken);
        var settings = await services.GetRequiredService<AdminSettingsReader>().ReadAsync(cancellationToken);
        await services.GetRequiredService<ScheduleReconciler>().ApplyAsync(settings, cancellationToken);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
