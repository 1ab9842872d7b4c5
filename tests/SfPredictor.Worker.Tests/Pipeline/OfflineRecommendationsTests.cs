using System.Globalization;
using CsvHelper;
using SfPredictor.Recommendations;
using SfPredictor.Recommendations.Output;
using SfPredictor.Records;
using SfPredictor.SyntheticOrg;
using SfPredictor.Worker.Pipeline;
using SfPredictor.Worker.Tests.Infrastructure;

namespace SfPredictor.Worker.Tests.Pipeline;

/// <summary><c>sfp recommend</c>'s run: a Data Export held in memory, scored with the worker's trained model package.</summary>
[Collection(WorkerCollection.Name)]
public sealed class OfflineRecommendationsTests(WorkerFixture fixture)
{
    private static GeneratedOrg Org() =>
        SyntheticOrgGenerator.Generate(new SyntheticOrgOptions { Opportunities = TestOrg.Opportunities, Seed = TestOrg.Seed, AsOf = TestOrg.AsOf });

    [Fact]
    public async Task Run_WithModelPackage_WritesOneRowPerOpenOpportunity()
    {
        var org = Org();
        var path = Path.Combine(Path.GetTempPath(), $"sfp-reco-{Guid.NewGuid():N}.csv");
        try
        {
            RecommendationRun run;
            await using (var csv = new StreamWriter(path))
            {
                run = await OfflineRecommendations.RunAsync(org.Data, fixture.PackageFolder, csv);
            }

            using var reader = new CsvReader(new StreamReader(path), CultureInfo.InvariantCulture);
            reader.Read();
            reader.ReadHeader();
            Assert.Equal(RecommendationCsv.Columns, reader.HeaderRecord);
            var ids = new List<string>();
            while (reader.Read())
            {
                ids.Add(reader.GetField("Id")!);
                Assert.InRange(double.Parse(reader.GetField("WinProbability")!, CultureInfo.InvariantCulture), 0, 1);
                var uplift = reader.GetField("Uplift1");
                Assert.True(uplift == "" || double.Parse(uplift!, CultureInfo.InvariantCulture) > 0);
            }

            Assert.Equal(TestOrg.AsOf, run.AsOf);
            Assert.Contains(fixture.ModelVersion, run.Model, StringComparison.Ordinal);
            Assert.Equal(org.Truth.Opportunities.Select(t => t.OpportunityId).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
            Assert.Equal(run.Results.Select(r => r.OpportunityId), ids);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Run_ConfiguredRecommendationOptions_ReachTheRunAsBound()
    {
        var options = new RecommendationOptions { MaxRecommendations = 1, DisabledKinds = ["Demo"] };

        var run = await OfflineRecommendations.RunAsync(Org().Data, fixture.PackageFolder, options: options);

        Assert.Contains(run.Results, r => r.Recommendations.Count == 1);
        Assert.All(run.Results, r => Assert.True(r.Recommendations.Count <= 1));
        Assert.DoesNotContain(run.Results, r => r.Recommendations.Any(a => a.Kind == "Demo"));
    }

    [Fact]
    public async Task Run_RecordsWithoutDate_AskForOne()
    {
        var data = Org().Data;
        var org = new OrgData
        {
            Accounts = data.Accounts,
            Users = data.Users,
            Opportunities = data.Opportunities,
            OpportunityHistories = data.OpportunityHistories,
            Tasks = data.Tasks,
            Events = data.Events,
            Stages = data.Stages,
            Currencies = data.Currencies,
        };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => OfflineRecommendations.RunAsync(org, fixture.PackageFolder));

        Assert.Equal("asOf", error.ParamName);
    }
}
