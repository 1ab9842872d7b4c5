using System.Text;

namespace SfPredictor.Features;

internal static class FeatureNames
{
    // "Executive Meeting" -> "executive_meeting": feature names stay plain ASCII identifiers.
    public static string Slug(string? name)
    {
        if (name is null)
        {
            return "";
        }

        var builder = new StringBuilder(name.Length);
        foreach (var c in name.Trim())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (builder.Length > 0 && builder[^1] != '_')
            {
                builder.Append('_');
            }
        }

        return builder.ToString().TrimEnd('_');
    }
}
