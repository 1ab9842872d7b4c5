using SfPredictor.Recommendations.Output;

namespace SfPredictor.Recommendations.Tests.Output;

public sealed class RecommendationCsvTests
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
}
