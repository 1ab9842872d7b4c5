using System.Text;

namespace SfPredictor.Features.Activities;

/// <summary>
/// Folds text for matching: lower case, accents removed ("Reunión" → "reunion", "Präsentation" →
/// "prasentation"), "ß" as "ss". Keywords, type values and subjects are all folded the same way, so an
/// org's rules match however its people type.
/// </summary>
internal static class ActivityText
{
    /// <summary>The folded text; the same instance when it is already folded (plain lower-case ASCII).</summary>
    public static string Fold(string text, bool lowerCase = true)
    {
        if (IsFolded(text, lowerCase))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            // Combining accents (text typed in decomposed form) go.
            if (c is >= '\u0300' and <= '\u036f')
            {
                continue;
            }

            var ligature = c switch { 'ß' => "ss", 'Œ' => "OE", 'œ' => "oe", 'Æ' => "AE", 'æ' => "ae", _ => null };
            if (ligature is not null)
            {
                builder.Append(lowerCase ? ligature.ToLowerInvariant() : ligature);
                continue;
            }

            var i = c < 0x80 ? -1 : Accented.IndexOf(c, StringComparison.Ordinal);
            var plain = i >= 0 ? Unaccented[i] : c;
            builder.Append(lowerCase ? char.ToLowerInvariant(plain) : plain);
        }

        return builder.ToString();
    }

    // The builds run with invariant globalization, where string.Normalize does not decompose, so the
    // accented letters of the six vocabularies' languages (Latin-1 and Latin Extended-A) are mapped here.
    private const string Accented = "ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿĀāĂăĄąĆćČčĒēĘęĚěĞğĪīİıŁłŃńŇňŌōŐőŘřŚśŞşŠšŢţŤťŪūŮůŰűŹźŻżŽž";
    private const string Unaccented = "AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOOooooooUUUUuuuuYyyAaAaAaCcCcEeEeEeGgIiIiLlNnNnOoOoRrSsSsSsTtTtUuUuUuZzZzZz";

    private static bool IsFolded(string text, bool lowerCase)
    {
        foreach (var c in text)
        {
            if (c > 0x7f || (lowerCase && char.IsAsciiLetterUpper(c)))
            {
                return false;
            }
        }

        return true;
    }
}
