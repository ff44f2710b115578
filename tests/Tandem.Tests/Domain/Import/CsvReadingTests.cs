using System.Text;
using Tandem.Domain.Import;
using Tandem.Server.Import;

namespace Tandem.Tests.Domain.Import;

public class CsvReadingTests
{
    [Theory]
    [InlineData("email,first,last\na@x.io,A,B\n", ',')]
    [InlineData("email;first;last\na@x.io;A;B\nb@x.io;\"Smith, Jr.\";C\n", ';')]
    [InlineData("email\tfirst\tlast\na@x.io\tA\tB\n", '\t')]
    [InlineData("\"a,b\";c;d\n1;2;3\n", ';')]
    public void Delimiter_is_sniffed_from_the_lines_it_splits_consistently(string sample, char expected) =>
        Assert.Equal(expected, Delimiters.Sniff(sample));

    [Fact]
    public void Utf8_with_and_without_bom_and_windows_1252_are_told_apart()
    {
        var utf8 = Encoding.UTF8.GetBytes("name\nJürgen\n");
        var bom = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(utf8).ToArray();
        var cp1252 = TextEncodings.Windows1252.GetBytes("name\nJürgen\n");

        Assert.Equal(("utf-8", 0), (TextEncodings.Name(TextEncodings.Detect(utf8).Encoding), TextEncodings.Detect(utf8).BomLength));
        Assert.Equal(("utf-8", 3), (TextEncodings.Name(TextEncodings.Detect(bom).Encoding), TextEncodings.Detect(bom).BomLength));
        Assert.Equal("windows-1252", TextEncodings.Name(TextEncodings.Detect(cp1252).Encoding));
        Assert.Equal("name\nJürgen\n", TextEncodings.Detect(cp1252).Encoding.GetString(cp1252));
    }

    [Fact]
    public void A_utf8_character_cut_by_the_end_of_the_sample_is_still_utf8()
    {
        var bytes = Encoding.UTF8.GetBytes("abc é");
        Assert.True(TextEncodings.IsValidUtf8(bytes.AsSpan(0, bytes.Length - 1)));
    }

    [Fact]
    public void Quoted_fields_keep_delimiters_doubled_quotes_and_newlines()
    {
        var text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"line 1\nline 2\"\r\n\r\nlast,,\n";
        var reader = new CsvRecordReader(new StringReader(text), ',');
        Assert.Equal(["a", "b", "c"], NextRecord(reader));
        Assert.Equal(["x, y", "say \"hi\"", "line 1\nline 2"], NextRecord(reader));
        Assert.Equal(["last", "", ""], NextRecord(reader)); // the blank line in between is not a record
        Assert.Null(reader.Read());
    }

    [Fact]
    public void A_stray_quote_inside_an_unquoted_field_is_kept_as_text()
    {
        var reader = new CsvRecordReader(new StringReader("name,size\n12\" display,3\n"), ',');
        reader.Read();
        Assert.Equal(["12\" display", "3"], NextRecord(reader));
    }

    private static string[] NextRecord(CsvRecordReader reader)
    {
        var record = reader.Read();
        Assert.NotNull(record);
        return record;
    }
}
