using System.Text;
using Tandem.Domain.Import;

namespace Tandem.Server.Import;

/// <summary>
/// Reads an uploaded CSV one record at a time, so memory stays flat whatever the file's size: decides the
/// encoding (BOM, UTF-8, else Windows-1252) and the delimiter from the start of the file, then streams records.
/// Quoted fields may hold delimiters, quotes and newlines.
/// </summary>
internal sealed class ImportFile : IDisposable
{
    private const int SampleBytes = 256 * 1024;
    private readonly FileStream stream;
    private readonly StreamReader reader;
    private readonly CsvRecordReader parser;

    private ImportFile(FileStream stream, Encoding encoding, char delimiter)
    {
        this.stream = stream;
        Encoding = encoding;
        Delimiter = delimiter;
        reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
        parser = new CsvRecordReader(reader, delimiter);
        Headers = parser.Read() ?? [];
        RowNumber = 1;
    }

    public Encoding Encoding { get; }
    public char Delimiter { get; }
    public IReadOnlyList<string> Headers { get; }
    /// <summary>The row number of the record last read; the header is row 1.</summary>
    public long RowNumber { get; private set; }
    /// <summary>About how far into the file the reader is, for progress and ETA.</summary>
    public long BytePosition => stream.Position;
    public long Length => stream.Length;

    public static ImportFile Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        var sample = new byte[(int)Math.Min(SampleBytes, stream.Length)];
        stream.ReadExactly(sample);
        stream.Position = 0;
        var (encoding, bom) = TextEncodings.Detect(sample);
        var text = encoding.GetString(sample, bom, sample.Length - bom);
        return new ImportFile(stream, encoding, Delimiters.Sniff(text));
    }

    /// <summary>Reads the next data record; false at the end of the file.</summary>
    public bool TryRead(out string[] cells)
    {
        if (parser.Read() is not { } record) { cells = []; return false; }
        cells = record;
        RowNumber++;
        return true;
    }

    /// <summary>Skips records already handled by an earlier run of the same job.</summary>
    public void SkipTo(long rowNumber)
    {
        while (RowNumber < rowNumber && TryRead(out _)) { }
    }

    public void Dispose()
    {
        reader.Dispose();
        stream.Dispose();
    }
}
