using Tandem.Domain.Import;

namespace Tandem.Tests.Domain.Import;

public class CellValueTests
{
    [Theory]
    [InlineData("Yes", true)] [InlineData("no", false)] [InlineData("TRUE", true)] [InlineData("false", false)]
    [InlineData("1", true)] [InlineData("0", false)] [InlineData("y", true)] [InlineData("N", false)]
    public void Booleans_read_in_the_spellings_exports_use(string text, bool expected)
    {
        Assert.True(CellValues.TryBoolean(text, out var value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void A_word_that_is_not_yes_or_no_is_not_a_boolean() => Assert.False(CellValues.TryBoolean("maybe", out _));

    [Theory]
    [InlineData("1,234", 1234)] [InlineData("1,234.5", 1234.5)] [InlineData("1.234,5", 1234.5)] [InlineData("1 234 567", 1234567)]
    [InlineData("2.5", 2.5)] [InlineData("5.0", 5)] [InlineData("3,5", 3.5)] [InlineData("1.000.000", 1000000)] [InlineData("-12", -12)]
    public void Numbers_with_thousands_separators_read_in_either_convention(string text, double expected)
    {
        Assert.True(CellValues.TryNumber(text, out var value));
        Assert.Equal((decimal)expected, value);
    }

    [Theory]
    [InlineData("Select")] [InlineData("  select ")] [InlineData("N/A")] [InlineData("")] [InlineData("   ")] [InlineData("null")] [InlineData("unknown")]
    public void Empty_and_placeholder_values_read_as_unknown(string text) => Assert.Null(CellValues.Default.Clean(text));

    [Fact]
    public void The_placeholder_list_is_configurable()
    {
        var values = new CellValues(["TBD"]);
        Assert.Null(values.Clean("tbd"));
        Assert.Equal("Select", values.Clean("Select"));
    }

    [Theory]
    [InlineData("2024-03-05", "2024-03-05T00:00:00Z")]
    [InlineData("2024-03-05 14:22", "2024-03-05T14:22:00Z")]
    [InlineData("2024-03-05T14:22:00.000+0100", "2024-03-05T13:22:00Z")]
    [InlineData("3/5/2024", "2024-03-05T00:00:00Z")]
    [InlineData("1709648520", "2024-03-05T14:22:00Z")]
    public void Instants_read_from_the_formats_crms_export(string text, string expected)
    {
        Assert.True(CellValues.TryInstant(text, out var at));
        Assert.Equal(DateTimeOffset.Parse(expected), at);
    }
}
