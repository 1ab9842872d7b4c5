using SfPredictor.Records;

namespace SfPredictor.Features.Currency;

/// <summary>
/// Converts amounts to the corporate currency with the org's CurrencyType rates (units of a currency
/// per one unit of the corporate currency). A single-currency org (no CurrencyType rows) converts
/// nothing. Dated exchange rates are not in the record model, so the current rate applies to every date.
/// </summary>
public sealed class CurrencyConverter
{
    private readonly Dictionary<string, decimal> _rates = new(StringComparer.OrdinalIgnoreCase);
    private readonly decimal _targetRate = 1m;

    /// <summary>Builds the converter.</summary>
    /// <param name="currencies">The org's CurrencyType rows (may be empty).</param>
    /// <param name="corporateCurrency">Target ISO code; null: the row marked corporate.</param>
    /// <exception cref="ArgumentException">A rate is not positive, or the target currency has no rate.</exception>
    public CurrencyConverter(IReadOnlyList<CurrencyType> currencies, string? corporateCurrency = null)
    {
        ArgumentNullException.ThrowIfNull(currencies);
        foreach (var currency in currencies)
        {
            if (currency.ConversionRate <= 0)
            {
                throw new ArgumentException(
                    $"CurrencyType {currency.IsoCode} has ConversionRate {currency.ConversionRate}; rates must be positive.",
                    nameof(currencies));
            }

            _rates[currency.IsoCode.Trim()] = currency.ConversionRate;
        }

        var corporate = currencies.FirstOrDefault(c => c.IsCorporate)?.IsoCode.Trim();
        TargetCurrency = string.IsNullOrWhiteSpace(corporateCurrency) ? corporate : corporateCurrency.Trim().ToUpperInvariant();
        if (TargetCurrency is not null && _rates.Count > 0)
        {
            _targetRate = _rates.TryGetValue(TargetCurrency, out var rate)
                ? rate
                : throw new ArgumentException(
                    $"Corporate currency {TargetCurrency} has no CurrencyType row (known: {string.Join(", ", _rates.Keys)}).",
                    nameof(corporateCurrency));
        }
    }

    /// <summary>The currency amounts are converted to; null in a single-currency org without an override.</summary>
    public string? TargetCurrency { get; }

    /// <summary>Whether the org has more than one currency.</summary>
    public bool IsMultiCurrency => _rates.Count > 1;

    /// <summary>Converts an amount in <paramref name="isoCode"/> (null or empty: the target currency).</summary>
    /// <exception cref="KeyNotFoundException">The currency has no CurrencyType row.</exception>
    public decimal ToCorporate(decimal amount, string? isoCode)
    {
        if (string.IsNullOrWhiteSpace(isoCode) || _rates.Count == 0
            || (TargetCurrency is not null && string.Equals(isoCode.Trim(), TargetCurrency, StringComparison.OrdinalIgnoreCase)))
        {
            return amount;
        }

        return _rates.TryGetValue(isoCode.Trim(), out var rate)
            ? amount / rate * _targetRate
            : throw new KeyNotFoundException(
                $"Currency {isoCode} has no CurrencyType row (known: {string.Join(", ", _rates.Keys)}).");
    }
}
