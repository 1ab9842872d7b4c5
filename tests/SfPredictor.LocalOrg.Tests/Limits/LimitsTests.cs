using System.Diagnostics;
using System.Net;
using SfPredictor.LocalOrg.Tests.Infrastructure;

namespace SfPredictor.LocalOrg.Tests.Limits;

public sealed class LimitsTests
{
    [Fact]
    public async Task Limits_EachCall_UsesOneRequestOfTheDailyBudget()
    {
        await using var org = await OrgHarness.StartAsync(configure: o => o.DailyApiRequests = 50);

        var first = await org.GetAsync(OrgHarness.Api("limits"));
        await org.QueryAsync("SELECT Id FROM Account");
        await org.QueryAsync("SELECT Id FROM Opportunity");
        var second = await org.GetAsync(OrgHarness.Api("limits"));

        JsonAssert.SameShape(Responses.Load("limits.json").GetProperty("DailyApiRequests"), first.Body.GetProperty("DailyApiRequests"));
        Assert.Equal(50, first.Body.GetProperty("DailyApiRequests").GetProperty("Max").GetInt32());
        Assert.Equal(49, first.Body.GetProperty("DailyApiRequests").GetProperty("Remaining").GetInt32());
        Assert.Equal(46, second.Body.GetProperty("DailyApiRequests").GetProperty("Remaining").GetInt32());
        Assert.Equal("api-usage=4/50", second.Header("Sforce-Limit-Info"));
        Assert.Equal(4, org.Server.ApiCallCount);
    }

    [Fact]
    public async Task Api_BudgetUsedUp_AnswersRequestLimitExceededUntilTheNextDay()
    {
        await using var org = await OrgHarness.StartAsync(configure: o => o.DailyApiRequests = 2);

        var allowed = new[] { await org.QueryAsync("SELECT Id FROM Account"), await org.QueryAsync("SELECT Id FROM Account") };
        var refused = await org.QueryAsync("SELECT Id FROM Account");
        org.Time.Advance(TimeSpan.FromDays(1));
        await org.LoginAsync();
        var nextDay = await org.QueryAsync("SELECT Id FROM Account");

        Assert.All(allowed, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal("REQUEST_LIMIT_EXCEEDED", refused.Body[0].GetProperty("errorCode").GetString());
        Assert.Equal("TotalRequests Limit exceeded.", refused.Body[0].GetProperty("message").GetString());
        Assert.Equal("api-usage=2/2", refused.Header("Sforce-Limit-Info"));
        Assert.Equal(HttpStatusCode.OK, nextDay.Status);
    }

    [Fact]
    public async Task Api_InjectedFailures_AnswerServerUnavailableWithoutUsingBudget()
    {
        await using var org = await OrgHarness.StartAsync(configure: o => o.FailureRate = 1.0);

        var result = await org.QueryAsync("SELECT Id FROM Account");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, result.Status);
        Assert.Equal("SERVER_UNAVAILABLE", result.Body[0].GetProperty("errorCode").GetString());
        Assert.Equal(0, org.Server.ApiCallCount);
    }

    [Fact]
    public async Task Api_FailureRate_FailsAboutThatShareOfCalls()
    {
        await using var org = await OrgHarness.StartAsync(configure: o => (o.FailureRate, o.FailureSeed) = (0.3, 7));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 60; i++)
        {
            statuses.Add((await org.GetAsync(OrgHarness.Api("limits"))).Status);
        }

        var failures = statuses.Count(s => s == HttpStatusCode.ServiceUnavailable);
        Assert.InRange(failures, 8, 30);
        Assert.Equal(60 - failures, statuses.Count(s => s == HttpStatusCode.OK));
    }

    [Fact]
    public async Task Api_InjectedLatency_DelaysEveryAnswer()
    {
        await using var org = await OrgHarness.StartAsync(configure: o => o.Latency = TimeSpan.FromMilliseconds(120));

        var started = Stopwatch.GetTimestamp();
        var result = await org.QueryAsync("SELECT Id FROM Account");

        Assert.Equal(HttpStatusCode.OK, result.Status);
        // A lower bound only, so a slow machine cannot fail it; the margin covers timers that fire on a
        // coarse millisecond tick and so up to a tick before the stopwatch says 120 ms have passed.
        var elapsed = Stopwatch.GetElapsedTime(started);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(110), $"answered after {elapsed.TotalMilliseconds:F1} ms");
    }

    [Fact]
    public async Task Versions_WithoutSession_ListsVersionsInTheRecordedShape()
    {
        await using var org = await OrgHarness.StartAsync(login: false);

        var result = await org.GetAsync("/services/data/");

        Assert.Equal(HttpStatusCode.OK, result.Status);
        JsonAssert.SameShape(Responses.Load("versions.json"), result.Body);
        var versions = result.Body.EnumerateArray().ToList();
        Assert.Contains(versions, v => v.GetProperty("version").GetString() == "62.0" && v.GetProperty("label").GetString() == "Winter '25" && v.GetProperty("url").GetString() == "/services/data/v62.0");
        Assert.Equal("Summer '14", versions[0].GetProperty("label").GetString());
    }

    [Fact]
    public async Task Api_UnknownVersionOrResource_AnswersNotFound()
    {
        await using var org = await OrgHarness.StartAsync();

        var badVersion = await org.GetAsync("/services/data/v7.0/limits");
        var badResource = await org.GetAsync(OrgHarness.Api("nothing/here"));

        Assert.Equal(HttpStatusCode.NotFound, badVersion.Status);
        Assert.Equal(HttpStatusCode.NotFound, badResource.Status);
        JsonAssert.Equivalent(Responses.Load("sobject_describe_error_response.json"), badResource.Body);
    }
}
