using System.Text;

namespace SfPredictor.DataExport.Tests;

public sealed class ExportCsvReaderTests
{
    private static ExportCsvReader Open(string text, Encoding? encoding = null) =>
        ExportCsvReader.Open(new MemoryStream((encoding ?? new UTF8Encoding(false)).GetBytes(text)), "Test.csv");

    private static ExportCsvReader OpenBytes(byte[] bytes) => ExportCsvReader.Open(new MemoryStream(bytes), "Test.csv");

    private static List<string[]> ReadAll(ExportCsvReader reader)
    {
        var rows = new List<string[]>();
        while (reader.Read())
        {
            var row = new string[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader[i];
            }

            rows.Add(row);
        }

        return rows;
    }

    [Fact]
    public void Read_QuotedFieldsWithCommasQuotesAndNewlines_UnescapesAndReportsStartLine()
    {
        using var reader = Open("\"Id\",\"Description\",\"Amount\"\r\n\"1\",\"a, b\",\"5\"\r\n\"2\",\"He said \"\"hi\"\"\nsecond line\r\nthird\",\"\"\r\n\"3\",\"x\",\"7\"\r\n");

        Assert.Equal(["Id", "Description", "Amount"], reader.Header);
        Assert.True(reader.Read());
        Assert.Equal(2, reader.LineNumber);
        Assert.Equal("a, b", reader[1]);
        Assert.True(reader.Read());
        Assert.Equal(3, reader.LineNumber);
        Assert.Equal("He said \"hi\"\nsecond line\r\nthird", reader[1]);
        Assert.Equal("", reader[2]);
        Assert.True(reader.Read());
        Assert.Equal(6, reader.LineNumber);
        Assert.Equal("7", reader[2]);
        Assert.False(reader.Read());
    }

    [Fact]
    public void Read_UnquotedLfFileWithoutTrailingNewline_ReadsEveryRow()
    {
        using var reader = Open("Id,Name\n1,Acme\n2,\n3,Globex");

        var rows = ReadAll(reader);

        Assert.Equal([["1", "Acme"], ["2", ""], ["3", "Globex"]], rows);
    }

    [Fact]
    public void Open_Utf8BomHeader_StripsBomFromFirstField()
    {
        using var reader = OpenBytes([0xEF, 0xBB, 0xBF, .. "Id,Name\n1,Société\n"u8]);

        Assert.Equal(0, reader.ColumnIndex("id"));
        Assert.True(reader.Read());
        Assert.Equal("Société", reader[1]);
    }

    [Fact]
    public void Read_Windows1252Text_DecodesAccentsAndEuro()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var bytes = Encoding.GetEncoding(1252).GetBytes("\"Id\",\"Name\"\n\"1\",\"Café Société\"\n\"2\",\"€ 5\"\n");

        using var reader = OpenBytes(bytes);

        Assert.Equal([["1", "Café Société"], ["2", "€ 5"]], ReadAll(reader));
    }

    [Fact]
    public void Read_RaggedRow_ThrowsNamingLineThenContinues()
    {
        using var reader = Open("Id,Name\n1,a\n2,b,extra\n3,c\n");

        Assert.True(reader.Read());
        var error = Assert.Throws<DataExportFormatException>(() => reader.Read());
        Assert.Equal(3, error.Line);
        Assert.Contains("Test.csv, line 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("3 fields", error.Message, StringComparison.Ordinal);
        Assert.True(reader.Read());
        Assert.Equal("c", reader[1]);
    }

    [Fact]
    public void Read_UnclosedQuote_ThrowsNamingStartLine()
    {
        using var reader = Open("Id,Name\n1,\"open\n2,b\n");

        var error = Assert.Throws<DataExportFormatException>(() => reader.Read());

        Assert.Equal(2, error.Line);
        Assert.Contains("not closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LargeFieldsAcrossBufferBoundaries_ReadsExactText()
    {
        var big = new string('x', 200_000) + "é\"" + new string('y', 70_000);
        var text = "Id,Body\n1,\"" + big.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"\n2,z\n";

        using var reader = Open(text);

        Assert.Equal([["1", big], ["2", "z"]], ReadAll(reader));
    }

    [Fact]
    public void Read_CarriageReturnLineEnds_ReadsRows()
    {
        using var reader = Open("Id,Name\r1,a\r2,b\r");

        Assert.Equal([["1", "a"], ["2", "b"]], ReadAll(reader));
        Assert.Equal(3, reader.LineNumber);
    }

    [Fact]
    public void Read_BlankLines_SkippedButCounted()
    {
        using var reader = Open("Id,Name\n\n1,a\r\n\r\n2,b\n\n");

        Assert.True(reader.Read());
        Assert.Equal(3, reader.LineNumber);
        Assert.True(reader.Read());
        Assert.Equal(5, reader.LineNumber);
        Assert.False(reader.Read());
    }

    [Fact]
    public void Read_Windows1252ByteAfterFirstBuffer_SwitchesEncodingWithoutLosingText()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var padding = new string('a', 100_000);
        var bytes = Encoding.GetEncoding(1252).GetBytes($"Id,Name\n1,{padding}\n2,Crème brûlée\n");

        using var reader = OpenBytes(bytes);

        Assert.Equal([["1", padding], ["2", "Crème brûlée"]], ReadAll(reader));
    }

    [Fact]
    public void Read_InvalidUtf8AfterUtf8Text_ThrowsNamingLine()
    {
        byte[] bytes = [.. "Id,Name\n1,Société\n2,ok\n3,"u8, 0xE9, .. "t\n"u8];

        using var reader = OpenBytes(bytes);

        Assert.True(reader.Read());
        Assert.True(reader.Read());
        var error = Assert.Throws<DataExportFormatException>(() => reader.Read());
        Assert.Equal(4, error.Line);
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TextAfterClosingQuote_ThrowsThenContinues()
    {
        using var reader = Open("Id,Name\n1,\"a\"b\n2,c\n");

        var error = Assert.Throws<DataExportFormatException>(() => reader.Read());

        Assert.Equal(2, error.Line);
        Assert.Contains("closing quote", error.Message, StringComparison.Ordinal);
        Assert.True(reader.Read());
        Assert.Equal("c", reader[1]);
    }

    [Fact]
    public void Read_QuoteInsideUnquotedField_KeptLiterally()
    {
        using var reader = Open("Id,Name\n1,5\" screen\n");

        Assert.Equal([["1", "5\" screen"]], ReadAll(reader));
    }

    [Fact]
    public void Read_TrailingCommaAtEndOfFile_GivesEmptyLastField()
    {
        using var reader = Open("Id,Name\n1,");

        Assert.Equal([["1", ""]], ReadAll(reader));
    }

    [Fact]
    public void Open_EmptyFile_ThrowsNamingFile()
    {
        var error = Assert.Throws<DataExportFormatException>(() => Open(""));

        Assert.Contains("Test.csv", error.Message, StringComparison.Ordinal);
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_DuplicateHeaderField_ThrowsNamingField()
    {
        var error = Assert.Throws<DataExportFormatException>(() => Open("Id,Name,id\n"));

        Assert.Equal("id", error.Field);
    }

    [Fact]
    public void ColumnIndex_AnyCase_FindsColumnOrMinusOne()
    {
        using var reader = Open("\"Id\",\"StageName\"\n");

        Assert.Equal(1, reader.ColumnIndex("STAGENAME"));
        Assert.Equal(-1, reader.ColumnIndex("Amount"));
    }

    [Fact]
    public void Dispose_Twice_IsSafeAndReadThenThrows()
    {
        var stream = new MemoryStream("Id\n1\n"u8.ToArray());
        var reader = ExportCsvReader.Open(stream, "Test.csv");

        reader.Dispose();
        reader.Dispose();

        Assert.Throws<ObjectDisposedException>(() => reader.Read());
        Assert.False(stream.CanRead);
    }

    [Fact]
    public void Read_Utf16LittleEndianWithBom_Decodes()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("Id,Name\n1,Zoë\n")).ToArray();

        using var reader = OpenBytes(bytes);

        Assert.Equal([["1", "Zoë"]], ReadAll(reader));
    }

    [Fact]
    public void Read_HundredsOfThousandsOfRows_StreamsWithoutPerFieldAllocation()
    {
        const int rows = 300_000;
        using var source = new GeneratedTaskStream(rows);
        using var reader = ExportCsvReader.Open(source, "Task.csv");
        var whatId = reader.ColumnIndex("WhatId");

        Assert.True(reader.Read());
        Assert.True(source.BytesRead < 256 * 1024, $"read {source.BytesRead} bytes before the first row");

        var before = GC.GetAllocatedBytesForCurrentThread();
        long count = 1, withWhat = 0;
        while (reader.Read())
        {
            count++;
            if (!reader.GetSpan(whatId).IsEmpty)
            {
                withWhat++;
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(rows, count);
        Assert.Equal(rows - (rows / 3), withWhat);
        Assert.True(source.BytesRead > 30_000_000, $"only {source.BytesRead} bytes");
        Assert.True(allocated < 1_000_000, $"allocated {allocated} bytes for {rows} rows");
    }

    // A Data Export style Task.csv produced on demand, so the test needs neither disk nor memory for it.
    private sealed class GeneratedTaskStream(int rows) : Stream
    {
        private readonly byte[] _pending = new byte[4096];
        private int _pendingStart;
        private int _pendingEnd;
        private int _row = -1;

        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var written = 0;
            while (written < count)
            {
                if (_pendingStart == _pendingEnd && !NextRow())
                {
                    break;
                }

                var n = Math.Min(count - written, _pendingEnd - _pendingStart);
                Array.Copy(_pending, _pendingStart, buffer, offset + written, n);
                _pendingStart += n;
                written += n;
            }

            BytesRead += written;
            return written;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private void Append(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_pending.AsSpan(_pendingEnd));
            _pendingEnd += bytes.Length;
        }

        private void AppendNumber(int value, string format)
        {
            value.TryFormat(_pending.AsSpan(_pendingEnd), out var written, format, System.Globalization.CultureInfo.InvariantCulture);
            _pendingEnd += written;
        }

        private bool NextRow()
        {
            if (_row >= rows)
            {
                return false;
            }

            // Built straight into bytes so that the stream allocates nothing the reader would be blamed for.
            _pendingStart = 0;
            _pendingEnd = 0;
            if (_row < 0)
            {
                Append("\"Id\",\"WhatId\",\"Subject\",\"IsClosed\",\"ActivityDate\",\"CreatedDate\",\"Description\"\r\n"u8);
            }
            else
            {
                Append("\"00T5g00000"u8);
                AppendNumber(_row, "D8");
                Append(_row % 3 == 0 ? "\",\"\",\""u8 : "\",\"0065g0000012345AAA\",\""u8);
                Append("Call, \"\"follow up\"\" "u8);
                AppendNumber(_row, "D");
                Append("\",\""u8);
                AppendNumber(_row % 2, "D");
                Append("\",\"2024-03-01\",\"2024-02-01 10:00:00\",\"line one\nline two\"\r\n"u8);
            }

            _row++;
            return true;
        }
    }

    [Fact]
    public void Read_FieldOverTheLimit_ThrowsNamingFieldAndLineThenContinues()
    {
        using var reader = ExportCsvReader.Open(
            new MemoryStream(Encoding.UTF8.GetBytes($"Id,Description\n1,\"{new string('x', 500)}\"\n2,short\n")), "Test.csv", new ExportCsvLimits(MaxFieldLength: 100));

        var error = Assert.Throws<DataExportFormatException>(() => reader.Read());

        Assert.Equal(2, error.Line);
        Assert.Equal("Description", error.Field);
        Assert.Equal("Test.csv, line 2, field Description: The field is longer than 100 characters, the field size limit (MaxFieldLength); Salesforce's longest text field holds 131,072.", error.Message);
        Assert.True(reader.Read());
        Assert.Equal("short", reader[1]);
    }

    [Fact]
    public void Read_LineWithoutEndOverTheRowLimit_ThrowsWithoutHoldingIt()
    {
        // 8 MB of one line: the reader must refuse it while keeping at most the limit in memory.
        var stream = new MemoryStream();
        stream.Write("A,B\n"u8);
        var chunk = Encoding.ASCII.GetBytes(new string('y', 1 << 16) + ",");
        for (var i = 0; i < 128; i++)
        {
            stream.Write(chunk);
        }

        stream.Position = 0;
        using var reader = ExportCsvReader.Open(stream, "Big.csv", new ExportCsvLimits(MaxFieldLength: 1 << 20, MaxRowLength: 1 << 20));
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<DataExportFormatException>(() => reader.Read());

        Assert.Equal(2, error.Line);
        Assert.Contains("The row is longer than 1,048,576 characters", error.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 8L << 20, "the reader buffered the whole line");
    }
}
