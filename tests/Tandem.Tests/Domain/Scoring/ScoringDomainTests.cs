using Tandem.Domain.Scoring;
using Tandem.Server.Scoring;

namespace Tandem.Tests.Domain.Scoring;

public class FitScorerTests
{
    private static readonly ScoringModel Model = ScoringModels.BuiltIn("b2b-default");

    private static FieldBag Person(params (string Field, string? Value)[] fields) => new(fields.ToDictionary(f => f.Field, f => f.Value));

    [Fact]
    public void A_head_of_data_at_a_mid_market_software_company_is_grade_A_and_matches_the_data_leader_persona()
    {
        var fit = FitScorer.Score(Model, Person(("title", "Head of Data"), ("companySize", "201-1000"), ("industry", "Software"),
            ("email", "ana@northwind.com"), ("phone", "+1 555")));

        Assert.Equal("A", fit.Grade);
        Assert.Equal(30 + 20 + 10 + 10 + 5, fit.Score);
        Assert.Equal(["Data leader"], fit.Personas);
        Assert.Contains(fit.Points, p => p.RuleId == "persona-data-leader" && p.Points == 30);
    }

    [Fact]
    public void Negative_rules_pull_a_student_on_free_mail_down_to_D()
    {
        var fit = FitScorer.Score(Model, Person(("title", "Student"), ("email", "kim@gmail.com"), ("companySize", "51-200")));

        Assert.Equal("D", fit.Grade);
        Assert.Contains(fit.Points, p => p.RuleId == "neg-student" && p.Points == -40);
        Assert.DoesNotContain(fit.Points, p => p.RuleId == "business-email");
    }

    [Theory]
    [InlineData("51-200", true)]
    [InlineData("5000+", true)]
    [InlineData("11-50", false)]
    [InlineData("", false)]
    public void Range_conditions_read_the_leading_number_of_a_band(string size, bool midMarketOrBigger)
    {
        var fit = FitScorer.Score(Model, Person(("companySize", size)));
        Assert.Equal(midMarketOrBigger, fit.Points.Any(p => p.RuleId.StartsWith("size-")));
    }

    [Fact]
    public void Conditions_cover_every_operator()
    {
        var person = Person(("title", "VP Engineering"), ("country", "Germany"), ("email", "x@outlook.com"), ("custom.seats", "1,200"));
        Assert.True(new Condition { Field = "country", Op = "equals", Value = "germany" }.Holds(person));
        Assert.True(new Condition { Field = "country", Op = "in", Values = ["France", "Germany"] }.Holds(person));
        Assert.True(new Condition { Field = "title", Op = "contains", Value = "engineer" }.Holds(person));
        Assert.True(new Condition { Field = "title", Op = "regex", Value = "^vp\\b" }.Holds(person));
        Assert.True(new Condition { Field = "custom.seats", Op = "range", Min = 1000, Max = 5000 }.Holds(person));
        Assert.True(new Condition { Field = "email", Op = "freeMail" }.Holds(person));
        Assert.True(new Condition { Field = "phone", Op = "exists", Not = true }.Holds(person));
        Assert.False(new Condition { Field = "phone", Op = "equals", Value = "" }.Holds(person));
    }
}

public class EngagementScorerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    private static readonly ScoringModel Model = new()
    {
        Name = "test",
        Engagement =
        [
            new EngagementRule("pricing", "Visited pricing", "page_view", [new Condition { Field = "url", Op = "contains", Value = "/pricing" }], 20,
                HalfLifeDays: 14, CapPerDay: 1, CapLifetime: 3),
            new EngagementRule("bounce", "Email bounced", "email_bounced", [], -10),
        ],
    };

    [Fact]
    public void A_pricing_visit_worth_20_halves_every_14_days()
    {
        RuleHit[] hits = [new(0, Ms(T0), 1)];
        Assert.Equal(20, EngagementScorer.Score(Model, hits, Ms(T0)).Raw, 6);
        Assert.Equal(10, EngagementScorer.Score(Model, hits, Ms(T0.AddDays(14))).Raw, 6);
        Assert.Equal(5, EngagementScorer.Score(Model, hits, Ms(T0.AddDays(28))).Raw, 6);
    }

    [Fact]
    public void The_daily_cap_counts_only_the_first_visit_of_a_day_and_the_lifetime_cap_the_first_three()
    {
        var hits = new List<RuleHit>();
        for (var day = 0; day < 5; day++)
            for (var visit = 0; visit < 3; visit++) hits.Add(new RuleHit(0, Ms(T0.AddDays(day).AddMinutes(visit)), day * 10 + visit));

        var result = EngagementScorer.Score(Model, hits, Ms(T0.AddDays(4).AddHours(1)), explain: true);

        var counted = result.Awards.Where(a => a.CappedBy is null).ToList();
        Assert.Equal(3, counted.Count);
        Assert.Equal([0L, 10, 20], counted.Select(a => a.ActivityId).Order());
        Assert.Contains(result.Awards, a => a.CappedBy == "daily cap of 1");
        Assert.Contains(result.Awards, a => a.CappedBy == "lifetime cap of 3");
        Assert.InRange(result.Raw - counted.Sum(a => a.ValueNow), -0.05, 0.05);
    }

    [Fact]
    public void Engagement_at_an_instant_is_the_sum_of_each_award_decayed_to_that_instant_and_can_be_carried_forward()
    {
        RuleHit[] hits = [new(0, Ms(T0), 1), new(0, Ms(T0.AddDays(7)), 2), new(1, Ms(T0.AddDays(7)), 3)];
        var at = Ms(T0.AddDays(14));
        var result = EngagementScorer.Score(Model, hits, at);
        Assert.Equal(10 + 20 * Math.Pow(0.5, 0.5) - 10, result.Raw, 6);

        var later = Ms(T0.AddDays(28));
        Assert.Equal(EngagementScorer.Score(Model, hits, later).Raw, EngagementResult.CarryForward(result.Decay, at, later), 6);
    }

    [Fact]
    public void Negative_engagement_never_takes_the_normalized_score_below_zero()
    {
        var result = EngagementScorer.Score(Model, [new RuleHit(1, Ms(T0), 1)], Ms(T0));
        Assert.Equal(-10, result.Raw);
        Assert.Equal(0, result.Normalized);
    }
}

public class MatrixAndMqlTests
{
    private static readonly ScoringModel Model = ScoringModels.BuiltIn("b2b-default");

    [Theory]
    [InlineData("A", 80, "A1", true)]
    [InlineData("A", 55, "A2", true)]
    [InlineData("A", 30, "A3", false)]
    [InlineData("B", 40, "B3", true)]
    [InlineData("B", 39, "B3", false)]
    [InlineData("C", 90, "C1", false)]
    [InlineData("D", 10, "D4", false)]
    public void The_shared_definition_is_grade_B_or_better_with_engagement_40_or_any_A1_A2(string grade, int engagement, string cell, bool mql)
    {
        var fit = new FitResult(0, grade, [], []);
        var score = Scorer.Combine(Model, fit, new EngagementResult(engagement, engagement, [], []));
        Assert.Equal(cell, score.Cell);
        Assert.Equal(mql, score.MeetsMql);
    }
}

public class ModelValidatorTests
{
    [Fact]
    public void Both_built_in_models_are_valid()
    {
        Assert.Empty(ModelValidator.Validate(ScoringModels.BuiltIn("b2b-default")));
        Assert.Empty(ModelValidator.Validate(ScoringModels.BuiltIn("x-education")));
    }

    [Fact]
    public void Each_problem_names_where_it_is()
    {
        var model = new ScoringModel
        {
            Name = "",
            Fit = [new FitRule("a", "A", [new Condition { Field = "title", Op = "regex", Value = "(" }], 10), new FitRule("a", "Dup", [new Condition { Field = "x", Op = "near" }], 0)],
            Engagement = [new EngagementRule("e", "E", "page_view", [], 5, HalfLifeDays: 0, CapPerDay: 0)],
            Mql = new MqlDefinition { Any = [new MqlClause { Cells = ["E9"] }] },
        };
        var paths = ModelValidator.Validate(model).Select(p => p.Path).ToList();
        Assert.Contains("name", paths);
        Assert.Contains("fit[0].when[0].value", paths);
        Assert.Contains("fit[1].id", paths);
        Assert.Contains("fit[1].points", paths);
        Assert.Contains("fit[1].when[0].op", paths);
        Assert.Contains("engagement[0].halfLifeDays", paths);
        Assert.Contains("engagement[0].capPerDay", paths);
        Assert.Contains("mql.any[0].cells", paths);
    }
}
