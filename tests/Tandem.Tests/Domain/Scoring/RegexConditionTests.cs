using Tandem.Domain.Scoring;

namespace Tandem.Tests.Domain.Scoring;

/// <summary>User-written scoring regexes run in linear time, with a short timeout and a length cap, and are checked when a model is saved.</summary>
public sealed class RegexConditionTests
{
    private sealed class Title(string value) : IFieldSource
    {
        public string? Get(string field) => field == "title" ? value : null;
    }

    [Fact]
    public void A_pattern_that_backtracks_catastrophically_still_finds_its_match()
    {
        // On a backtracking engine the first alternative explores 2^40 ways to split the a's and the match times out
        // (counted as no match); the linear-time engine finds the 'x'.
        var condition = new Condition { Field = "title", Op = "regex", Value = "^(a+)+$|x" };

        Assert.True(condition.Holds(new Title(new string('a', 40) + "!x")));
        Assert.False(condition.Holds(new Title(new string('a', 40) + "!")));
    }

    [Fact]
    public void Patterns_are_limited_in_length_and_to_what_the_linear_engine_runs()
    {
        Assert.Throws<ArgumentException>(() => Condition.RegexFor(new string('a', Condition.MaxPatternLength + 1)));
        Assert.Throws<NotSupportedException>(() => Condition.RegexFor("(a)\\1"));
        Assert.True(Condition.RegexFor("head of (data|analytics)").Options.HasFlag(System.Text.RegularExpressions.RegexOptions.NonBacktracking));
        Assert.True(Condition.RegexFor("vp|chief").MatchTimeout <= TimeSpan.FromMilliseconds(100));
        var stored = new Condition { Field = "title", Op = "regex", Value = "(vp)\\1" };
        Assert.False(stored.Holds(new Title("vpvp")));
    }
}
