using Tandem.Domain.Capture;
using Tandem.Domain.Import;
using Tandem.Domain.Lifecycle;

namespace Tandem.Tests.Domain.Import;

public class MappingTests
{
    private static ImportMapping Resolve(string[] headers, string preset = "auto", ImportOverrides? overrides = null)
    {
        var (mapping, problems) = ImportMapping.Resolve(headers, preset, overrides);
        Assert.Empty(problems);
        return mapping!;
    }

    private static string Target(ImportMapping m, string header) => m.Columns.Single(c => c.Header == header).Target;

    [Theory]
    [InlineData("E-mail Addr", "email")] [InlineData("email_address", "email")] [InlineData("Given Name", "firstName")]
    [InlineData("Organisation", "company")] [InlineData("Lead Source", "source")] [InlineData("TotalVisits", "visits")]
    public void Headers_map_by_known_names_and_by_similarity(string header, string target) =>
        Assert.Equal(target, HeaderMatching.Match(header)?.Target);

    [Theory]
    [InlineData("Lead Number")] [InlineData("Page Views Per Visit")] [InlineData("Last Notable Activity")] [InlineData("Favourite colour")]
    public void Headers_that_only_resemble_a_field_become_custom_fields(string header)
    {
        var mapping = Resolve(["Email", "Page Views", "Last Activity", header]);
        Assert.Equal("custom." + ImportTargets.CustomName(header), Target(mapping, header));
    }

    [Fact]
    public void Each_target_is_fed_by_one_column()
    {
        var mapping = Resolve(["Email", "E-mail"]);
        Assert.Equal("email", Target(mapping, "Email"));
        Assert.Equal("custom.e-mail", Target(mapping, "E-mail"));
    }

    [Theory]
    [InlineData("salesforce", new[] { "Lead ID", "First Name", "Last Name", "Email", "Lead Status", "Lead Source", "Company / Account" })]
    [InlineData("salesforce", new[] { "Id", "FirstName", "LastName", "Email", "Status", "LeadSource", "HasOptedOutOfEmail" })]
    [InlineData("hubspot", new[] { "Record ID", "First Name", "Last Name", "Email", "Lifecycle Stage", "Contact owner" })]
    [InlineData("mautic", new[] { "id", "firstname", "lastname", "email", "points", "date_added", "stage" })]
    [InlineData("pipedrive", new[] { "Person - ID", "Person - Name", "Person - Email - Work", "Person - Label" })]
    [InlineData("tandem", new[] { "id", "email", "first_name", "stage", "channel", "external_ids" })]
    [InlineData("auto", new[] { "Prospect ID", "Lead Source", "Converted", "TotalVisits" })]
    public void Auto_recognizes_the_source_system_from_the_header(string expected, string[] headers) =>
        Assert.Equal(expected, Resolve(headers).Preset);

    [Fact]
    public void A_user_mapping_overrides_the_preset_and_stage_values()
    {
        var mapping = Resolve(["Record ID", "Email", "Lifecycle Stage", "Tier"], "hubspot", new ImportOverrides
        {
            Columns = new() { ["Tier"] = "custom.tier", ["Email"] = "ignore" },
            Stages = new() { ["Other"] = "Disqualified:bad-fit" },
        });
        Assert.Equal("custom.tier", Target(mapping, "Tier"));
        Assert.Equal("ignore", Target(mapping, "Email"));
        Assert.True(mapping.Stages.TryMap("other", out var other));
        Assert.Equal(new StageTarget(Stage.Disqualified, "bad-fit"), other);
        Assert.True(mapping.Stages.TryMap("marketing qualified lead", out var mql));
        Assert.Equal(Stage.MQL, mql.Stage);
    }

    [Fact]
    public void Unknown_presets_targets_and_stages_are_reported_by_field()
    {
        var (mapping, problems) = ImportMapping.Resolve(["Email"], "zoho", new ImportOverrides
        {
            Columns = new() { ["Email"] = "emial", ["Missing"] = "email" },
            Stages = new() { ["Hot"] = "Warm" },
        });
        Assert.Null(mapping);
        Assert.Contains("preset", problems.Keys);
        Assert.Contains("mapping.columns.Email", problems.Keys);
        Assert.Contains("mapping.columns.Missing", problems.Keys);
        Assert.Contains("mapping.stages.Hot", problems.Keys);
    }

    [Theory]
    [InlineData("google", "Google")] [InlineData("Google", "Google")] [InlineData("Direct Traffic", "Direct")]
    [InlineData("Trade Show", Channels.Events)] [InlineData("PAID_SEARCH", Channels.PaidSearch)] [InlineData("Referral Sites", Channels.Referral)]
    public void Case_variants_of_a_source_fold_to_one_channel(string source, string channel) =>
        Assert.Equal(channel, SourceChannels.Fold(source));
}
