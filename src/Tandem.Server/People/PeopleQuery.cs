using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Tandem.Domain.Identity;
using Tandem.Domain.Import;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.People;

/// <summary>
/// Which people to list: the one filter behind the API list (GET /api/v1/people), the CSV exports (API, web page and
/// command line) and the web people list, so the same filter finds the same people on every path.
/// <see cref="Parse"/> reads it from text, naming the field and the reason for every value it cannot use;
/// <see cref="ToSql"/> turns it into a parameterised WHERE over people aliased "p".
/// </summary>
internal sealed partial record PeopleQuery
{
    /// <summary>The filters by the name they take in an address or a --filter pair, in the order an address lists them.</summary>
    public static readonly IReadOnlyList<(string Name, string Means)> Filters =
    [
        ("q", "Text in the full name, email or company."),
        ("stage", "Lifecycle stages, comma-separated."),
        ("grade", "Fit grades A, B, C or D, comma-separated."),
        ("owner", "The owner's user id, 'none' for leads nobody owns, or 'me' for the signed-in user."),
        ("source", "The first-touch channel."),
        ("persona", "A persona's name."),
        ("email", "Exactly this email address."),
        ("channel", "The first- or last-touch channel."),
        ("country", "The country, in any case."),
        ("accountId", "The account's id."),
        ("ownerId", "The owner's user id (the same as owner with an id)."),
        ("cell", "Cells of the grade × engagement matrix (A1 … D4), comma-separated."),
        ("meetsMql", "true or false: whether the person meets the MQL definition."),
        ("minEngagement", "The least engagement score, 0 to 100."),
        ("minProbability", "The least conversion probability under the active model, 0 to 1 (people without a prediction are left out)."),
        ("createdAfter", "Created at or after this instant."),
        ("createdBefore", "Created before this instant."),
        ("updatedSince", "Updated at or after this instant."),
        ("campaign", "The first-touch campaign."),
        ("team", "The owning team's id, or 'none' for leads no team holds."),
        ("reached", "Stages the person has reached (entered, or passed on the way to a later one), comma-separated: all of them."),
        ("reachedAfter", "The first stage in reached was first reached at or after this instant."),
        ("reachedBefore", "The first stage in reached was first reached before this instant."),
    ];

    public static readonly IReadOnlyList<string> Grades = ["A", "B", "C", "D"];

    /// <summary>Matched against the full name, email and company, ignoring case.</summary>
    public string? Search { get; init; }
    public IReadOnlyList<Stage> Stages { get; init; } = [];
    public IReadOnlyList<string> FitGrades { get; init; } = [];
    public IReadOnlyList<string> Cells { get; init; } = [];
    public long? OwnerId { get; init; }
    /// <summary>Only leads nobody owns.</summary>
    public bool Unowned { get; init; }
    /// <summary>The first-touch channel.</summary>
    public string? Source { get; init; }
    /// <summary>The first- or the last-touch channel.</summary>
    public string? Channel { get; init; }
    public string? Persona { get; init; }
    /// <summary>Normalized, as people's emails are stored.</summary>
    public string? Email { get; init; }
    public string? Country { get; init; }
    public long? AccountId { get; init; }
    public bool? MeetsMql { get; init; }
    public int? MinEngagement { get; init; }
    public double? MinProbability { get; init; }
    public DateTimeOffset? CreatedAfter { get; init; }
    public DateTimeOffset? CreatedBefore { get; init; }
    public DateTimeOffset? UpdatedSince { get; init; }
    /// <summary>The first-touch campaign.</summary>
    public string? Campaign { get; init; }
    public long? TeamId { get; init; }
    /// <summary>Only leads no team holds.</summary>
    public bool NoTeam { get; init; }
    /// <summary>Stages the person has reached, as the funnel counts them (Reports/StageReached.cs); all must be.</summary>
    public IReadOnlyList<Stage> Reached { get; init; } = [];
    /// <summary>Bounds when the first of <see cref="Reached"/> was first reached.</summary>
    public DateTimeOffset? ReachedAfter { get; init; }
    public DateTimeOffset? ReachedBefore { get; init; }

    /// <summary>
    /// Reads the filters from their text (<paramref name="valueOf"/> answers a filter's value by name, null or blank
    /// when absent). Every value that cannot be used adds a reason under its field to <paramref name="v"/>.
    /// </summary>
    /// <param name="signedInUserId">Who "owner=me" is; null where nobody is signed in (an API key, the command line).</param>
    public static PeopleQuery Parse(Func<string, string?> valueOf, Validation v, long? signedInUserId = null)
    {
        string? Text(string name) => valueOf(name) is { } raw && raw.Trim() is { Length: > 0 } text ? text : null;

        var stages = new List<Stage>();
        foreach (var s in List(Text("stage")))
            if (Domain.Lifecycle.Stages.TryParse(s, out var stage)) stages.Add(stage);
            else v.Add("stage", $"'{s}' is not a stage; use one of: {string.Join(", ", Domain.Lifecycle.Stages.Names)}.");
        var grades = List(Text("grade")).Select(g => g.ToUpperInvariant()).ToList();
        foreach (var bad in grades.Where(g => !Grades.Contains(g))) v.Add("grade", $"'{bad}' is not a grade; use A, B, C or D.");
        var cells = List(Text("cell")).Select(c => c.ToUpperInvariant()).ToList();
        foreach (var bad in cells.Where(c => !CellPattern().IsMatch(c))) v.Add("cell", $"'{bad}' is not a cell of the grade × engagement matrix (A1 … D4).");

        long? ownerId = null;
        var unowned = false;
        switch (Text("owner"))
        {
            case null: break;
            case var o when o.Equals("none", StringComparison.OrdinalIgnoreCase): unowned = true; break;
            case var o when o.Equals("me", StringComparison.OrdinalIgnoreCase):
                if (signedInUserId is null) v.Add("owner", "'me' is the signed-in user, and an API key or the command line is none; give the owner's user id.");
                ownerId = signedInUserId;
                break;
            case var o when TryId(o, out var id): ownerId = id; break;
            case var o: v.Add("owner", $"'{o}' is not an owner; use a user's id, none or me."); break;
        }
        if (Text("ownerId") is { } ownerIdText)
        {
            if (Text("owner") is not null) v.Add("ownerId", "Give owner or ownerId, not both.");
            else ownerId = Id("ownerId", ownerIdText, v);
        }

        string? email = null;
        if (Text("email") is { } emailText)
        {
            if (EmailAddress.TryParse(emailText, out var parsed)) email = parsed.Value;
            else v.Add("email", "Not a valid email address.");
        }
        bool? meetsMql = null;
        if (Text("meetsMql") is { } mql)
        {
            if (CellValues.TryBoolean(mql, out var meets)) meetsMql = meets;
            else v.Add("meetsMql", "Expected true or false.");
        }
        int? minEngagement = null;
        if (Text("minEngagement") is { } min)
        {
            if (!int.TryParse(min, NumberStyles.Integer, CultureInfo.InvariantCulture, out var least)) v.Add("minEngagement", "Expected a number.");
            else if (least is < 0 or > 100) v.Add("minEngagement", "Must be between 0 and 100.");
            else minEngagement = least;
        }
        double? minProbability = null;
        if (Text("minProbability") is { } minP)
        {
            if (!double.TryParse(minP, NumberStyles.Float, CultureInfo.InvariantCulture, out var leastP)) v.Add("minProbability", "Expected a number.");
            else if (leastP is < 0 or > 1) v.Add("minProbability", "Must be between 0 and 1.");
            else minProbability = leastP;
        }

        var reached = new List<Stage>();
        foreach (var s in List(Text("reached")))
            if (Domain.Lifecycle.Stages.TryParse(s, out var stage)) reached.Add(stage);
            else v.Add("reached", $"'{s}' is not a stage; use one of: {string.Join(", ", Domain.Lifecycle.Stages.Names)}.");
        if (reached.Count == 0 && (Text("reachedAfter") ?? Text("reachedBefore")) is not null)
            v.Add("reached", "reachedAfter and reachedBefore bound when a stage was reached; name the stage in reached.");
        long? teamId = null;
        var noTeam = false;
        if (Text("team") is { } team)
        {
            if (team.Equals("none", StringComparison.OrdinalIgnoreCase)) noTeam = true;
            else if (TryId(team, out var id)) teamId = id;
            else v.Add("team", $"'{team}' is not a team; use a team's id or none.");
        }

        return new PeopleQuery
        {
            // Runs of spaces count as one, so a pasted "Ada  Lovelace" still finds her.
            Search = Text("q") is { } q ? string.Join(' ', q.Split(' ', StringSplitOptions.RemoveEmptyEntries)) : null,
            Stages = stages, FitGrades = grades, Cells = cells, OwnerId = ownerId, Unowned = unowned,
            Source = Text("source"), Channel = Text("channel"), Persona = Text("persona"), Email = email, Country = Text("country"),
            AccountId = Text("accountId") is { } account ? Id("accountId", account, v) : null,
            MeetsMql = meetsMql, MinEngagement = minEngagement, MinProbability = minProbability,
            CreatedAfter = Instant("createdAfter", Text("createdAfter"), v),
            CreatedBefore = Instant("createdBefore", Text("createdBefore"), v),
            UpdatedSince = Instant("updatedSince", Text("updatedSince"), v),
            Campaign = Text("campaign"), TeamId = teamId, NoTeam = noTeam, Reached = reached,
            ReachedAfter = Instant("reachedAfter", Text("reachedAfter"), v),
            ReachedBefore = Instant("reachedBefore", Text("reachedBefore"), v),
        };
    }

    /// <summary>Reads the command line's "--filter key=value" pairs (keys in any case); a key given twice keeps its last value.</summary>
    public static PeopleQuery ParsePairs(IEnumerable<string> pairs, Validation v)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) { v.Add("filter", $"'{pair}' is not key=value."); continue; }
            var key = pair[..eq].Trim();
            if (Filters.Any(f => f.Name.Equals(key, StringComparison.OrdinalIgnoreCase))) values[key] = pair[(eq + 1)..];
            else v.Add("filter", $"'{key}' is not a filter; use {string.Join(", ", Filters.SkipLast(1).Select(f => f.Name))} or {Filters[^1].Name}.");
        }
        return Parse(name => values.GetValueOrDefault(name), v);
    }

    /// <summary>
    /// The WHERE clause over people aliased "p" (live people only, never merged-away ones) and its parameters:
    /// every value the filter carries is a parameter, never part of the SQL text.
    /// </summary>
    public (string Where, DynamicParameters Args) ToSql(SqlDialect dialect)
    {
        var sql = new StringBuilder("p.merged_into_id IS NULL AND p.erased_at IS NULL");
        var args = new DynamicParameters();
        void And(string condition, string? name = null, object? value = null)
        {
            sql.Append(" AND ").Append(condition);
            if (name is not null) args.Add(name, value);
        }

        if (Search is not null)
            // The full name rather than first and last apart, so "Ada Lovelace" finds Ada Lovelace. LIKE's wildcards are dropped from the text.
            And("(LOWER(p.email) LIKE @q OR LOWER(p.company) LIKE @q OR LOWER(COALESCE(p.first_name, '') || ' ' || COALESCE(p.last_name, '')) LIKE @q)",
                "q", "%" + Search.ToLowerInvariant().Replace("%", "").Replace("_", "") + "%");
        if (Stages.Count > 0) And(dialect.In("p.stage", "@stages"), "stages", Stages.Select(s => s.ToString()).ToArray());
        if (FitGrades.Count > 0) And(dialect.In("p.fit_grade", "@grades"), "grades", FitGrades.ToArray());
        if (Cells.Count > 0) And(dialect.In("p.score_cell", "@cells"), "cells", Cells.ToArray());
        if (Unowned) And("p.owner_id IS NULL");
        else if (OwnerId is { } ownerId) And("p.owner_id = @ownerId", "ownerId", ownerId);
        if (Source is not null) And("p.first_touch_channel = @source", "source", Source);
        if (Channel is not null) And("(p.first_touch_channel = @channel OR p.last_touch_channel = @channel)", "channel", Channel);
        if (Persona is not null)
            // personas holds a JSON array of names: matching the quoted name keeps "Data" from matching "Data Lead".
            And("p.personas LIKE @persona ESCAPE '\\'", "persona",
                "%" + JsonSerializer.Serialize(Persona).Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%");
        if (Email is not null) And("p.email = @email", "email", Email);
        if (Country is not null) And("LOWER(p.country) = LOWER(@country)", "country", Country);
        if (AccountId is { } accountId) And("p.account_id = @accountId", "accountId", accountId);
        if (MeetsMql is { } meets) And("p.meets_mql = @meetsMql", "meetsMql", meets ? 1L : 0L);
        if (MinEngagement is { } min) And("p.engagement_score >= @minEngagement", "minEngagement", (long)min);
        if (MinProbability is { } minP) And("p.conversion_probability >= @minProbability", "minProbability", minP);
        if (CreatedAfter is { } after) And("p.created_at >= @createdAfter", "createdAfter", after.ToUnixTimeMilliseconds());
        if (CreatedBefore is { } before) And("p.created_at < @createdBefore", "createdBefore", before.ToUnixTimeMilliseconds());
        if (UpdatedSince is { } since) And("p.updated_at >= @updatedSince", "updatedSince", since.ToUnixTimeMilliseconds());
        if (Campaign is not null) And($"{dialect.JsonText("p.first_touch", "campaign")} = @campaign", "campaign", Campaign);
        if (NoTeam) And("p.owner_team_id IS NULL");
        else if (TeamId is { } teamId) And("p.owner_team_id = @teamId", "teamId", teamId);
        for (var i = 0; i < Reached.Count; i++)
        {
            // Only the first stage's date is bounded: "reached MQL in March, and SQL since" is the MQL cohort's drill-down.
            var when = "";
            if (i == 0 && ReachedAfter is { } from) { when += " AND r0.reached_at >= @reachedAfter"; args.Add("reachedAfter", from.ToUnixTimeMilliseconds()); }
            if (i == 0 && ReachedBefore is { } to) { when += " AND r0.reached_at < @reachedBefore"; args.Add("reachedBefore", to.ToUnixTimeMilliseconds()); }
            And($"EXISTS (SELECT 1 FROM stage_reached r{i} WHERE r{i}.person_id = p.id AND r{i}.stage = @reached{i}{when})", $"reached{i}", Reached[i].ToString());
        }
        return (sql.ToString(), args);
    }

    private static string[] List(string? text) =>
        text?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    private static bool TryId(string text, out long id) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out id);

    private static long? Id(string field, string text, Validation v)
    {
        if (TryId(text, out var id)) return id;
        v.Add(field, "Expected a number.");
        return null;
    }

    private static DateTimeOffset? Instant(string field, string? text, Validation v)
    {
        if (text is null) return null;
        if (CellValues.TryInstant(text, out var at)) return at;
        v.Add(field, "Expected a date such as 2024-03-05 or 2024-03-05T14:22:00Z.");
        return null;
    }

    [GeneratedRegex("^[ABCD][1-9]$")]
    private static partial Regex CellPattern();
}
