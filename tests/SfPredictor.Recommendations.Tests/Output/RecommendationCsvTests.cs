using System.Globalization;
using CsvHelper;
using SfPredictor.Recommendations.Output;
using SfPredictor.Records;

namespace SfPredictor.Recommendations.Tests.Output;

[Collection(TrainedOrgCollection.Name)]
public sealed class RecommendationCsvTests(TrainedOrgFixture fixture)
{
    [Fact]
    public void Write_Results_ExactColumnsBlanksAndSignedFactors()
    {
        var writer = new StringWriter { NewLine = "\n" };
        RecommendationCsv.Write(writer,
        [
            new("006000000000001AAA", 0.42131, [new("Demo", 0.0312), new("Executive Meeting", 0.0101)], [new("No activity in 24 days", -0.052), new("Account won 4 of its 5 earlier deals", 0.031)]),
            new("006000000000002AAA", 0.9, [], []),
        ]);

        Assert.Equal(
            "Id,WinProbability,NextActivity1,Uplift1,NextActivity2,Uplift2,NextActivity3,Uplift3,TopFactors\n" +
            "006000000000001AAA,0.4213,Demo,0.0312,Executive Meeting,0.0101,,,No activity in 24 days (-0.052); Account won 4 of its 5 earlier deals (+0.031)\n" +
            "006000000000002AAA,0.9000,,,,,,,\n",
            writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_WithModelPackage_WritesOneRowPerOpenOpportunity()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sfp-reco-{Guid.NewGuid():N}.csv");
        try
        {
            var run = OfflineRecommendations.Run(fixture.Org.Data, fixture.PackageDirectory);
            RecommendationCsv.Write(path, run.Results);

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

            Assert.Equal(fixture.AsOf, run.AsOf);
            Assert.Contains(fixture.Model.Manifest.Version, run.Model, StringComparison.Ordinal);
            Assert.Equal(fixture.Org.Truth.Opportunities.Select(t => t.OpportunityId).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Run_RecordsWithoutDate_AskForOne()
    {
        var data = fixture.Org.Data;
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

        var error = Assert.Throws<ArgumentException>(() => OfflineRecommendations.Run(org, fixture.PackageDirectory));

        Assert.Equal("asOf", error.ParamName);
    }
}
