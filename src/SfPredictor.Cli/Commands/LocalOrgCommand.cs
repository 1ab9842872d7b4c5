using System.CommandLine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SfPredictor.DataExport;
using SfPredictor.LocalOrg;

namespace SfPredictor.Cli.Commands;

/// <summary><c>sfp local-org</c>: serves a Data Export folder as a Salesforce-compatible org until Ctrl-C.</summary>
internal sealed class LocalOrgCommand : ICliCommand
{
    private const string SecretVariable = "SFP_LOCAL_ORG_CLIENT_SECRET";

    public Command Build()
    {
        var export = new Option<string>("--export") { Description = "The Data Export folder to serve; updates are written back to it.", Required = true };
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (0: any free port)." };
        var clientId = new Option<string>("--client-id") { Description = "The connected app's consumer key.", DefaultValueFactory = _ => "sfp-local" };
        var clientSecret = new Option<string?>("--client-secret") { Description = $"Consumer secret for the client credentials flow (or set {SecretVariable})." };
        var publicKey = new Option<string?>("--public-key") { Description = "PEM public key or certificate that verifies JWT bearer assertions." };
        var budget = new Option<int>("--daily-api-requests") { Description = "Daily API request budget.", DefaultValueFactory = _ => 100_000 };
        var latency = new Option<int>("--latency-ms") { Description = "Delay added to every API answer." };
        var failureRate = new Option<double>("--failure-rate") { Description = "Share of API calls answered 503 SERVER_UNAVAILABLE (0 to 1)." };
        var customFields = new Option<string[]>("--custom-field")
        {
            Description = "Extra field as Object.Field__c:type (repeatable), e.g. Opportunity.SfP_Win_Probability__c:percent.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var fiscalStart = new Option<int>("--fiscal-year-start-month") { Description = "Month the org's fiscal year starts in (1-12); fiscal date literals and functions follow it.", DefaultValueFactory = _ => 1 };
        var fiscalBasis = new Option<FiscalYearBasis>("--fiscal-year-based-on")
        {
            Description = "Whether a fiscal year is named by the year it ends in (EndingMonth) or starts in (StartingMonth).",
            DefaultValueFactory = _ => FiscalYearBasis.EndingMonth,
        };

        var command = new Command("local-org", "Serve a Data Export folder as a local Salesforce-compatible org (OAuth, REST query, sObject Collections, describe, limits, Bulk API 2.0).");
        foreach (var option in new Option[] { export, port, clientId, clientSecret, publicKey, budget, latency, failureRate, customFields, fiscalStart, fiscalBasis })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new LocalOrgOptions
            {
                ExportDirectory = parseResult.GetValue(export)!,
                Port = parseResult.GetValue(port),
                ClientId = parseResult.GetValue(clientId)!,
                ClientSecret = parseResult.GetValue(clientSecret) ?? Environment.GetEnvironmentVariable(SecretVariable),
                PublicKeyPath = parseResult.GetValue(publicKey),
                DailyApiRequests = parseResult.GetValue(budget),
                Latency = TimeSpan.FromMilliseconds(parseResult.GetValue(latency)),
                FailureRate = parseResult.GetValue(failureRate),
                FiscalYearStartMonth = parseResult.GetValue(fiscalStart),
                FiscalYearBasedOn = parseResult.GetValue(fiscalBasis),
            };
            if (string.IsNullOrEmpty(options.ClientSecret) && string.IsNullOrEmpty(options.PublicKeyPath))
            {
                Console.Error.WriteLine($"error: give --client-secret (or set {SecretVariable}) or --public-key, so that a client can log in.");
                return 1;
            }

            foreach (var field in parseResult.GetValue(customFields) ?? [])
            {
                options.CustomFields.Add(field);
            }

            using var loggerFactory = LoggerFactory.Create(logging => logging
                .AddSimpleConsole(console => console.SingleLine = true)
                .AddFilter("Microsoft", LogLevel.Warning));
            try
            {
                await using var org = await LocalOrgServer.StartAsync(options, TimeProvider.System, loggerFactory, cancellationToken);
                Console.WriteLine($"Local org at {org.BaseUri} (login and instance URL), client id {options.ClientId}. Ctrl-C stops it and writes updates back to {options.ExportDirectory}.");
                await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
                return 0;
            }
            catch (Exception e) when (e is OptionsValidationException or DataExportFormatException or InvalidOperationException or IOException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
