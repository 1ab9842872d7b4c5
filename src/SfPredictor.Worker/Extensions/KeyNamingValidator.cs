using System.Reflection;
using Microsoft.Extensions.Options;

namespace SfPredictor.Worker.Extensions;

/// <summary>
/// Wraps a generated options validator so each failure names the setting as it is configured:
/// <c>WriteBatchSize: The field ... must be between 1 and 100000.</c> becomes
/// <c>SfPredictor:Worker:WriteBatchSize: The field ... must be between 1 and 100000.</c>
/// </summary>
internal sealed class KeyNamingValidator<TOptions>(IValidateOptions<TOptions> inner, string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    private static readonly HashSet<string> Properties =
        typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var result = inner.Validate(name, options);
        return result.Failed ? ValidateOptionsResult.Fail(result.Failures.Select(Name)) : result;
    }

    private string Name(string failure)
    {
        var colon = failure.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && Properties.Contains(failure[..colon]) ? $"{section}:{failure}" : failure;
    }
}
