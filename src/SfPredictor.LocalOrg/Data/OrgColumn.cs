using SfPredictor.Records;

namespace SfPredictor.LocalOrg.Data;

/// <summary>
/// One field of a table: its texts by row (see <see cref="ColumnCells"/>) and its type, inferred once
/// from the name and the values.
/// </summary>
internal sealed class OrgColumn
{
    // Longer values than this are long text, as Salesforce's Text fields stop at 255.
    private const int MaxStringLength = 255;

    private readonly ColumnCells _cells;
    private readonly FieldType? _declaredType;
    private readonly CustomFieldSpec? _declared;
    private readonly Lazy<FieldType> _type;

    public OrgColumn(string name, ColumnCells cells, FieldType? declaredType = null, CustomFieldSpec? declared = null)
    {
        Name = name;
        _cells = cells;
        _declaredType = declared?.Type ?? declaredType;
        _declared = declared;
        _type = new Lazy<FieldType>(Infer, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The field API name as the header writes it.</summary>
    public string Name { get; }

    public bool IsCustom => Name.EndsWith("__c", StringComparison.OrdinalIgnoreCase);

    public FieldType Type => _type.Value;

    /// <summary>The text of a row; null when empty (Data Export writes null and empty alike).</summary>
    public string? this[int row] => _cells.GetString(row);

    /// <summary>The text of a row without allocating; empty for null.</summary>
    public ReadOnlySpan<char> GetSpan(int row) => _cells.GetSpan(row);

    /// <summary>Replaces a row's text. Call under the store's write lock.</summary>
    public void Set(int row, string? text) => _cells.Set(row, text);

    /// <summary>Adds an empty row. Call under the store's write lock.</summary>
    public void AppendNull() => _cells.Append([]);

    /// <summary>The same values under another declared type (a configured custom field).</summary>
    public OrgColumn WithDeclaredType(CustomFieldSpec spec) => new(Name, _cells, declared: spec);

    /// <summary>What describe says of the field on a table: the catalog's standard field, the configured size, or a size by type.</summary>
    public FieldSpec SpecOn(OrgTable table)
    {
        if (StandardObjects.Find(table.Name, Name) is { } standard && standard.Type == Type)
        {
            return standard;
        }

        var updateable = IsCustom ? Type != FieldType.Id : StandardFields.IsUpdateable(table.Name, Name) && Type != FieldType.Id;
        return _declared is { } d && d.Type == Type
            ? FieldSpec.ForType(Name, Type, updateable, d.Length, d.Number)
            : FieldSpec.ForType(Name, Type, updateable);
    }

    /// <summary>The distinct non-null values, for picklists and lookups; stops after <paramref name="limit"/>.</summary>
    public IReadOnlyList<string> DistinctValues(int limit)
    {
        if (_cells.IsPooled)
        {
            return [.. _cells.Distinct.Take(limit)];
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lookup = seen.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var row = 0; row < _cells.Count && seen.Count < limit; row++)
        {
            var text = _cells.GetSpan(row);
            if (!text.IsEmpty && !lookup.Contains(text))
            {
                seen.Add(text.ToString());
            }
        }

        return [.. seen];
    }

    private FieldType Infer()
    {
        if (Name.Equals("Id", StringComparison.OrdinalIgnoreCase))
        {
            return FieldType.Id;
        }

        // A declared or well-known type wins only when every value fits it; otherwise the values decide,
        // so that a comparison never meets a value of another type.
        if (_declaredType is { } declared && AllValid(declared))
        {
            return declared;
        }

        if (StandardFields.TryGetType(Name, out var standard) && AllValid(standard))
        {
            return standard;
        }

        return InferFromValues();
    }

    private int SampleCount => _cells.IsPooled ? _cells.Distinct.Count : _cells.Count;

    // Pooled columns are judged by their distinct values; the others row by row.
    private ReadOnlySpan<char> Sample(int i) => _cells.IsPooled ? _cells.Distinct[i] : _cells.GetSpan(i);

    private bool AllValid(FieldType type)
    {
        for (var i = 0; i < SampleCount; i++)
        {
            var value = Sample(i);
            if (!value.IsEmpty && FieldTypes.ToComparable(type, value) is null)
            {
                return false;
            }
        }

        return true;
    }

    private FieldType InferFromValues()
    {
        bool any = false, ids = true, booleans = true, bits = true, dates = true, dateTimes = true, numbers = true, integers = true;
        var longText = false;
        for (var i = 0; i < SampleCount; i++)
        {
            var value = Sample(i);
            if (value.IsEmpty)
            {
                continue;
            }

            any = true;
            ids = ids && SalesforceId.TryNormalize(value, out _);
            bits = bits && value is "0" or "1";
            booleans = booleans && (bits || value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase));
            dates = dates && value.Length == 10 && RecordValues.TryParseDate(value, out _);
            dateTimes = dateTimes && value.Length > 10 && RecordValues.TryParseDateTime(value, out _);
            numbers = numbers && RecordValues.TryParseDecimal(value, out _);
            integers = integers && numbers && RecordValues.TryParseInt32(value, out _);
            longText = longText || value.Length > MaxStringLength || value.Contains('\n');
        }

        var looksBoolean = Name.StartsWith("Is", StringComparison.Ordinal) || Name.StartsWith("Has", StringComparison.Ordinal);
        return any switch
        {
            false when looksBoolean => FieldType.Boolean,
            false => FieldType.String,
            _ when ids && Name.EndsWith("Id", StringComparison.Ordinal) => FieldType.Reference,

            // Data Export writes checkboxes as 1/0; a custom field holding only those is a checkbox, not a number.
            _ when booleans && (!bits || looksBoolean || IsCustom) => FieldType.Boolean,
            _ when dateTimes => FieldType.DateTime,
            _ when dates => FieldType.Date,
            _ when numbers => NumberType(integers),
            _ when longText => FieldType.TextArea,
            _ => FieldType.String,
        };
    }

    private FieldType NumberType(bool integers)
    {
        if (Name.Contains("Amount", StringComparison.OrdinalIgnoreCase) || Name.Contains("Revenue", StringComparison.OrdinalIgnoreCase))
        {
            return FieldType.Currency;
        }

        if (Name.Contains("Probability", StringComparison.OrdinalIgnoreCase) || Name.Contains("Percent", StringComparison.OrdinalIgnoreCase))
        {
            return FieldType.Percent;
        }

        return integers && !IsCustom ? FieldType.Int : FieldType.Double;
    }
}
