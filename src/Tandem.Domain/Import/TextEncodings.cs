using System.Text;

namespace Tandem.Domain.Import;

/// <summary>
/// Chooses how to decode an uploaded file. Exports from older CRMs and from Excel on Windows are often
/// Windows-1252 rather than UTF-8, and nothing in the file says so; a byte sequence that is not valid
/// UTF-8 is the reliable tell.
/// </summary>
public static class TextEncodings
{
    static TextEncodings() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Windows1252 => Encoding.GetEncoding(1252);

    /// <summary>Decides the encoding from the first bytes of a file (a BOM, else whether they are valid UTF-8).</summary>
    /// <returns>The encoding and how many BOM bytes to skip.</returns>
    public static (Encoding Encoding, int BomLength) Detect(ReadOnlySpan<byte> sample)
    {
        if (sample.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return (new UTF8Encoding(false), 3);
        if (sample.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return (Encoding.Unicode, 2);
        if (sample.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return (Encoding.BigEndianUnicode, 2);
        return (IsValidUtf8(sample) ? new UTF8Encoding(false) : Windows1252, 0);
    }

    /// <summary>True when the bytes are UTF-8; a multi-byte character cut off by the end of the sample still counts.</summary>
    public static bool IsValidUtf8(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            var b = bytes[i];
            int extra = b < 0x80 ? 0 : (b & 0xE0) == 0xC0 ? 1 : (b & 0xF0) == 0xE0 ? 2 : (b & 0xF8) == 0xF0 ? 3 : -1;
            if (extra < 0 || b is 0xC0 or 0xC1) return false;
            for (var k = 1; k <= extra; k++)
            {
                if (i + k >= bytes.Length) return true;
                if ((bytes[i + k] & 0xC0) != 0x80) return false;
            }
            i += extra + 1;
        }
        return true;
    }

    public static string Name(Encoding encoding) => encoding.CodePage switch
    {
        1252 => "windows-1252",
        1200 => "utf-16le",
        1201 => "utf-16be",
        _ => "utf-8",
    };
}
