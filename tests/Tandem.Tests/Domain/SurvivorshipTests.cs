using Tandem.Domain.Identity;

namespace Tandem.Tests.Domain;

public class SurvivorshipTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static Profile ProfileOf(params (string Field, string Value, int Day)[] fields) => new(
        fields.ToDictionary(f => f.Field, f => new FieldValue(f.Value, T0.AddDays(f.Day))), new HashSet<string>());

    [Fact]
    public void Newer_value_replaces_older()
    {
        var (result, changed) = Survivorship.Apply(ProfileOf(("title", "Engineer", 1)),
            new Dictionary<string, string?> { ["title"] = "Head of Data" }, T0.AddDays(2));
        Assert.Equal("Head of Data", result["title"]);
        Assert.Equal(["title"], changed);
    }

    [Fact]
    public void Older_observation_does_not_overwrite_newer_value()
    {
        var (result, changed) = Survivorship.Apply(ProfileOf(("title", "Head of Data", 5)),
            new Dictionary<string, string?> { ["title"] = "Engineer" }, T0.AddDays(1));
        Assert.Equal("Head of Data", result["title"]);
        Assert.Empty(changed);
    }

    [Fact]
    public void Empty_value_never_erases_a_known_one()
    {
        var (result, _) = Survivorship.Apply(ProfileOf(("company", "Acme", 1)),
            new Dictionary<string, string?> { ["company"] = "  " }, T0.AddDays(3));
        Assert.Equal("Acme", result["company"]);
    }

    [Fact]
    public void Locked_field_keeps_its_value()
    {
        var locked = ProfileOf(("company", "Acme", 1)) with { Locked = new HashSet<string> { "company" } };
        var (result, changed) = Survivorship.Apply(locked, new Dictionary<string, string?> { ["company"] = "Other" }, T0.AddDays(9));
        Assert.Equal("Acme", result["company"]);
        Assert.Empty(changed);
    }

    [Fact]
    public void Merge_takes_the_newest_non_empty_value_per_field()
    {
        var survivor = ProfileOf(("title", "Engineer", 1), ("phone", "111", 5));
        var merged = ProfileOf(("title", "CTO", 3), ("phone", "222", 2), ("city", "Berlin", 1));
        var result = Survivorship.Merge(survivor, merged);
        Assert.Equal("CTO", result["title"]);
        Assert.Equal("111", result["phone"]);
        Assert.Equal("Berlin", result["city"]);
    }

    [Fact]
    public void Merge_respects_the_survivors_locks()
    {
        var survivor = ProfileOf(("title", "Engineer", 1)) with { Locked = new HashSet<string> { "title" } };
        var result = Survivorship.Merge(survivor, ProfileOf(("title", "CTO", 9)));
        Assert.Equal("Engineer", result["title"]);
    }

    [Fact]
    public void Opt_outs_accumulate_when_records_combine()
    {
        var combined = new Consent(false, true, false).Combine(new Consent(true, false, false));
        Assert.Equal(new Consent(true, true, false), combined);
    }
}
