using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SfPredictor.DataExport;
using SfPredictor.LocalOrg.Tests.Infrastructure;
using SfPredictor.Records;
using SfPredictor.Salesforce;

namespace SfPredictor.LocalOrg.Tests.EndToEnd;

/// <summary>
/// The product's Salesforce client against the local org: an export written by the Data Export
/// writer, read back over REST and Bulk API 2.0, updated, and re-read from the folder.
/// </summary>
public sealed class SalesforceClientEndToEndTests : IAsyncLifetime
{
    private const string ClientId = "3MVG9-local-consumer-key";
    private const string Secret = "local-secret";
    private const string WinProbability = "SfP_Win_Probability__c";
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ExportFolder _folder = new();
    private readonly FakeTimeProvider _time = new(Now);
    private LocalOrgServer _org = null!;

    public async Task InitializeAsync()
    {
        DataExportWriter.Write(Sample(), _folder.Path);
        _org = await StartOrgAsync();
    }

    public async Task DisposeAsync()
    {
        await _org.DisposeAsync();
        _folder.Dispose();
    }

    [Theory]
    [InlineData(TransferMode.Rest)]
    [InlineData(TransferMode.Bulk)]
    public async Task ReadAsync_WholeOrg_MatchesTheExport(TransferMode mode)
    {
        await using var client = Client();

        var read = await client.Reader.ReadAsync(new OrgQuery { Scope = OpportunityScope.All, Mode = mode });

        var exported = DataExportReader.Read(_folder.Path).Data;
        Assert.Equal(Plain(exported.Opportunities), Plain(read.Opportunities));
        Assert.Equal(Plain(exported.Accounts), Plain(read.Accounts));
        Assert.Equal(exported.Users.OrderBy(u => u.Id), read.Users.OrderBy(u => u.Id));
        Assert.Equal(exported.OpportunityHistories.OrderBy(h => h.Id), read.OpportunityHistories.OrderBy(h => h.Id));
        Assert.Equal(exported.Tasks.OrderBy(t => t.Id), read.Tasks.OrderBy(t => t.Id));
        Assert.Equal(exported.Events.OrderBy(e => e.Id), read.Events.OrderBy(e => e.Id));
        Assert.Equal(exported.Stages, read.Stages);
        Assert.Equal(exported.Currencies.OrderBy(c => c.IsoCode), read.Currencies.OrderBy(c => c.IsoCode));
        Assert.Equal(4, read.Opportunities.Count);
        Assert.Equal(3, read.Tasks.Count);
    }

    [Theory]
    [InlineData(TransferMode.Rest)]
    [InlineData(TransferMode.Bulk)]
    public async Task UpdateAsync_WinProbabilities_RoundTripThroughTheExport(TransferMode mode)
    {
        await using var client = Client();
        _time.Advance(TimeSpan.FromMinutes(5));
        var open = (await client.Reader.ReadAsync(new OrgQuery { Scope = OpportunityScope.Open, Mode = mode })).Opportunities;

        var results = await client.Client.UpdateAsync(
            "Opportunity",
            [.. open.Select((o, i) => new RecordUpdate(o.Id, new Dictionary<string, object?> { [WinProbability] = 0.25m + i })), new RecordUpdate(Ids[3], new Dictionary<string, object?> { ["No_Such_Field__c"] = 1 })],
            mode);
        await _org.DisposeAsync();
        var reread = DataExportReader.Read(_folder.Path).Data.Opportunities.ToDictionary(o => o.Id);

        Assert.Equal(2, open.Count);
        Assert.All(results.Take(2), r => Assert.True(r.Success, r.Message));
        Assert.False(results[2].Success);
        Assert.Equal("INVALID_FIELD", results[2].ErrorCode);
        Assert.Equal(["0.25", "1.25"], open.Select(o => reread[o.Id].Custom[WinProbability]));
        Assert.All(open, o => Assert.Equal(Now.AddMinutes(5), reread[o.Id].SystemModstamp));
        Assert.Null(reread[Ids[2]].Custom[WinProbability]);
    }

    [Fact]
    public async Task Client_SessionExpiredBetweenCalls_LogsInAgainAndCarriesOn()
    {
        await using var client = Client();
        var before = await client.Client.CountAsync("SELECT COUNT() FROM Opportunity");

        _org.ExpireTokens();
        var after = await client.Client.CountAsync("SELECT COUNT() FROM Opportunity WHERE IsClosed = false");

        Assert.Equal(4, before);
        Assert.Equal(2, after);
    }

    [Fact]
    public async Task Client_DailyApiRequests_ReportsTheOrgBudget()
    {
        await using var client = Client();

        var limit = await client.Client.GetDailyApiRequestsAsync();

        Assert.Equal(100_000, limit.Max);
        Assert.Equal(_org.ApiCallCount, limit.Used);
    }

    [Fact]
    public async Task Client_Describe_SeesTheDeployedCustomField()
    {
        await using var client = Client();

        var description = await client.Client.DescribeAsync("Opportunity");

        var field = Assert.Single(description.Fields, f => f.Name == WinProbability);
        Assert.Equal("percent", field.Type);
        Assert.True(field.Updateable);
    }

    [Fact]
    public async Task Client_JwtBearerLogin_ReadsTheOrg()
    {
        using var key = RSA.Create(2048);
        var publicKey = Path.Combine(_folder.Path, "..", Path.GetFileName(_folder.Path) + "-public.pem");
        var privateKey = Path.Combine(_folder.Path, "..", Path.GetFileName(_folder.Path) + "-private.pem");
        await File.WriteAllTextAsync(publicKey, key.ExportSubjectPublicKeyInfoPem());
        await File.WriteAllTextAsync(privateKey, key.ExportPkcs8PrivateKeyPem());
        try
        {
            await _org.DisposeAsync();
            _org = await StartOrgAsync(publicKey);
            await using var client = Client(("AuthFlow", "JwtBearer"), ("ClientSecret", null), ("Username", "ada@example.com"), ("PrivateKeyPath", privateKey));

            var count = await client.Client.CountAsync("SELECT COUNT() FROM Task");

            Assert.Equal(3, count);
        }
        finally
        {
            File.Delete(publicKey);
            File.Delete(privateKey);
        }
    }

    private static IEnumerable<Opportunity> Plain(IEnumerable<Opportunity> opportunities) =>
        opportunities.Select(o => o with { Custom = EmptyFields.Instance }).OrderBy(o => o.Id);

    private static IEnumerable<Account> Plain(IEnumerable<Account> accounts) =>
        accounts.Select(a => a with { Custom = EmptyFields.Instance }).OrderBy(a => a.Id);

    private Task<LocalOrgServer> StartOrgAsync(string? publicKeyPath = null)
    {
        var options = new LocalOrgOptions { ExportDirectory = _folder.Path, ClientId = ClientId, ClientSecret = Secret, PublicKeyPath = publicKeyPath };
        options.CustomFields.Add($"Opportunity.{WinProbability}:percent");
        return LocalOrgServer.StartAsync(options, _time, NullLoggerFactory.Instance);
    }

    private ClientScope Client(params (string Key, string? Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Salesforce:LoginUrl"] = _org.BaseUri.ToString(),
            ["Salesforce:AuthFlow"] = "ClientCredentials",
            ["Salesforce:ClientId"] = ClientId,
            ["Salesforce:ClientSecret"] = Secret,
            ["Salesforce:RetryBaseDelay"] = "00:00:00.001",
            ["Salesforce:BulkPollInitialDelay"] = "00:00:00.001",
            ["Salesforce:BulkPollMaxDelay"] = "00:00:00.010",
        };
        foreach (var (key, value) in overrides)
        {
            settings["Salesforce:" + key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ClientScope(new ServiceCollection()
            .AddLogging()
            .AddSalesforceClient(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }));
    }

    private static readonly string[] Ids = [TestIds.Long("006", 1), TestIds.Long("006", 2), TestIds.Long("006", 3), TestIds.Long("006", 4)];

    private static OrgData Sample()
    {
        var users = new[] { TestIds.Long("005", 1), TestIds.Long("005", 2) };
        var accounts = new[] { TestIds.Long("001", 1), TestIds.Long("001", 2) };
        var created = new DateTimeOffset(2024, 10, 1, 9, 30, 0, TimeSpan.Zero);
        (string Stage, bool Closed, bool Won, decimal? Amount, string Currency)[] deals =
        [
            ("Prospecting", false, false, 1200.50m, "USD"),
            ("Negotiation", false, false, null, "EUR"),
            ("Closed Won", true, true, 98000m, "USD"),
            ("Closed Lost", true, false, 15m, "USD"),
        ];
        return new OrgData
        {
            Users = [new User { Id = users[0], Name = "Ada Owner", Title = "AE" }, new User { Id = users[1], Name = "Bob Seller", IsActive = false }],
            Accounts =
            [
                new Account { Id = accounts[0], Name = "Acme, Inc.", Industry = "Technology", Type = "Customer", AnnualRevenue = 5_000_000m, NumberOfEmployees = 120, OwnerId = users[0], CreatedDate = created },
                new Account { Id = accounts[1], Name = "Globex \"GX\"", Industry = "Manufacturing", OwnerId = users[1], CreatedDate = created.AddDays(3) },
            ],
            Opportunities = [.. deals.Select((d, i) => new Opportunity
            {
                Id = Ids[i],
                Name = $"Deal {i + 1}",
                AccountId = accounts[i % 2],
                OwnerId = users[i % 2],
                StageName = d.Stage,
                Amount = d.Amount,
                CurrencyIsoCode = d.Currency,
                Probability = d.Won ? 100 : d.Closed ? 0 : 20,
                CloseDate = new DateOnly(2025, 2 + i, 10),
                Type = "New Business",
                LeadSource = i == 0 ? "Web" : null,
                ForecastCategoryName = d.Closed ? "Closed" : "Pipeline",
                IsClosed = d.Closed,
                IsWon = d.Won,
                CreatedDate = created.AddDays(i),
                LastModifiedDate = created.AddDays(i + 10),
                SystemModstamp = created.AddDays(i + 10).AddMinutes(1),
            })],
            OpportunityHistories = [.. deals.Select((d, i) => new OpportunityHistory
            {
                Id = TestIds.Long("008", i + 1),
                OpportunityId = Ids[i],
                StageName = d.Stage,
                Amount = d.Amount,
                Probability = 20,
                CloseDate = new DateOnly(2025, 2 + i, 10),
                ForecastCategory = "Pipeline",
                CreatedDate = created.AddDays(i + 1),
            })],
            Tasks =
            [
                new SfTask { Id = TestIds.Long("00T", 1), WhatId = Ids[0], AccountId = accounts[0], OwnerId = users[0], Subject = "Call, then email", Type = "Call", TaskSubtype = "Call", Status = "Completed", IsClosed = true, ActivityDate = new DateOnly(2025, 1, 5), CompletedDateTime = created.AddDays(20), CreatedDate = created.AddDays(20), SystemModstamp = created.AddDays(20) },
                new SfTask { Id = TestIds.Long("00T", 2), WhatId = accounts[0], AccountId = accounts[0], OwnerId = users[1], Subject = "Send pricing", Status = "Not Started", TaskSubtype = "Task", ActivityDate = new DateOnly(2025, 3, 5), CreatedDate = created.AddDays(21), SystemModstamp = created.AddDays(21) },
                new SfTask { Id = TestIds.Long("00T", 3), WhatId = Ids[2], AccountId = accounts[0], OwnerId = users[0], Subject = "Demo", Type = "Meeting", TaskSubtype = "Task", Status = "Completed", IsClosed = true, CreatedDate = created.AddDays(22), SystemModstamp = created.AddDays(22) },
            ],
            Events = [new SfEvent { Id = TestIds.Long("00U", 1), WhatId = Ids[1], AccountId = accounts[1], OwnerId = users[1], Subject = "On-site workshop", Type = "Meeting", EventSubtype = "Event", StartDateTime = created.AddDays(30), EndDateTime = created.AddDays(30).AddHours(2), CreatedDate = created.AddDays(25), SystemModstamp = created.AddDays(25) }],
            Stages =
            [
                new OpportunityStage { Name = "Prospecting", SortOrder = 1, DefaultProbability = 10 },
                new OpportunityStage { Name = "Negotiation", SortOrder = 2, DefaultProbability = 60 },
                new OpportunityStage { Name = "Closed Won", SortOrder = 3, DefaultProbability = 100, IsClosed = true, IsWon = true },
                new OpportunityStage { Name = "Closed Lost", SortOrder = 4, DefaultProbability = 0, IsClosed = true },
            ],
            Currencies = [new CurrencyType { IsoCode = "USD", IsCorporate = true }, new CurrencyType { IsoCode = "EUR", ConversionRate = 0.92m }],
        };
    }

    /// <summary>A client wired as the product wires it (AddSalesforceClient).</summary>
    private sealed class ClientScope(ServiceProvider services) : IAsyncDisposable
    {
        public SalesforceClient Client => services.GetRequiredService<SalesforceClient>();

        public SalesforceOrgReader Reader => services.GetRequiredService<SalesforceOrgReader>();

        public ValueTask DisposeAsync() => services.DisposeAsync();
    }
}
