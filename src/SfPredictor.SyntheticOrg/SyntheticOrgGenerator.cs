using System.ComponentModel.DataAnnotations;
using SfPredictor.DataExport;
using SfPredictor.Records;
using SfPredictor.SyntheticOrg.Simulation;

namespace SfPredictor.SyntheticOrg;

/// <summary>
/// Generates a synthetic Salesforce org whose outcomes follow a known causal model (see the
/// <c>Model</c> folder), with the mess of real orgs, and the truth about its open Opportunities.
/// </summary>
public static class SyntheticOrgGenerator
{
    /// <summary>Generates the org in memory. Deterministic: the same options give equal records.</summary>
    /// <exception cref="ValidationException">An option is out of range.</exception>
    public static GeneratedOrg Generate(SyntheticOrgOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        var simulation = OrgSimulation.Run(options);
        var data = simulation.ToOrgData();
        var (tasks, events) = OrgLanguage.Apply(data.Tasks, data.Events, options);
        return new GeneratedOrg
        {
            Data = new OrgData
            {
                Accounts = data.Accounts,
                Users = data.Users,
                Opportunities = data.Opportunities,
                OpportunityHistories = data.OpportunityHistories,
                Tasks = tasks,
                Events = events,
                ActivityRelations = data.ActivityRelations,
                Stages = data.Stages,
                Currencies = data.Currencies,
                ExtractedAt = data.ExtractedAt,
            },
            Truth = simulation.ToTruth(),
        };
    }

    /// <summary>
    /// Writes the org as a Data Export folder (Account.csv, User.csv, Opportunity.csv, ...) with its
    /// truth in <c>_truth/</c>. The same org always gives the same bytes.
    /// </summary>
    public static void Write(GeneratedOrg org, string folder)
    {
        ArgumentNullException.ThrowIfNull(org);
        ArgumentNullException.ThrowIfNull(folder);
        DataExportWriter.Write(org.Data, folder);
        org.Truth.Write(folder);
    }
}
