using Tandem.Server.Routing;
using Tandem.Server.Web.Settings;

namespace Tandem.Tests.Web;

/// <summary>The page-only decisions of the routing settings: form rows to API input, conditions in words, who may record time off.</summary>
public sealed class RoutingSettingsFormsTests
{
    [Fact]
    public void Blank_condition_rows_are_left_out_and_errors_are_shown_on_the_row_they_came_from()
    {
        var form = new RuleForm
        {
            Name = "EMEA", TeamId = 3,
            Conditions = [new(), new() { Field = "country", Operator = "in", Values = " DE, FR ,, AT " }, new(), new() { Field = "title", Values = "CTO" }],
        };

        var (input, rowOf) = form.ToInput();
        var outcome = RuleForm.ForRows(new FormOutcome(false, new Dictionary<string, string> { ["conditions[1].operator"] = "Use one of equals.", ["name"] = "x" }, false), rowOf);

        Assert.Equal(2, input.Conditions!.Count);
        Assert.Equal(["DE", "FR", "AT"], input.Conditions[0].Values!);
        Assert.Null(input.Conditions[1].Operator);
        Assert.Equal([1, 3], rowOf);
        Assert.Equal("Use one of equals.", outcome["conditions[3].operator"]);
        Assert.Null(outcome["conditions[1].operator"]);
        Assert.Equal("x", outcome["name"]);
    }

    [Fact]
    public void An_edited_rule_shows_its_conditions_then_three_blank_rows()
    {
        var dto = new RuleEndpoints.RuleDto(1, 10, "EMEA", [new("country", "in", ["DE", "FR"])], 2, "leastLoaded", true, false,
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

        var form = RuleForm.From(dto).WithBlankRows();

        Assert.Equal(4, form.Conditions.Count);
        Assert.Equal("DE, FR", form.Conditions[0].Values);
        Assert.All(form.Conditions.Skip(1), r => Assert.True(r.IsBlank));
        Assert.False(form.ToInput().Input.Active);
        Assert.Equal(10, form.ToInput().Input.Position);
    }

    [Theory]
    [InlineData("country", "in", "DE,FR", "country in DE, FR")]
    [InlineData("grade", "equals", "A", "fit grade equals A")]
    [InlineData("grade", "equals", "A,B", "fit grade equals A or B")]
    [InlineData("fitScore", "gte", "70", "fit score is at least 70")]
    [InlineData("title", "exists", "", "title is set")]
    [InlineData("custom.plan", "notEquals", "free", "custom field plan does not equal free")]
    [InlineData("source.firstChannel", "startsWith", "Paid", "first-touch channel starts with Paid")]
    public void Conditions_read_as_words(string field, string op, string values, string expected) =>
        Assert.Equal(expected, RoutingWords.Describe(field, op, values.Split(',', StringSplitOptions.RemoveEmptyEntries)));

    [Fact]
    public void A_rule_without_conditions_reads_as_every_lead() => Assert.Equal("Every lead", RoutingWords.DescribeAll([]));

    [Fact]
    public void Working_hours_group_consecutive_days_with_the_same_hours()
    {
        var spec = new Dictionary<string, string[]>
        {
            ["mon"] = ["09:00-17:00"], ["tue"] = ["09:00-17:00"], ["wed"] = ["09:00-17:00"], ["fri"] = ["09:00-12:00", "13:00-15:00"],
        };

        Assert.Equal("Mon–Wed 09:00-17:00; Fri 09:00-12:00, 13:00-15:00", RoutingWords.Hours(spec));
        Assert.Equal("Any time", RoutingWords.Hours(null));
    }

    [Fact]
    public void Rep_hours_typed_per_day_become_the_api_spec_and_all_blank_means_any_time()
    {
        var form = new RepForm { TimeZone = " Europe/Berlin ", Capacity = " 20 ", DailyQuota = "", Weight = "3" };
        form.Days[0] = "09:00-12:00, 13:00-17:00";
        form.Days[4] = "09:00-15:00";

        var (input, outcome) = form.ToInput();
        var (anyTime, _) = new RepForm().ToInput();

        Assert.True(outcome.Succeeded);
        Assert.Equal(["09:00-12:00", "13:00-17:00"], input!.WorkingHours!["mon"]);
        Assert.Equal(["mon", "fri"], input.WorkingHours.Keys);
        Assert.Equal((20, (int?)null, 3, "Europe/Berlin"), (input.Capacity!.Value, input.DailyQuota, input.Weight!.Value, input.TimeZone));
        Assert.Empty(anyTime!.WorkingHours!);
    }

    [Fact]
    public void Rep_limits_that_are_not_whole_numbers_are_refused_by_field()
    {
        var (input, outcome) = new RepForm { Capacity = "ten", DailyQuota = "-1", Weight = "2.5" }.ToInput();

        Assert.Null(input);
        Assert.Equal(["capacity", "dailyQuota", "weight"], outcome.Errors.Keys.Order());
    }

    [Fact]
    public void Time_off_is_read_on_the_reps_wall_clock()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        var (input, outcome) = new TimeOffForm { StartsAt = "2026-07-01T09:00", EndsAt = "2026-07-03T17:30" }.ToInput(berlin);
        var (_, missing) = new TimeOffForm { StartsAt = "soon" }.ToInput(berlin);

        Assert.True(outcome.Succeeded);
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 7, 0, 0, TimeSpan.Zero), input!.StartsAt!.Value.ToUniversalTime());
        Assert.Equal(new DateTimeOffset(2026, 7, 3, 15, 30, 0, TimeSpan.Zero), input.EndsAt!.Value.ToUniversalTime());
        Assert.Contains("is not a date and time", missing["startsAt"]);
        Assert.Contains("is required", missing["endsAt"]);
    }

    [Fact]
    public void A_wall_clock_time_skipped_by_daylight_saving_moves_forward_and_a_repeated_one_takes_the_earlier_instant()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        var skipped = TimeOffForm.AtWallClock(new DateTime(2026, 3, 29, 2, 15, 0), berlin);
        var repeated = TimeOffForm.AtWallClock(new DateTime(2026, 10, 25, 2, 30, 0), berlin);

        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), skipped.ToUniversalTime());
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), repeated.ToUniversalTime());
    }

    [Theory]
    [InlineData("admin", 1, 9, true)]
    [InlineData("sales_rep", 5, 5, true)]
    [InlineData("sales_rep", 5, 6, false)]
    [InlineData("sales_manager", 2, 6, true)]
    [InlineData("sales_manager", 2, 7, false)]
    [InlineData("marketing", 3, 6, false)]
    public void Time_off_is_kept_by_the_rep_their_manager_or_an_admin(string role, long me, long rep, bool allowed) =>
        Assert.Equal(allowed, TimeOffAccess.MayManage(role, me, rep, new HashSet<long> { 5, 6 }));

    [Fact]
    public void The_next_turn_goes_to_the_first_available_member_after_the_last_one()
    {
        Assert.Equal((7L, true), RotationPreview.NextInTurn([3, 7, 9], 3, _ => true));
        Assert.Equal((9L, true), RotationPreview.NextInTurn([3, 7, 9], 3, id => id != 7));
        Assert.Equal((3L, true), RotationPreview.NextInTurn([9, 3, 7], 9, _ => true));
        Assert.Equal((7L, false), RotationPreview.NextInTurn([3, 7, 9], 3, _ => false));
        Assert.Null(RotationPreview.NextInTurn([], null, _ => true));
    }
}
