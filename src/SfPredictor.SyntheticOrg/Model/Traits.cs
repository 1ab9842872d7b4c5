namespace SfPredictor.SyntheticOrg.Model;

/// <summary>An industry: how often accounts are in it, its log-odds, and how much demos matter there.</summary>
internal sealed record Industry(string Name, double Weight, double LogOdds, double DemoScale);

/// <summary>An account size class: employees, typical deal size, log-odds and how long its deals take.</summary>
internal sealed record SizeClass(double Weight, int MinEmployees, int MaxEmployees, double MedianAmountUsd, double LogOdds, double CycleScale);

/// <summary>A picklist value with its share and its log-odds (null: left blank).</summary>
internal sealed record Choice(string? Value, double Weight, double LogOdds);

/// <summary>A billing country and its currency.</summary>
internal sealed record Region(string Country, string Currency, double Weight);

/// <summary>
/// The static part of a deal's log-odds (see <see cref="CausalModel"/>): what is true of the deal
/// when it is created. Every trait here is observable in the export except account fit, rep skill
/// and deal quality, which the generator draws and never writes.
/// </summary>
internal static class Traits
{
    public const double PartnerLogOdds = 0.25;
    public const double ExistingCustomerLogOdds = 0.4;
    public const double RepSkillSd = 0.45;
    public const double AccountFitSd = 0.35;
    public const double DealQualitySd = 0.7;

    public static IReadOnlyList<Industry> Industries { get; } =
    [
        new("Technology", 0.22, 0.20, 1.25),
        new("Financial Services", 0.16, 0.00, 1.0),
        new("Healthcare", 0.12, -0.10, 1.1),
        new("Manufacturing", 0.14, 0.05, 1.0),
        new("Retail", 0.12, -0.15, 0.9),
        new("Education", 0.08, -0.20, 1.0),
        new("Government", 0.06, -0.30, 0.8),
        new("Media", 0.10, 0.10, 1.1),
    ];

    public static IReadOnlyList<SizeClass> Sizes { get; } =
    [
        new(0.45, 10, 200, 8_000, 0.15, 0.7),
        new(0.35, 200, 2_000, 35_000, 0.0, 1.0),
        new(0.20, 2_000, 120_000, 180_000, -0.10, 1.5),
    ];

    public static IReadOnlyList<Choice> LeadSources { get; } =
    [
        new("Web", 0.28, 0.0),
        new("Referral", 0.12, 0.35),
        new("Partner", 0.13, 0.20),
        new("Outbound", 0.25, -0.25),
        new("Trade Show", 0.10, -0.05),
        new(null, 0.12, 0.0),
    ];

    /// <summary>Competitor__c on the Opportunity: who else the buyer is talking to.</summary>
    public static IReadOnlyList<Choice> Competitors { get; } =
    [
        new("None", 0.40, 0.0),
        new(null, 0.20, 0.0),
        new("Competitor A", 0.20, -0.35),
        new("Competitor B", 0.20, -0.15),
    ];

    public static IReadOnlyList<Region> Regions { get; } =
    [
        new("United States", "USD", 0.70),
        new("United Kingdom", "GBP", 0.10),
        new("Germany", "EUR", 0.08),
        new("France", "EUR", 0.07),
        new("Netherlands", "EUR", 0.05),
    ];

    /// <summary>Units per US dollar; USD is the corporate currency.</summary>
    public static IReadOnlyDictionary<string, decimal> ConversionRates { get; } =
        new Dictionary<string, decimal>(StringComparer.Ordinal) { ["USD"] = 1m, ["EUR"] = 0.92m, ["GBP"] = 0.79m };

    /// <summary>Big deals are harder to win: -0.3 per tenfold above about $30,000.</summary>
    public static double AmountLogOdds(double amountUsd) => -0.3 * (Math.Log10(amountUsd) - 4.5);

    /// <summary>Executives matter more the bigger the deal.</summary>
    public static double ExecutiveScale(double amountUsd) => Math.Clamp(1 + (0.35 * (Math.Log10(amountUsd) - 4.5)), 0.5, 1.6);
}
