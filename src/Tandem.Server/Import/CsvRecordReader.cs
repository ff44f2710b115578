using System.Text;

namespace Tandem.Server.Import;

/// <summary>
/// A streaming RFC 4180 reader: fields may be quoted, quotes inside are doubled, and quoted fields may
/// span lines. Lenient where real exports are sloppy: a stray quote inside an unquoted field is kept as
/// text, and both \n and \r\n end a record. Blank lines are skipped.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader, char delimiter)
{
    private readonly char[] buffer = new char[64 * 1024];
    private int length, position;
    private readonly StringBuilder field = new();
    private readonly List<string> record = [];

    public string[]? Read()
    {
        while (true)
        {
            var result = ReadRecord();
            if (result is null) return null;
            if (result.Length > 1 || result[0].Length > 0) return result;
        }
    }

    private string[]? ReadRecord()
    {
        record.Clear(); field.Clear();
        if (Peek() < 0) return null;
        var quoted = false; var wasQuoted = false;
        while (true)
        {
            var ch = Next();
            if (quoted)
            {
                if (ch < 0) { record.Add(Undefuse(field)); return [.. record]; } // an unclosed quote ends with the file
                if (ch == '"')
                {
                    if (Peek() == '"') { Next(); field.Append('"'); }
                    else quoted = false;
                }
                else field.Append((char)ch);
                continue;
            }
            if (ch < 0 || ch == '\n' || ch == '\r')
            {
                if (ch == '\r' && Peek() == '\n') Next();
                record.Add(Undefuse(field));
                return [.. record];
            }
            if (ch == delimiter) { record.Add(Undefuse(field)); field.Clear(); wasQuoted = false; continue; }
            if (ch == '"' && field.Length == 0 && !wasQuoted) { quoted = true; wasQuoted = true; continue; }
            field.Append((char)ch);
        }
    }

    /// <summary>
    /// Takes back the apostrophe <see cref="Export.CsvText.Defuse"/> puts before a cell that starts like a formula, so a
    /// Tandem export imports back as it was exported ("+1 555 0100" stays a phone number, not "'+1 555 0100").
    /// </summary>
    private static string Undefuse(StringBuilder cell) =>
        cell.Length > 1 && cell[0] == '\'' && cell[1] is '=' or '+' or '-' or '@' or '\t' or '\r' ? cell.ToString(1, cell.Length - 1) : cell.ToString();

    private int Peek()
    {
        if (position >= length && !Fill()) return -1;
        return buffer[position];
    }

    private int Next()
    {
        if (position >= length && !Fill()) return -1;
        return buffer[position++];
    }

    private bool Fill()
    {
        length = reader.Read(buffer, 0, buffer.Length);
        position = 0;
        return length > 0;
    }
}
