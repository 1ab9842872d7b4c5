using SfPredictor.Records;

namespace SfPredictor.DataExport;

/// <summary>
/// Typed access to the current row of one Data Export file: binds field names to columns once, then
/// turns raw text into values, throwing <see cref="DataExportFormatException"/> that names the file,
/// line, field and value. Empty text is a null value.
/// </summary>
internal sealed class ExportRow
{
    private readonly ExportCsvReader _csv;
    private readonly StringPool _pool;
    private readonly IdPool _ids;
    private readonly bool[] _mapped;

    // Datetimes parsed for the current row, so the export's latest timestamp costs no second parse.
    private readonly long[] _parsedOnLine;
    private readonly DateTimeOffset?[] _parsed;
    private readonly List<int> _timestampColumns = [];
    private readonly int _isDeleted;
    private int[]? _customColumns;
    private int[]? _customFieldColumns;

    public ExportRow(ExportCsvReader csv, StringPool pool, IdPool ids)
    {
        _csv = csv;
        _pool = pool;
        _ids = ids;
        _mapped = new bool[csv.Header.Count];
        _parsedOnLine = new long[csv.Header.Count];
        _parsed = new DateTimeOffset?[csv.Header.Count];
        _isDeleted = csv.ColumnIndex("IsDeleted");
        if (_isDeleted >= 0)
        {
            _mapped[_isDeleted] = true;
        }

        foreach (var field in (ReadOnlySpan<string>)["CreatedDate", "LastModifiedDate", "SystemModstamp"])
        {
            var column = csv.ColumnIndex(field);
            if (column >= 0)
            {
                _timestampColumns.Add(column);
            }
        }
    }

    /// <summary>The latest CreatedDate, LastModifiedDate or SystemModstamp of the current row, if any.</summary>
    public DateTimeOffset? LatestTimestamp
    {
        get
        {
            DateTimeOffset? latest = null;
            foreach (var column in _timestampColumns)
            {
                if (DateTime(column) is { } value && (latest is null || value > latest))
                {
                    latest = value;
                }
            }

            return latest;
        }
    }

    /// <summary>Whether the row is in the recycle bin (<c>IsDeleted</c> = 1).</summary>
    public bool IsDeleted => _isDeleted >= 0 && Boolean(_isDeleted, defaultValue: false);

    /// <summary>The column of a field that maps onto a record property, or -1 when the file lacks it.</summary>
    public int Column(string field)
    {
        var column = _csv.ColumnIndex(field);
        if (column >= 0)
        {
            _mapped[column] = true;
        }

        return column;
    }

    /// <summary>The column of a field the records cannot do without.</summary>
    /// <exception cref="DataExportFormatException">The header lacks the field.</exception>
    public int RequiredColumn(string field)
    {
        var column = Column(field);
        return column >= 0
            ? column
            : throw new DataExportFormatException(_csv.FilePath, 1, field, null, "The header lacks this required column.");
    }

    /// <summary>The first of several alternative columns the file has, or -1.</summary>
    public int FirstColumn(string field, string alternative)
    {
        var column = Column(field);
        return column >= 0 ? column : Column(alternative);
    }

    public string? Text(int column)
    {
        if (column < 0)
        {
            return null;
        }

        var text = _csv[column];
        return text.Length == 0 ? null : text;
    }

    /// <summary>Text of a field with few distinct values (picklists, owner Ids): one string per distinct value.</summary>
    public string? PooledText(int column)
    {
        if (column < 0)
        {
            return null;
        }

        var text = _csv.GetSpan(column);
        return text.IsEmpty ? null : _pool.Get(text);
    }

    public string RequiredText(int column) => PooledText(column) ?? throw Missing(column);

    /// <summary>A currency code (three letters, ISO 4217), in upper case: one string per distinct code.</summary>
    public string? CurrencyCode(int column)
    {
        var text = Span(column);
        if (text.IsEmpty)
        {
            return null;
        }

        return RecordValues.TryParseCurrencyCode(text, out var code)
            ? _pool.Get(code)
            : throw Invalid(column, "is not a currency code (three letters, ISO 4217)");
    }

    public string RequiredCurrencyCode(int column) => CurrencyCode(column) ?? throw Missing(column);

    /// <summary>An Id that refers to another record (owner, parent): shared across rows.</summary>
    public string? Id(int column)
    {
        var text = Span(column);
        if (text.IsEmpty)
        {
            return null;
        }

        return _ids.TryNormalize(text, out var id) ? id : throw Invalid(column, "is not a 15- or 18-character Salesforce Id");
    }

    /// <summary>The Id <see cref="RecordId"/> last read, for the duplicate check; the reader clears it before each row.</summary>
    public string? CurrentRecordId { get; set; }

    /// <summary>The row's own Id: unique, so not worth sharing.</summary>
    public string RecordId(int column)
    {
        var text = Span(column);
        if (text.IsEmpty)
        {
            throw Missing(column);
        }

        CurrentRecordId = SalesforceId.TryNormalize(text, out var id) ? id : throw Invalid(column, "is not a 15- or 18-character Salesforce Id");
        return id;
    }

    /// <summary>An error about the current row's Id column.</summary>
    public DataExportFormatException IdProblem(string problem) =>
        new(_csv.FilePath, _csv.LineNumber, "Id", CurrentRecordId, problem);

    public string RequiredId(int column) => Id(column) ?? throw Missing(column);

    public decimal? Decimal(int column)
    {
        var text = Span(column);
        if (text.IsEmpty)
        {
            return null;
        }

        return RecordValues.TryParseDecimal(text, out var value) ? value : throw Invalid(column, "is not a number");
    }

    public decimal RequiredDecimal(int column) => Decimal(column) ?? throw Missing(column);

    public int? Int32(int column)
    {
        var text = Span(column);
        if (text.IsEmpty)
        {
            return null;
        }

        return RecordValues.TryParseInt32(text, out var value) ? value : throw Invalid(column, "is not an integer");
    }

    public bool Boolean(int column, bool defaultValue)
    {
        var text = Span(column);
        if (text.IsEmpty)
        {
            return defaultValue;
        }

        return RecordValues.TryParseBoolean(text, out var value)
            ? value
            : throw Invalid(column, "is not a boolean (1, 0, true or false)");
    }

    public bool RequiredBoolean(int column) =>
        Span(column).IsEmpty ? throw Missing(column) : Boolean(column, defaultValue: false);

    public DateOnly? Date(int column)
    {
        var text = Span(column);
        if (text.IsEmpty)
        {
            return null;
        }

        return RecordValues.TryParseDate(text, out var value) ? value : throw Invalid(column, "is not a date (YYYY-MM-DD)");
    }

    public DateOnly RequiredDate(int column) => Date(column) ?? throw Missing(column);

    public DateTimeOffset? DateTime(int column)
    {
        if (column < 0)
        {
            return null;
        }

        if (_parsedOnLine[column] == _csv.LineNumber)
        {
            return _parsed[column];
        }

        var text = _csv.GetSpan(column);
        DateTimeOffset? value = null;
        if (!text.IsEmpty)
        {
            value = RecordValues.TryParseDateTime(text, out var parsed)
                ? parsed
                : throw Invalid(column, "is not a datetime (YYYY-MM-DD HH:MM:SS or ISO 8601)");
        }

        _parsedOnLine[column] = _csv.LineNumber;
        _parsed[column] = value;
        return value;
    }

    public DateTimeOffset RequiredDateTime(int column) => DateTime(column) ?? throw Missing(column);

    /// <summary>Every column no <see cref="Column"/> call claimed, by field name; empty text is null.</summary>
    public IReadOnlyDictionary<string, string?> Custom()
    {
        _customColumns ??= Enumerable.Range(0, _mapped.Length).Where(i => !_mapped[i]).ToArray();
        if (_customColumns.Length == 0)
        {
            return EmptyFields.Instance;
        }

        var fields = new Dictionary<string, string?>(_customColumns.Length, StringComparer.OrdinalIgnoreCase);
        foreach (var column in _customColumns)
        {
            fields[_csv.Header[column]] = PooledText(column);
        }

        return fields;
    }

    /// <summary>
    /// The unmapped custom columns (<c>__c</c>) of the current row, by header name; standard columns the
    /// record model does not name (Description, ...) are left out, so activities carry no free text.
    /// </summary>
    public IReadOnlyDictionary<string, string?> CustomFieldsOnly()
    {
        _customFieldColumns ??= Enumerable.Range(0, _mapped.Length)
            .Where(i => !_mapped[i] && _csv.Header[i].EndsWith("__c", StringComparison.OrdinalIgnoreCase))
            .ToArray();
        if (_customFieldColumns.Length == 0)
        {
            return EmptyFields.Instance;
        }

        var fields = new Dictionary<string, string?>(_customFieldColumns.Length, StringComparer.OrdinalIgnoreCase);
        foreach (var column in _customFieldColumns)
        {
            fields[_csv.Header[column]] = PooledText(column);
        }

        return fields;
    }

    private ReadOnlySpan<char> Span(int column) => column < 0 ? default : _csv.GetSpan(column);

    private DataExportFormatException Missing(int column) =>
        new(_csv.FilePath, _csv.LineNumber, _csv.Header[column], string.Empty, "A value is required.");

    private DataExportFormatException Invalid(int column, string problem) =>
        new(_csv.FilePath, _csv.LineNumber, _csv.Header[column], _csv[column], $"The value {problem}.");
}
