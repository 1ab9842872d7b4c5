namespace SfPredictor.LocalOrg;

/// <summary>
/// Which year names a fiscal year that does not start in January, as Salesforce's fiscal year
/// setting "Fiscal Year is Based On" does.
/// </summary>
public enum FiscalYearBasis
{
    /// <summary>The fiscal year is named by the calendar year in which it ends (Salesforce's default).</summary>
    EndingMonth,

    /// <summary>The fiscal year is named by the calendar year in which it starts.</summary>
    StartingMonth,
}
