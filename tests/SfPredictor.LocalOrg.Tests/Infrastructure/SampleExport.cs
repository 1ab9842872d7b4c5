namespace SfPredictor.LocalOrg.Tests.Infrastructure;

/// <summary>
/// A small org: 2 users, 3 accounts, 6 opportunities (one deleted, one without account, one without
/// amount), 3 tasks, with a custom number and a custom text field on Opportunity.
/// </summary>
internal static class SampleExport
{
    public static readonly string Ada = TestIds.Long("005", 1);
    public static readonly string Bob = TestIds.Long("005", 2);
    public static readonly string Acme = TestIds.Long("001", 1);
    public static readonly string Globex = TestIds.Long("001", 2);
    public static readonly string Initech = TestIds.Long("001", 3);
    public static readonly string AcmeExpansion = TestIds.Long("006", 1);
    public static readonly string AcmeRenewal = TestIds.Long("006", 2);
    public static readonly string GlobexPilot = TestIds.Long("006", 3);
    public static readonly string InitechDeal = TestIds.Long("006", 4);
    public static readonly string Orphan = TestIds.Long("006", 5);
    public static readonly string Deleted = TestIds.Long("006", 6);

    public static readonly string[] OpportunityHeader =
    [
        "Id", "Name", "AccountId", "OwnerId", "StageName", "Amount", "Probability", "CloseDate", "IsClosed", "IsWon",
        "IsDeleted", "CreatedDate", "LastModifiedDate", "SystemModstamp", "Score__c", "Notes__c",
    ];

    public static void Write(ExportFolder folder)
    {
        folder.Write("User", ["Id", "Name", "Username", "IsActive"], [
            [Ada, "Ada Owner", "ada@example.com", "1"],
            [Bob, "Bob Seller", "bob@example.com", "1"],
        ]);
        folder.Write("Account", ["Id", "Name", "Industry", "Type", "AnnualRevenue", "OwnerId", "CreatedDate"], [
            [Acme, "Acme", "Technology", "Customer", "5000000", Ada, "2023-01-10 09:00:00"],
            [Globex, "Globex", "Manufacturing", "Prospect", "120000", Bob, "2023-02-11 10:00:00"],
            [Initech, "Initech", null, "Prospect", null, Ada, "2023-03-12 11:00:00"],
        ]);
        folder.Write("Opportunity", OpportunityHeader, [
            [AcmeExpansion, "Acme Expansion", Acme, Ada, "Prospecting", "1500", "10", "2025-04-15", "0", "0", "0", "2025-01-05 10:00:00", "2025-01-05 10:00:00", "2025-01-05 10:00:00", "0.42", "Big, \"quoted\" deal"],
            [AcmeRenewal, "Acme Renewal", Acme, Bob, "Negotiation/Review", "250000", "80", "2025-03-20", "0", "0", "0", "2025-01-06 10:00:00", "2025-02-10 08:30:00", "2025-02-10 08:30:00", "0.77", null],
            [GlobexPilot, "Globex Pilot", Globex, Bob, "Closed Won", "900", "100", "2024-12-01", "1", "1", "0", "2024-10-01 10:00:00", "2024-12-01 17:45:00", "2024-12-01 17:45:00", null, "Won it"],
            [InitechDeal, "Initech Deal", Initech, Ada, "Closed Lost", null, "0", "2024-11-15", "1", "0", "0", "2024-09-01 10:00:00", "2024-11-16 00:00:00", "2024-11-16 00:00:00", "0.05", null],
            [Orphan, "Orphan Opportunity", null, Ada, "Qualification", "50", "20", "2025-06-30", "0", "0", "0", "2025-02-01 10:00:00", "2025-02-28 23:59:59", "2025-02-28 23:59:59", "0.3", null],
            [Deleted, "Deleted Opportunity", Globex, Ada, "Prospecting", "10", "10", "2025-05-01", "0", "0", "1", "2025-02-02 10:00:00", "2025-02-02 10:00:00", "2025-02-02 10:00:00", null, null],
        ]);
        folder.Write("Task", ["Id", "WhatId", "OwnerId", "Subject", "Status", "ActivityDate", "IsClosed", "CreatedDate", "SystemModstamp"], [
            [TestIds.Long("00T", 1), AcmeExpansion, Ada, "Call about pricing", "Completed", "2025-01-20", "1", "2025-01-20 15:00:00", "2025-01-20 15:00:00"],
            [TestIds.Long("00T", 2), Acme, Ada, "Email follow-up", "Not Started", "2025-03-05", "0", "2025-02-20 15:00:00", "2025-02-20 15:00:00"],
            [TestIds.Long("00T", 3), AcmeRenewal, Bob, "Demo", "Completed", "2025-02-10", "1", "2025-02-09 15:00:00", "2025-02-10 15:00:00"],
        ]);
    }
}
