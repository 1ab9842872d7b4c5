using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace SfPredictor.DataExport;

/// <summary>
/// Streams one CSV file of a Data Export: the header, then one row at a time as raw text fields.
/// Quoted fields may hold commas, doubled quotes and line breaks; rows end with LF, CRLF or CR;
/// blank lines are skipped. The encoding is detected: a UTF-8, UTF-16 BOM decides; without one the
/// text is read as UTF-8 and, if it turns out not to be UTF-8 before any non-ASCII UTF-8 was seen,
/// as Windows-1252 (what Data Export writes by default). Only the current row is held in memory.
/// </summary>
public sealed class ExportCsvReader : IDisposable
{
    private const int ByteBufferSize = 64 * 1024;
    private const int CharBufferSize = 64 * 1024;
    private const int Windows1252 = 1252;

    private static readonly SearchValues<char> UnquotedStops = SearchValues.Create(",\r\n");
    private static readonly SearchValues<char> QuotedStops = SearchValues.Create("\"\n");

    private readonly Stream _stream;
    private readonly ExportCsvLimits _limits;
    private readonly Dictionary<string, int> _columns = new(StringComparer.OrdinalIgnoreCase);

    private readonly byte[] _bytes = new byte[ByteBufferSize];
    private int _byteStart;
    private int _byteEnd;
    private bool _bytesExhausted;

    // Null while sniffing UTF-8 without a BOM; set once the encoding is decided otherwise.
    private Decoder? _decoder;
    private bool _utf8Certain;
    // Set once bytes cannot be decoded; the reader cannot go past them.
    private string? _decodeProblem;

    private readonly char[] _chars = new char[CharBufferSize];
    private int _charPos;
    private int _charLen;
    private long _physicalLine = 1;

    private char[] _row = new char[1024];
    private int _rowLength;
    private int[] _fieldEnds = new int[64];
    private int _fieldCount;
    private string?[] _fieldStrings = new string?[64];
    private string? _rowProblem;
    private int _rowProblemColumn = -1;

    // Set once the current row passed a size limit: the rest of it is read but no longer kept.
    private bool _overLimit;
    private bool _disposed;

    private ExportCsvReader(Stream stream, string displayName, ExportCsvLimits? limits)
    {
        _stream = stream;
        _limits = limits ?? ExportCsvLimits.Default;
        FilePath = displayName;
        DetectBom();
        if (!ReadRow())
        {
            throw new DataExportFormatException(displayName, 0, null, null, "The file is empty; expected a header row of field API names.");
        }

        if (_rowProblem is not null)
        {
            throw new DataExportFormatException(displayName, LineNumber, ProblemField, null, _rowProblem);
        }

        var header = new string[_fieldCount];
        for (var i = 0; i < _fieldCount; i++)
        {
            header[i] = GetSpan(i).Trim().ToString();
            if (header[i].Length == 0)
            {
                throw new DataExportFormatException(displayName, 1, null, null, $"Header column {i + 1} is empty.");
            }

            if (!_columns.TryAdd(header[i], i))
            {
                throw new DataExportFormatException(displayName, 1, header[i], null, "The header names this field twice.");
            }
        }

        Header = header;
        _fieldCount = 0;
        LineNumber = 0;
    }

    /// <summary>The file path or display name, for messages.</summary>
    public string FilePath { get; }

    /// <summary>The header: field API names, as written.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>Number of fields of the current row (equal to the header's after a successful <see cref="Read"/>).</summary>
    public int FieldCount => _fieldCount;

    /// <summary>1-based line where the current row starts (the header is line 1).</summary>
    public long LineNumber { get; private set; }

    /// <summary>Raw text of a field of the current row; <c>""</c> when empty.</summary>
    public string this[int column] => _fieldStrings[CheckColumn(column)] ??= GetSpan(column).ToString();

    // After undecodable bytes nothing further can be read; a caller that skips bad rows must stop.
    internal bool IsBroken => _decodeProblem is not null;

    /// <summary>Opens a file.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="limits">The largest field and row kept; <see cref="ExportCsvLimits.Default"/> when null.</param>
    /// <exception cref="DataExportFormatException">The file is empty or its header is malformed.</exception>
    public static ExportCsvReader Open(string path, ExportCsvLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        try
        {
            return new ExportCsvReader(stream, path, limits);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads a stream; the reader owns it and disposes it.</summary>
    /// <param name="stream">The CSV bytes.</param>
    /// <param name="displayName">Names the source in error messages (usually a file name).</param>
    /// <param name="limits">The largest field and row kept; <see cref="ExportCsvLimits.Default"/> when null.</param>
    /// <exception cref="DataExportFormatException">The stream is empty or its header is malformed.</exception>
    public static ExportCsvReader Open(Stream stream, string displayName, ExportCsvLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(displayName);
        try
        {
            return new ExportCsvReader(stream, displayName, limits);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Index of a field in the header (case-insensitive), or -1 when the file has no such column.</summary>
    public int ColumnIndex(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return _columns.TryGetValue(field, out var index) ? index : -1;
    }

    /// <summary>Raw text of a field of the current row, without allocating.</summary>
    public ReadOnlySpan<char> GetSpan(int column)
    {
        CheckColumn(column);
        var start = column == 0 ? 0 : _fieldEnds[column - 1];
        return _row.AsSpan(start, _fieldEnds[column] - start);
    }

    /// <summary>Moves to the next row.</summary>
    /// <returns><c>false</c> at the end of the file.</returns>
    /// <exception cref="DataExportFormatException">
    /// The row is malformed (field count differs from the header, unclosed quote, text after a closing
    /// quote, undecodable bytes). The row has been consumed: the next call reads the row after it.
    /// </exception>
    public bool Read()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!ReadRow())
        {
            _fieldCount = 0;
            return false;
        }

        if (_rowProblem is not null)
        {
            var field = ProblemField;
            _fieldCount = 0;
            throw new DataExportFormatException(FilePath, LineNumber, field, null, _rowProblem);
        }

        if (_fieldCount != Header.Count)
        {
            var count = _fieldCount;
            _fieldCount = 0;
            throw new DataExportFormatException(
                FilePath, LineNumber, null, null, $"The row has {count} fields but the header has {Header.Count}.");
        }

        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _stream.Dispose();
        }
    }

    // The field a size problem is about, by header name once the header is known.
    private string? ProblemField =>
        _rowProblemColumn < 0 ? null
        : Header is not null && _rowProblemColumn < Header.Count ? Header[_rowProblemColumn]
        : $"column {_rowProblemColumn + 1}";

    private int CheckColumn(int column)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, _fieldCount);
        return column;
    }

    // Reads one record into _row/_fieldEnds. Problems are recorded in _rowProblem rather than thrown so
    // that the record is always consumed whole and a caller that skips bad rows stays in step.
    private bool ReadRow()
    {
        _rowProblem = null;
        _rowProblemColumn = -1;
        _overLimit = false;
        _rowLength = 0;
        _fieldCount = 0;
        if (!SkipBlankLines())
        {
            return false;
        }

        LineNumber = _physicalLine;
        Array.Clear(_fieldStrings);
        while (true)
        {
            if (!EnsureChars())
            {
                // The file ends right after a comma: the last field is empty.
                EndField();
                return true;
            }

            var afterQuote = false;
            if (_chars[_charPos] == '"')
            {
                _charPos++;
                if (!ReadQuotedField())
                {
                    EndField();
                    return true;
                }

                afterQuote = true;
            }

            while (true)
            {
                if (!EnsureChars())
                {
                    EndField();
                    return true;
                }

                var available = _chars.AsSpan(_charPos, _charLen - _charPos);
                var stop = available.IndexOfAny(UnquotedStops);
                var text = stop < 0 ? available : available[..stop];
                if (afterQuote && !text.IsEmpty)
                {
                    _rowProblem ??= $"Text follows the closing quote of field {_fieldCount + 1}; quotes inside a quoted field must be doubled.";
                }

                Append(text);
                if (stop < 0)
                {
                    _charPos = _charLen;
                    continue;
                }

                _charPos += stop + 1;
                EndField();
                var delimiter = available[stop];
                if (delimiter == ',')
                {
                    break;
                }

                _physicalLine++;
                if (delimiter == '\r')
                {
                    SkipLineFeed();
                }

                return true;
            }
        }
    }

    // Reads after an opening quote up to and including the closing one. False when the file ends first.
    private bool ReadQuotedField()
    {
        while (true)
        {
            if (!EnsureChars())
            {
                _rowProblem ??= $"A quoted field opened on line {LineNumber} is not closed before the end of the file.";
                return false;
            }

            var available = _chars.AsSpan(_charPos, _charLen - _charPos);
            var stop = available.IndexOfAny(QuotedStops);
            if (stop < 0)
            {
                Append(available);
                _charPos = _charLen;
                continue;
            }

            Append(available[..stop]);
            _charPos += stop + 1;
            if (available[stop] == '\n')
            {
                Append("\n");
                _physicalLine++;
                continue;
            }

            // A quote: doubled means a literal quote, single means the field ends.
            if (!EnsureChars())
            {
                return true;
            }

            if (_chars[_charPos] != '"')
            {
                return true;
            }

            Append("\"");
            _charPos++;
        }
    }

    private bool SkipBlankLines()
    {
        while (EnsureChars())
        {
            var c = _chars[_charPos];
            if (c == '\n')
            {
                _charPos++;
                _physicalLine++;
            }
            else if (c == '\r')
            {
                _charPos++;
                _physicalLine++;
                SkipLineFeed();
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    private void SkipLineFeed()
    {
        if (EnsureChars() && _chars[_charPos] == '\n')
        {
            _charPos++;
        }
    }

    private void Append(ReadOnlySpan<char> text)
    {
        if (_overLimit || text.IsEmpty)
        {
            return;
        }

        // Checked before growing the buffer, so a huge field or a file without line breaks costs
        // no more memory than the limits allow.
        var fieldStart = _fieldCount == 0 ? 0 : _fieldEnds[_fieldCount - 1];
        if (_rowLength - fieldStart + text.Length > _limits.MaxFieldLength)
        {
            _overLimit = true;
            _rowProblemColumn = _rowProblem is null ? _fieldCount : _rowProblemColumn;
            _rowProblem ??= $"The field is longer than {_limits.MaxFieldLength:N0} characters, the field size limit ({nameof(ExportCsvLimits.MaxFieldLength)}); Salesforce's longest text field holds 131,072.";
            return;
        }

        if (_rowLength + text.Length > _limits.MaxRowLength)
        {
            _overLimit = true;
            _rowProblem ??= $"The row is longer than {_limits.MaxRowLength:N0} characters, the row size limit ({nameof(ExportCsvLimits.MaxRowLength)}).";
            return;
        }

        if (_rowLength + text.Length > _row.Length)
        {
            Array.Resize(ref _row, Math.Max(_row.Length * 2, _rowLength + text.Length));
        }

        text.CopyTo(_row.AsSpan(_rowLength));
        _rowLength += text.Length;
    }

    private void EndField()
    {
        if (_fieldCount == _fieldEnds.Length)
        {
            Array.Resize(ref _fieldEnds, _fieldEnds.Length * 2);
            Array.Resize(ref _fieldStrings, _fieldStrings.Length * 2);
        }

        _fieldEnds[_fieldCount++] = _rowLength;
    }

    private bool EnsureChars() => _charPos < _charLen || FillChars();

    private void DetectBom()
    {
        while (_byteEnd < 3 && !_bytesExhausted)
        {
            ReadBytes();
        }

        var start = _bytes.AsSpan(0, _byteEnd);
        if (start.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            _byteStart = 3;
            _utf8Certain = true;
        }
        else if (start.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            _byteStart = 2;
            _decoder = new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true).GetDecoder();
        }
        else if (start.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            _byteStart = 2;
            _decoder = new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true).GetDecoder();
        }
    }

    private void ReadBytes()
    {
        if (_byteStart > 0)
        {
            _bytes.AsSpan(_byteStart, _byteEnd - _byteStart).CopyTo(_bytes);
            _byteEnd -= _byteStart;
            _byteStart = 0;
        }

        var read = _stream.Read(_bytes, _byteEnd, _bytes.Length - _byteEnd);
        if (read == 0)
        {
            _bytesExhausted = true;
        }

        _byteEnd += read;
    }

    private bool FillChars()
    {
        _charPos = 0;
        _charLen = 0;
        while (_charLen == 0)
        {
            if (_decodeProblem is not null)
            {
                throw new DataExportFormatException(FilePath, _physicalLine, null, null, _decodeProblem);
            }

            if (_byteStart == _byteEnd)
            {
                if (_bytesExhausted)
                {
                    return false;
                }

                ReadBytes();
                continue;
            }

            if (_decoder is not null)
            {
                int used, written;
                try
                {
                    _decoder.Convert(
                        _bytes.AsSpan(_byteStart, _byteEnd - _byteStart), _chars, _bytesExhausted,
                        out used, out written, out _);
                }
                catch (DecoderFallbackException error)
                {
                    _decodeProblem = "Bytes on this line are not valid in the encoding the file's byte order mark declares.";
                    throw new DataExportFormatException(FilePath, _physicalLine, null, null, _decodeProblem, error);
                }

                _byteStart += used;
                _charLen = written;
                if (written == 0 && !_bytesExhausted)
                {
                    ReadBytes();
                }

                continue;
            }

            DecodeUtf8();
        }

        return true;
    }

    private void DecodeUtf8()
    {
        var source = _bytes.AsSpan(_byteStart, _byteEnd - _byteStart);
        var status = Utf8.ToUtf16(source, _chars, out var used, out var written, replaceInvalidSequences: false, isFinalBlock: _bytesExhausted);
        _byteStart += used;
        _charLen = written;

        // A multi-byte sequence turns into fewer chars than bytes: the text is really UTF-8.
        _utf8Certain |= written != used;
        if (status == OperationStatus.NeedMoreData && written == 0)
        {
            ReadBytes();
        }
        else if (status == OperationStatus.InvalidData)
        {
            if (_utf8Certain)
            {
                _decodeProblem = "The file is not valid UTF-8 on this line, although its byte order mark or earlier lines make it UTF-8.";
            }
            else
            {
                // Everything so far was ASCII, which Windows-1252 reads the same way.
                Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
                _decoder = Encoding.GetEncoding(Windows1252).GetDecoder();
            }
        }
    }
}

/// <summary>
/// The largest field and row an <see cref="ExportCsvReader"/> keeps in memory; a longer one is a
/// <see cref="DataExportFormatException"/> naming file, line and field, found without buffering it.
/// </summary>
/// <param name="MaxFieldLength">Characters per field (default 1,048,576; Salesforce's longest text field holds 131,072).</param>
/// <param name="MaxRowLength">Characters per row, all fields together (default 16,777,216).</param>
public sealed record ExportCsvLimits(int MaxFieldLength = ExportCsvLimits.DefaultMaxFieldLength, int MaxRowLength = ExportCsvLimits.DefaultMaxRowLength)
{
    /// <summary>The default characters per field.</summary>
    public const int DefaultMaxFieldLength = 1 << 20;

    /// <summary>The default characters per row.</summary>
    public const int DefaultMaxRowLength = 1 << 24;

    /// <summary>The default limits.</summary>
    public static ExportCsvLimits Default { get; } = new();
}
