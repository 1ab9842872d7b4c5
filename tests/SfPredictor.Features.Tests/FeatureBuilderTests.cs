using SfPredictor.Records;

namespace SfPredictor.Features.Tests;

public class FeatureBuilderTests
{
    // The in-stage activity counts are off by default; these tests check them too.
    private static readonly FeatureOptions AllCategories = new() { MinCategoryCount = 1, StageActivityFeatures = true };

    // Deal X of Account A (owner U1) moves Qualify -> Discover (10) -> Prove (20) -> Discover (25) -> Prove (30).
    private sealed class Pipeline
    {
        public Pipeline()
        {
            Org = new OrgBuilder().WithCustomStages();
            A = Org.Account("Banking", employees: 500, revenue: 1_000_000);
            B = Org.Account("Retail");
            X = Org.Opportunity(0, "Qualify", A, "005000000000001", amount: 1000, closeDay: 60, type: "New Business", leadSource: "Web");
            Org.History(X, 10, "Discover");
            Org.History(X, 20, "Prove", closeDay: 70);
            Org.History(X, 25, "Discover");
            Org.History(X, 30, "Prove", amount: 2000, closeDay: 90);

            Y = Org.Opportunity(0, "Qualify", A, "005000000000002");
            Org.Close(Y, 20, "Signed", won: true);
            Z = Org.Opportunity(0, "Qualify", B, "005000000000001");
            Org.Close(Z, 25, "Dropped", won: false);
            W = Org.Opportunity(0, "Qualify", A, "005000000000001");
            Org.Close(W, 40, "Signed", won: true);
            V = Org.Opportunity(0, "Dropped", A, "005000000000001", closeDay: 10, history: false);
            Org.Close(V, 10, "Dropped", won: false, history: false);

            Org.Task(5, X, "Call", completed: 5);
            Org.Task(12, X, "Email", activityDate: 11);
            Org.Event(8, 15, X, subject: "Product demo");
            Org.Event(1, 3, A, type: "Meeting", subject: "Intro");
            Org.Task(6, Y, "Call", completed: 6);
            var proposal = Org.Task(26, null, subject: "Send proposal", completed: 26);
            Org.Relations.Add(new ActivityRelation(proposal, X));
            Org.Task(30.25, X, "Call", completed: 30.25);
            Org.Task(20, X, "Other", subject: "Prepare pricing", closed: false, activityDate: 22);
            Org.Task(14, X, "Email", subject: "Send contract", activityDate: 40);
            Org.Event(28, 35, X, subject: "Steering meeting");
            Org.Task(31, X, "Call", completed: 29);
        }

        public OrgBuilder Org { get; }
        public string A { get; }
        public string B { get; }
        public string X { get; }
        public string Y { get; }
        public string Z { get; }
        public string W { get; }
        public string V { get; }
    }

    [Fact]
    public void Build_StageAndDeal_ComeFromHistoryAtT()
    {
        var p = new Pipeline();
        var rows = new Rows(p.Org.Build(), AllCategories);
        var row = rows.At(p.X, OrgBuilder.Day(30.5));

        Assert.Equal(2f, rows.Value(row, "stage_position"));
        Assert.Equal(0.5f, rows.Value(row, "stage_probability"));
        Assert.Equal(0.5f, rows.Value(row, "days_in_stage"), 4);
        Assert.Equal(4f, rows.Value(row, "stage_changes"));
        Assert.Equal(1f, rows.Value(row, "stage_backward_moves"));
        Assert.Equal(2f, rows.Value(row, "close_date_pushes"));
        Assert.Equal(30f, rows.Value(row, "close_date_push_days"), 3);
        Assert.Equal(2000f, rows.Value(row, "amount"));
        Assert.Equal(30.5f, rows.Value(row, "age_days"), 4);
        Assert.Equal(60.5f, rows.Value(row, "days_to_close"), 3);

        // Day 22: in Prove since day 20, after one change of close date.
        var earlier = rows.At(p.X, OrgBuilder.Day(22));
        Assert.Equal(2f, rows.Value(earlier, "stage_position"));
        Assert.Equal(2f, rows.Value(earlier, "days_in_stage"), 4);
        Assert.Equal(2f, rows.Value(earlier, "stage_changes"));
        Assert.Equal(0f, rows.Value(earlier, "stage_backward_moves"));
        Assert.Equal(1f, rows.Value(earlier, "close_date_pushes"));
        Assert.Equal(1000f, rows.Value(earlier, "amount"));
        Assert.Equal(49f, rows.Value(earlier, "days_to_close"), 3);
    }

    [Fact]
    public void Build_BeforeTheFirstHistoryRow_UsesItsStageFromCreation()
    {
        var org = new OrgBuilder().WithCustomStages();
        var o = org.Opportunity(0, "Discover", history: false);
        org.History(o, 5, "Discover");
        org.History(o, 9, "Prove");
        var rows = new Rows(org.Build());

        Assert.Equal(1f, rows.At(o, 2, "stage_position"));
        Assert.Equal(2f, rows.At(o, 2, "days_in_stage"), 4);
        Assert.Equal(0f, rows.At(o, 2, "stage_changes"));
        Assert.Equal(7f, rows.At(o, 7, "days_in_stage"), 4);
        Assert.Equal(2f, rows.At(o, 10, "stage_position"));
    }

    [Fact]
    public void Build_ClosedOpportunityWithoutHistory_HidesItsOutcomeBeforeTheClose()
    {
        var org = new OrgBuilder().WithCustomStages();
        var o = org.Opportunity(0, "Signed", closeDay: 20, history: false);
        org.Close(o, 20, "Signed", won: true, history: false);
        var rows = new Rows(org.Build());

        Assert.True(float.IsNaN(rows.At(o, 10, "stage_position")));
        Assert.True(float.IsNaN(rows.At(o, 10, "stage_probability")));
        Assert.True(float.IsNaN(rows.At(o, 10, "days_to_close")));
        Assert.Equal(4f, rows.At(o, 21, "stage_position"));
    }

    [Fact]
    public void Build_Activities_CountPerKindWindowAndStage()
    {
        var p = new Pipeline();
        var rows = new Rows(p.Org.Build(), AllCategories);
        var row = rows.At(p.X, OrgBuilder.Day(30.5));

        Assert.Equal(2f, rows.Value(row, "activity_call_count_30d"));
        Assert.Equal(1f, rows.Value(row, "activity_call_count_7d"));
        Assert.Equal(2f, rows.Value(row, "activity_call_count_total"));
        Assert.Equal(1f, rows.Value(row, "activity_call_count_in_stage"));
        Assert.Equal(0.25f, rows.Value(row, "activity_call_days_since"), 4);
        Assert.Equal(1f, rows.Value(row, "activity_email_count_30d"));
        Assert.Equal(1f, rows.Value(row, "activity_demo_count_30d"));
        Assert.Equal(15.5f, rows.Value(row, "activity_demo_days_since"), 4);
        Assert.Equal(1f, rows.Value(row, "activity_proposal_count_7d"));
        Assert.Equal(1f, rows.Value(row, "activity_meeting_count_30d"));
        Assert.Equal(0f, rows.Value(row, "activity_executive_meeting_count_90d"));
        Assert.True(float.IsNaN(rows.Value(row, "activity_executive_meeting_days_since")));
        Assert.Equal(6f, rows.Value(row, "activity_any_count_30d"));
        Assert.Equal(2f, rows.Value(row, "activity_any_count_7d"));
        Assert.Equal(1f, rows.Value(row, "activity_any_count_in_stage"));
        Assert.Equal(0.25f, rows.Value(row, "activity_any_days_since"), 4);
    }

    [Fact]
    public void Build_AccountLevelActivity_CountsForTheOpportunityButAnotherOpportunitysDoesNot()
    {
        var p = new Pipeline();
        var rows = new Rows(p.Org.Build(), AllCategories);

        Assert.Equal(1f, rows.At(p.X, 4, "activity_meeting_count_7d"));
        Assert.Equal(1f, rows.At(p.X, 4, "activity_any_count_7d"));
        Assert.Equal(1f, rows.At(p.W, 4, "activity_meeting_count_7d"));
        Assert.Equal(0f, rows.At(p.Z, 4, "activity_meeting_count_7d"));
        Assert.Equal(1f, rows.At(p.X, 7, "activity_call_count_7d"));
        Assert.Equal(2f, rows.At(p.Y, 7, "activity_any_count_7d"));
    }

    [Fact]
    public void Build_Activity_CountsOnlyOnceLoggedAndHappened()
    {
        var p = new Pipeline();
        var rows = new Rows(p.Org.Build(), AllCategories);

        // The Email of day 11 was logged on day 12; the Call of day 29 was logged on day 31.
        Assert.Equal(0f, rows.At(p.X, 11.9, "activity_email_count_30d"));
        Assert.Equal(1f, rows.At(p.X, 12, "activity_email_count_30d"));
        Assert.Equal(2f, rows.At(p.X, 30.9, "activity_call_count_30d"));
        Assert.Equal(3f, rows.At(p.X, 31, "activity_call_count_30d"));
        Assert.Equal(1f, rows.At(p.X, 31, "activity_call_count_in_stage"));

        // The Demo event was logged on day 8 for day 15.
        Assert.Equal(0f, rows.At(p.X, 14, "activity_demo_count_30d"));
        Assert.Equal(1f, rows.At(p.X, 14, "upcoming_events"));
        Assert.Equal(1f, rows.At(p.X, 15, "activity_demo_count_30d"));
    }

    [Fact]
    public void Build_OpenItems_CountOpenOverdueAndFutureDatedTasks()
    {
        var p = new Pipeline();
        var rows = new Rows(p.Org.Build(), AllCategories);
        var row = rows.At(p.X, OrgBuilder.Day(30.5));

        // Open: the pricing task (due day 22, overdue) and the contract email dated day 40 (not done yet).
        Assert.Equal(2f, rows.Value(row, "open_tasks"));
        Assert.Equal(1f, rows.Value(row, "overdue_tasks"));
        Assert.Equal(1f, rows.Value(row, "upcoming_events"));
        Assert.Equal(1f, rows.Value(row, "activity_email_count_90d"));
        Assert.Equal(2f, rows.At(p.X, 21, "open_tasks"));
        Assert.Equal(0f, rows.At(p.X, 21, "overdue_tasks"));
        Assert.Equal(2f, rows.At(p.X, 41, "activity_email_count_90d"));
    }

    [Fact]
    public void Build_PastWinRates_UseOnlyOutcomesClosedByT()
    {
        var p = new Pipeline();
        var rows = new Rows(p.Org.Build(), AllCategories);
        var row = rows.At(p.X, OrgBuilder.Day(30.5));

        // Account A: Y won (day 20), V lost (end of day 10); W closes on day 40.
        Assert.Equal(2f, rows.Value(row, "account_past_deals"));
        Assert.Equal(1f, rows.Value(row, "account_past_wins"));
        Assert.Equal(0.5f, rows.Value(row, "account_win_rate"));
        // Owner U1: Z lost (day 25), V lost.
        Assert.Equal(2f, rows.Value(row, "owner_past_deals"));
        Assert.Equal(0f, rows.Value(row, "owner_past_wins"));
        Assert.Equal(0.25f, rows.Value(row, "owner_win_rate"));

        Assert.Equal(0f, rows.At(p.X, 10.9, "account_past_deals"));
        Assert.Equal(1f, rows.At(p.X, 11, "account_past_deals"));
        Assert.Equal(0f, rows.At(p.X, 11, "account_past_wins"));
        Assert.Equal(3f, rows.At(p.X, 40, "account_past_deals"));
        Assert.Equal(0.6f, rows.At(p.X, 40, "account_win_rate"), 5);
    }

    [Fact]
    public void Build_ClosedOpportunityAfterItsClose_LeavesItsOwnOutcomeOut()
    {
        var p = new Pipeline();
        var rows = new Rows(p.Org.Build(), AllCategories);

        // W itself closed on day 40; Y and V are the Account's other outcomes.
        Assert.Equal(2f, rows.At(p.W, 45, "account_past_deals"));
        Assert.Equal(1f, rows.At(p.W, 45, "account_past_wins"));
    }

    [Fact]
    public void Build_AccountAndCategories_AreOneHotAndLogScaled()
    {
        var p = new Pipeline();
        var rows = new Rows(p.Org.Build(), AllCategories);
        var row = rows.At(p.X, OrgBuilder.Day(30.5));

        Assert.Equal((float)Math.Log(501), rows.Value(row, "account_log_employees"), 4);
        Assert.Equal((float)Math.Log(1_000_001), rows.Value(row, "account_log_revenue"), 4);
        Assert.Equal(1f, rows.Value(row, "industry=Banking"));
        Assert.Equal(0f, rows.Value(row, "industry=Retail"));
        Assert.Equal(1f, rows.Value(row, "type=New Business"));
        Assert.Equal(1f, rows.Value(row, "lead_source=Web"));
        Assert.Equal(0f, rows.At(p.Y, 10, "type=New Business"));
        Assert.True(float.IsNaN(rows.At(p.Z, 10, "account_log_employees")));
    }

    [Fact]
    public void Create_Vocabulary_KeepsFrequentValuesOnly()
    {
        var org = new OrgBuilder().WithCustomStages();
        for (var i = 0; i < 6; i++)
        {
            org.Opportunity(0, "Qualify", leadSource: "Web");
        }

        for (var i = 0; i < 5; i++)
        {
            org.Opportunity(0, "Qualify", leadSource: "Partner");
        }

        var rare = org.Opportunity(0, "Qualify", leadSource: "Trade Show");
        var rows = new Rows(org.Build());
        var names = rows.Builder.Schema.Names;

        Assert.Equal(["lead_source=Web", "lead_source=Partner"], names.Where(n => n.StartsWith("lead_source=", StringComparison.Ordinal)));
        Assert.DoesNotContain(names, n => n.StartsWith("type=", StringComparison.Ordinal));
        var row = rows.At(rare, OrgBuilder.Day(1));
        Assert.Equal(0f, rows.Value(row, "lead_source=Web"));
        Assert.Equal(0f, rows.Value(row, "lead_source=Partner"));
    }

    [Fact]
    public void Build_UnknownOpportunityOrWrongRowLength_Throws()
    {
        var p = new Pipeline();
        var rows = new Rows(p.Org.Build());

        Assert.Throws<KeyNotFoundException>(() => rows.Builder.Build("006999999999999AAA", OrgBuilder.Day(1), new float[rows.Builder.Width]));
        Assert.Throws<ArgumentException>(() => rows.Builder.Build(p.X, OrgBuilder.Day(1), new float[3]));
    }

    [Fact]
    public void Build_FifteenCharacterId_FindsTheOpportunity()
    {
        var p = new Pipeline();
        var rows = new Rows(p.Org.Build());

        Assert.Equal(rows.At(p.X, OrgBuilder.Day(30)), rows.At(p.X[..15], OrgBuilder.Day(30)));
    }
}
