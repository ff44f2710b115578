using Tandem.Server.Export;
using Tandem.Server.Import;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Operations;

/// <summary>A cell that starts like a formula is served as text in every CSV, and a Tandem export imports back as it was.</summary>
public static class CsvDefuse
{
    public sealed class Cells
    {
        [Theory]
        [InlineData("=HYPERLINK(\"http://evil.example\")", "\"'=HYPERLINK(\"\"http://evil.example\"\")\"")]
        [InlineData("+1 555 0100", "'+1 555 0100")]
        [InlineData("-2+3", "'-2+3")]
        [InlineData("@SUM(A1)", "'@SUM(A1)")]
        [InlineData("\t=1", "'\t=1")]
        [InlineData("\r=1", "\"'\r=1\"")]
        [InlineData("-12.5", "-12.5")]
        [InlineData("Head of Data", "Head of Data")]
        [InlineData("a, b", "\"a, b\"")]
        public void Formula_starts_get_an_apostrophe_and_plain_numbers_and_text_do_not(string value, string cell) =>
            Assert.Equal(cell, CsvText.Escape(value));

        [Fact]
        public void The_import_reader_takes_the_apostrophe_back()
        {
            var line = string.Join(',', new[] { "+1 555 0100", "=1+1", "'quoted", "-12.5" }.Select(CsvText.Escape));
            var record = new CsvRecordReader(new StringReader(line + "\r\n"), ',').Read()!;
            Assert.Equal(["+1 555 0100", "=1+1", "'quoted", "-12.5"], record);
        }
    }

    public abstract class Export(DatabaseProvider provider)
    {
        [Fact]
        public async Task The_api_export_serves_formula_like_values_as_text()
        {
            var ct = TestContext.Current.CancellationToken;
            await using var server = await TandemServer.StartAsync(provider);
            using var api = await server.AdminClientAsync();
            await api.CaptureLeadAsync(new { email = "mallory@evil.example", firstName = "=cmd|' /C calc'!A0", lastName = "-2+3", company = "@SUM(1)", title = "\tHead" });

            var csv = await (await api.GetAsync("/api/v1/people/export", ct)).Content.ReadAsStringAsync(ct);
            var row = csv.Split('\n').Single(l => l.Contains("mallory@evil.example"));

            Assert.Contains("'=cmd|' /C calc'!A0", row);
            Assert.Contains(",'-2+3,", row);
            Assert.Contains(",'@SUM(1),", row);
            Assert.DoesNotContain(",=", row);
            Assert.DoesNotContain(",@", row);
        }
    }

    public sealed class ExportOnSqlite() : Export(DatabaseProvider.Sqlite);

    public sealed class ExportOnPostgres() : Export(DatabaseProvider.Postgres);
}
