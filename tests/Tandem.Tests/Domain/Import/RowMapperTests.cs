using Tandem.Domain.Import;
using Tandem.Domain.Lifecycle;

namespace Tandem.Tests.Domain.Import;

public class RowMapperTests
{
    private static readonly string[] Headers =
        ["Prospect ID", "Email", "Name", "Lead Source", "Do Not Email", "Converted", "TotalVisits", "Total Time Spent on Website", "Last Activity", "Status", "Specialization"];

    private static RowResult Map(params string[] cells)
    {
        var (mapping, _) = ImportMapping.Resolve(Headers, "auto", null);
        return new RowMapper(mapping!).Map(2, cells);
    }

    [Fact]
    public void A_row_becomes_identity_fields_consent_engagement_and_outcome()
    {
        var row = Map("p-1", " Ada@Example.COM ", "Ada Lovelace", "google", "Yes", "1", "5.0", "1,674", "Email Opened", "", "Select").Row!;
        Assert.Equal("ada@example.com", row.Email!.Value.Value);
        Assert.Equal([("import", "p-1")], row.ExternalIds);
        Assert.Equal("Ada", row.Fields["firstName"]);
        Assert.Equal("Lovelace", row.Fields["lastName"]);
        Assert.Equal("Google", row.Channel);
        Assert.True(row.DoNotEmail);
        Assert.Equal(Stage.Customer, row.Stage!.Stage);
        Assert.Equal(new ImportedEngagement(5, 1674, null, "Email Opened", null), row.Engagement);
        Assert.False(row.Fields.ContainsKey("custom.specialization")); // "Select" means nobody answered
    }

    [Fact]
    public void Every_bad_cell_is_reported_with_its_column_and_value()
    {
        var result = Map("p-2", "not-an-email", "", "", "perhaps", "0", "-3", "", "", "Hot", "");
        Assert.Null(result.Row);
        Assert.Equal(["Email", "Do Not Email", "TotalVisits", "Status"], result.Problems.Select(p => p.Column));
        Assert.All(result.Problems, p => Assert.Equal(2, p.Row));
        Assert.Equal("perhaps", result.Problems[1].Value);
    }

    [Fact]
    public void A_row_with_neither_email_nor_id_cannot_identify_anyone()
    {
        var result = Map("", "", "Someone", "", "", "", "", "", "", "", "");
        Assert.Contains("neither an email nor an id", Assert.Single(result.Problems).Reason);
    }

    [Fact]
    public void Blank_lines_and_report_footers_are_skipped_not_errors()
    {
        Assert.True(Map("", "", "", "", "", "", "", "", "", "", "").Skipped);
        Assert.True(Map("Copyright (c) 2000-2024 salesforce.com, inc. All rights reserved.").Skipped);
    }

    [Theory]
    [InlineData("Lovelace, Ada", "Ada", "Lovelace")] [InlineData("Mary Ann Evans", "Mary Ann", "Evans")] [InlineData("Cher", "Cher", null)]
    public void Full_names_split_into_first_and_last(string name, string first, string? last) =>
        Assert.Equal((first, last), RowMapper.SplitName(name));
}
