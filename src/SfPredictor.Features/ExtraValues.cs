using System.Globalization;
using SfPredictor.Features.Indexing;
using SfPredictor.Features.Schema;
using SfPredictor.Records;

namespace SfPredictor.Features;

// The admin-configured extra fields of every Opportunity, read and checked once: the raw text of
// Custom becomes the block of columns the schema gives the field.
internal sealed class ExtraValues
{
    private readonly float[] _values;
    private readonly int _start;
    private readonly int _width;

    public ExtraValues(OrgIndex index, FeatureSchema schema)
    {
        var layout = schema.Layout;
        var fields = schema.Options.ExtraFields;
        _start = fields.Count == 0 ? 0 : layout.ExtraStarts[0];
        _width = fields.Count == 0 ? 0 : schema.Width - _start;
        _values = new float[index.Count * _width];
        for (var e = 0; e < fields.Count; e++)
        {
            var field = fields[e];
            var offset = layout.ExtraStarts[e] - _start;
            var columns = layout.ExtraValues[e]
                .Select((v, c) => (v, c))
                .ToDictionary(x => x.v, x => x.c, StringComparer.OrdinalIgnoreCase);
            var seen = false;
            var any = false;
            for (var i = 0; i < index.Count; i++)
            {
                var (record, custom) = Source(index, i, field.Object);
                if (record is null)
                {
                    Fill(i, offset, field, float.NaN, columns.Count);
                    continue;
                }

                any = true;
                if (!custom!.TryGetValue(field.Field, out var raw))
                {
                    Fill(i, offset, field, float.NaN, columns.Count);
                    continue;
                }

                seen = true;
                var row = _values.AsSpan((i * _width) + offset);
                switch (field.Kind)
                {
                    case ExtraFieldKind.Numeric:
                        row[0] = ParseNumber(raw, record, field);
                        break;
                    case ExtraFieldKind.Checkbox:
                        row[0] = ParseCheckbox(raw, record, field);
                        break;
                    default:
                        // Multi-select picklists separate values with ';'.
                        foreach (var value in (raw ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                        {
                            if (columns.TryGetValue(value, out var c))
                            {
                                row[c] = 1;
                            }
                        }

                        break;
                }
            }

            if (any && !seen)
            {
                throw new ArgumentException(
                    $"Extra field {FeatureLayout.ExtraSource(field)} is configured ({FeatureOptions.SectionName}:ExtraFields) " +
                    $"but no {field.Object} record has it; check the field API name and that the source reads it.");
            }
        }
    }

    public void Write(int opportunity, Span<float> row)
    {
        if (_width > 0)
        {
            _values.AsSpan(opportunity * _width, _width).CopyTo(row[_start..]);
        }
    }

    internal static (string? Record, IReadOnlyDictionary<string, string?>? Custom) Source(OrgIndex index, int i, ExtraFieldObject obj)
    {
        if (obj == ExtraFieldObject.Opportunity)
        {
            var o = index.Opportunities[i];
            return ($"Opportunity {o.Id}", o.Custom);
        }

        var a = index.Accounts.AccountOf[i];
        var account = a >= 0 ? index.Accounts.Records[a] : null;
        return account is null ? (null, null) : ($"Account {account.Id}", account.Custom);
    }

    private void Fill(int i, int offset, ExtraField field, float value, int picklistWidth)
    {
        if (field.Kind != ExtraFieldKind.Picklist)
        {
            _values[(i * _width) + offset] = value;
        }
        else
        {
            // A picklist without a value is all zeros, like a value without a column.
            _values.AsSpan((i * _width) + offset, picklistWidth).Clear();
        }
    }

    private static float ParseNumber(string? raw, string record, ExtraField field)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return float.NaN;
        }

        return double.TryParse(raw.Trim().TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? (float)value
            : throw new ArgumentException($"{record} field {field.Field}: '{raw}' is not a number (configured as Numeric).");
    }

    private static float ParseCheckbox(string? raw, string record, ExtraField field) =>
        raw?.Trim().ToUpperInvariant() switch
        {
            null or "" => float.NaN,
            "TRUE" or "1" or "YES" or "Y" => 1,
            "FALSE" or "0" or "NO" or "N" => 0,
            _ => throw new ArgumentException($"{record} field {field.Field}: '{raw}' is not a checkbox value (true/false)."),
        };
}
