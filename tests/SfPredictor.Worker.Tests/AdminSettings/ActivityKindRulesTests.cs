using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SfPredictor.Salesforce;
using SfPredictor.DataExport;
using SfPredictor.Features;
using SfPredictor.Features.Activities;
using SfPredictor.Features.Indexing;
using SfPredictor.Records;
using SfPredictor.Worker.AdminSettings;
using SfPredictor.Worker.Pipeline;
using SfPredictor.Worker.Tests.Infrastructure;

namespace SfPredictor.Worker.Tests.AdminSettings;

[Collection(WorkerCollection.Name)]
public sealed class ActivityKindRulesTests(WorkerFixture fixture)
{
    private const string Field = "Activity_Type__c";

    [Fact]
    public async Task ReadAsync_RulesInCustomMetadata_MapTheOrgsOwnPicklistReadThroughTheApi()
    {
        await using var org = await TestOrg.StartAsync(fixture, export =>
        {
            UseOwnPicklist(export);
            File.WriteAllText(
                Path.Combine(export, ActivityKindMetadata.TypeName + ".csv"),
                "\"Id\",\"DeveloperName\",\"Kind__c\",\"Types__c\",\"Subject_Keywords__c\",\"Subject_Patterns__c\",\"Type_Fields__c\",\"Disabled__c\",\"New_Name__c\"\n" +
                "\"m015j0000000001AAA\",\"A_Phone\",\"Call\",\"Phone\",\"\",\"\",\"Activity_Type__c\",\"false\",\"Llamada\"\n" +
                "\"m015j0000000002AAA\",\"B_Site_Visit\",\"Site visit\",\"\",\"onsite\",\"^visit(a)? (to|a) \",\"\",\"false\",\"\"\n" +
                "\"m015j0000000003AAA\",\"C_No_Email\",\"Email\",\"\",\"\",\"\",\"\",\"true\",\"\"\n");
        });
        await using var session = await org.SessionAsync();
        await using var scope = session.Services.CreateAsyncScope();

        var features = await scope.ServiceProvider.GetRequiredService<ActivityKindRulesReader>().ReadAsync();
        var data = await scope.ServiceProvider.GetRequiredService<SalesforceSource>()
            .LoadWholeAsync(OpportunityScope.All, null, [], [.. features.ActivityTypeFields], CancellationToken.None);
        var index = new OrgIndex(data, features);
        var phoned = data.Tasks.Where(t => t.Custom.GetValueOrDefault(Field) == "Phone").ToList();
        var (exit, output, error) = await SfpProcess.RunAsync(org.Settings(), "activity-kinds", "--api");

        Assert.True(exit == 0, error);
        Assert.Contains("| Llamada |", output, StringComparison.Ordinal);
        Assert.Contains("| Site visit |", output, StringComparison.Ordinal);
        Assert.DoesNotContain("| Email |", output, StringComparison.Ordinal);
        Assert.Equal([Field], features.ActivityTypeFields);
        Assert.Equal(["Site visit", "Executive Meeting", "Demo", "Proposal", "Meeting", "Llamada"], index.Kinds.Kinds.Select(k => k.Name));
        Assert.NotEmpty(phoned);
        Assert.All(phoned, t => Assert.Null(t.Type));
        Assert.Contains(phoned, t => t.Subject == "Follow up" && index.Kinds.Map(t.AsActivity()) == "Llamada");
        Assert.Contains(data.Events, e => e.Subject == "Onsite visit" && index.Kinds.Map(e.AsActivity()) == "Site visit");
        Assert.True(ActivityKindCoverage.Measure(data, index).Kinds.Single(k => k.Kind == "Llamada").Activities >= phoned.Count(t => t.WhatId is not null && t.Subject is "Follow up" or "Left voicemail"));
    }

    [Fact]
    public void Overlay_RuleWithABadPatternOrNoKind_StopsNamingTheRecordAndField()
    {
        IReadOnlyDictionary<string, string?> Record(string name, string? kind, string? patterns) => new Dictionary<string, string?>
        {
            ["DeveloperName"] = name,
            [ActivityKindMetadata.Kind] = kind,
            [ActivityKindMetadata.SubjectPatterns] = patterns,
        };

        var error = Assert.Throws<OptionsValidationException>(() => ActivityKindRulesReader.Overlay(
            new FeatureOptions(), [Record("Visits", "Site visit", "^visita\n(obra"), Record("Blank", " ", null)]));

        Assert.Contains(error.Failures, f => f.StartsWith("SfP_Activity_Kind__mdt.Visits.Subject_Patterns__c:", StringComparison.Ordinal) && f.Contains("(obra", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("SfP_Activity_Kind__mdt.Blank.Kind__c is blank", StringComparison.Ordinal));
    }

    // The org logs calls in its own picklist and leaves Type and TaskSubtype blank.
    private static void UseOwnPicklist(string export)
    {
        var data = DataExportReader.Read(export).Data;
        IReadOnlyDictionary<string, string?> Own(string? value) => new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { [Field] = value };
        DataExportWriter.Write(
            new OrgData
            {
                Accounts = data.Accounts,
                Users = data.Users,
                Opportunities = data.Opportunities,
                OpportunityHistories = data.OpportunityHistories,
                Tasks = [.. data.Tasks.Select(t => t with { Type = null, TaskSubtype = null, Custom = Own(t.Type == "Call" ? "Phone" : "Other") })],
                Events = [.. data.Events.Select(e => e with { Custom = Own("Other") })],
                ActivityRelations = data.ActivityRelations,
                Stages = data.Stages,
                Currencies = data.Currencies,
                ExtractedAt = data.ExtractedAt,
            },
            export);
    }
}
