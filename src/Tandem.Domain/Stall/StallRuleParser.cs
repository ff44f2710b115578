using System.Text.Json;
using System.Text.RegularExpressions;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Sla;

namespace Tandem.Domain.Stall;

/// <summary>
/// Reads a set of stall rules from its JSON and checks it, naming every problem by its path ("rules[1].days").
/// A set with problems is never returned half-read. <see cref="Write"/> gives the same JSON back.
/// </summary>
public static partial class StallRuleParser
{
    public sealed record Problem(string Path, string Message);

    public static readonly IReadOnlyDictionary<string, StallKind> KindNames = new Dictionary<string, StallKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["noOwnerTouch"] = StallKind.NoOwnerTouch, ["noActivity"] = StallKind.NoActivity, ["recycledFor"] = StallKind.RecycledFor,
        ["cooling"] = StallKind.Cooling, ["mqlUntouched"] = StallKind.MqlUntouched, ["lostDeal"] = StallKind.LostDeal,
    };

    public static readonly IReadOnlyDictionary<string, StallAction> ActionNames = new Dictionary<string, StallAction>(StringComparer.OrdinalIgnoreCase)
    {
        ["remindOwner"] = StallAction.RemindOwner, ["notifyManager"] = StallAction.NotifyManager, ["reassign"] = StallAction.Reassign,
        ["enrollRevival"] = StallAction.EnrollRevival, ["createTask"] = StallAction.CreateTask, ["recycle"] = StallAction.Recycle,
    };

    private static readonly string[] RuleKeys =
    [
        "key", "name", "kind", "stages", "segment", "hours", "days", "calendarId", "coolingFrom", "coolingBelow", "actions", "revivalProgramId",
        "task", "disqualifyWhenProgramEnds",
    ];

    /// <summary>The stages a kind watches when the rule does not say, and the only ones it may watch.</summary>
    public static IReadOnlyList<Stage> StagesOf(StallKind kind) => kind switch
    {
        StallKind.NoOwnerTouch => [Stage.MQL, Stage.SAL, Stage.SQL, Stage.Opportunity],
        StallKind.NoActivity => [Stage.SAL, Stage.SQL, Stage.Opportunity],
        StallKind.RecycledFor or StallKind.LostDeal => [Stage.Recycled],
        StallKind.MqlUntouched => [Stage.MQL],
        _ => [Stage.Lead, Stage.MQL, Stage.SAL, Stage.SQL, Stage.Opportunity],
    };

    public static bool CountsHours(StallKind kind) => kind is StallKind.NoOwnerTouch or StallKind.MqlUntouched;

    public static (StallRuleSet? Set, IReadOnlyList<Problem> Problems) Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return Parse(doc.RootElement);
        }
        catch (JsonException e)
        {
            return (null, [new Problem("", $"Not valid JSON: {e.Message}")]);
        }
    }

    public static (StallRuleSet? Set, IReadOnlyList<Problem> Problems) Parse(JsonElement root)
    {
        var p = new List<Problem>();
        void Add(string path, string message) => p.Add(new Problem(path, message));
        if (root.ValueKind != JsonValueKind.Object) return (null, [new Problem("", "A stall rule set is a JSON object with rules (and revivedSlaPolicyId).")]);
        foreach (var prop in root.EnumerateObject())
            if (prop.Name is not ("rules" or "revivedSlaPolicyId")) Add(prop.Name, "Unknown key; a rule set has rules and revivedSlaPolicyId.");
        var policy = OptionalId(root, "revivedSlaPolicyId", "revivedSlaPolicyId", Add);
        var rules = new List<StallRule>();
        if (!root.TryGetProperty("rules", out var list) || list.ValueKind != JsonValueKind.Array) Add("rules", "A list of rules (it may be empty).");
        else
        {
            var i = 0;
            foreach (var r in list.EnumerateArray())
            {
                if (ParseRule(r, $"rules[{i}]", Add) is { } rule)
                {
                    if (rules.Any(x => x.Key == rule.Key)) Add($"rules[{i}].key", $"Another rule already has the key '{rule.Key}'.");
                    rules.Add(rule);
                }
                i++;
            }
        }
        return p.Count > 0 ? (null, p) : (new StallRuleSet(rules, policy), p);
    }

    private static StallRule? ParseRule(JsonElement r, string at, Action<string, string> add)
    {
        if (r.ValueKind != JsonValueKind.Object)
        {
            add(at, "A rule is an object with key, name, kind, a threshold and actions.");
            return null;
        }
        var failed = false;
        void Add(string path, string message) { failed = true; add(path, message); }
        foreach (var prop in r.EnumerateObject())
            if (!RuleKeys.Contains(prop.Name)) Add($"{at}.{prop.Name}", $"Unknown key; a rule has {string.Join(", ", RuleKeys)}.");

        var key = Text(r, "key");
        if (key is null || !KeyPattern().IsMatch(key)) Add($"{at}.key", "A short key of lowercase letters, digits and dashes (it names the rule across versions).");
        var name = Text(r, "name");
        if (string.IsNullOrWhiteSpace(name) || name.Length > 120) Add($"{at}.name", "A name of 1 to 120 characters.");
        var kindText = Text(r, "kind");
        StallKind kind = default;
        if (kindText is null || !KindNames.TryGetValue(kindText, out kind))
        {
            Add($"{at}.kind", $"One of: {string.Join(", ", KindNames.Keys)}.");
            return null;
        }

        var allowed = StagesOf(kind);
        var stages = new List<Stage>();
        if (r.TryGetProperty("stages", out var s))
        {
            if (s.ValueKind != JsonValueKind.Array || s.GetArrayLength() == 0) Add($"{at}.stages", $"A non-empty list of stages among: {string.Join(", ", allowed)}.");
            else
            {
                var i = 0;
                foreach (var st in s.EnumerateArray())
                {
                    if (st.ValueKind != JsonValueKind.String || !Stages.TryParse(st.GetString(), out var stage) || !allowed.Contains(stage))
                        Add($"{at}.stages[{i}]", $"A {kindText} rule watches these stages only: {string.Join(", ", allowed)}.");
                    else if (!stages.Contains(stage)) stages.Add(stage);
                    i++;
                }
            }
        }
        else stages.AddRange(allowed);

        var segment = SlaSegment.Everyone;
        if (r.TryGetProperty("segment", out var seg))
        {
            if (seg.ValueKind != JsonValueKind.Object) Add($"{at}.segment", "An object with grades, sources and teamIds (each a list; empty means any).");
            else
            {
                foreach (var prop in seg.EnumerateObject())
                    if (prop.Name is not ("grades" or "sources" or "teamIds")) Add($"{at}.segment.{prop.Name}", "Unknown key; a segment has grades, sources and teamIds.");
                var grades = Strings(seg, "grades", $"{at}.segment.grades", Add);
                foreach (var g in grades)
                    if (g is not ("A" or "B" or "C" or "D")) Add($"{at}.segment.grades", $"'{g}' is not a fit grade; use A, B, C or D.");
                var sources = Strings(seg, "sources", $"{at}.segment.sources", Add);
                var teams = new List<long>();
                if (seg.TryGetProperty("teamIds", out var t))
                {
                    if (t.ValueKind != JsonValueKind.Array) Add($"{at}.segment.teamIds", "A list of team ids.");
                    else foreach (var id in t.EnumerateArray())
                        if (id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var v) && v > 0) teams.Add(v);
                        else Add($"{at}.segment.teamIds", "A list of team ids (positive whole numbers).");
                }
                segment = new SlaSegment(grades, sources, teams);
            }
        }

        var amount = 0;
        int? coolingFrom = null, coolingBelow = null;
        if (kind == StallKind.Cooling)
        {
            coolingFrom = Number(r, "coolingFrom", $"{at}.coolingFrom", 1, 100, "The engagement the lead once reached, 1 to 100.", Add);
            coolingBelow = Number(r, "coolingBelow", $"{at}.coolingBelow", 1, 100, "The engagement it has fallen below, 1 to 100.", Add);
            if (coolingFrom is { } f && coolingBelow is { } b && b > f) Add($"{at}.coolingBelow", "Cooling falls: coolingBelow must not be above coolingFrom.");
            foreach (var n in new[] { "hours", "days" })
                if (r.TryGetProperty(n, out _)) Add($"{at}.{n}", "A cooling rule has coolingFrom and coolingBelow, no time threshold.");
        }
        else
        {
            var (field, other, max) = CountsHours(kind) ? ("hours", "days", 2000) : ("days", "hours", 3650);
            if (r.TryGetProperty(other, out _)) Add($"{at}.{other}", $"A {kindText} rule counts {field}, not {other}.");
            amount = Number(r, field, $"{at}.{field}", 1, max, $"How many {(field == "hours" ? "business hours" : "days")}, 1 to {max}.", Add) ?? 0;
        }
        var calendar = OptionalId(r, "calendarId", $"{at}.calendarId", Add);

        var actions = new List<StallAction>();
        if (!r.TryGetProperty("actions", out var a) || a.ValueKind != JsonValueKind.Array)
            Add($"{at}.actions", $"A list of actions, in the order they run: {string.Join(", ", ActionNames.Keys)} (it may be empty: record only).");
        else
        {
            var i = 0;
            foreach (var act in a.EnumerateArray())
            {
                if (act.ValueKind != JsonValueKind.String || !ActionNames.TryGetValue(act.GetString()!, out var action))
                    Add($"{at}.actions[{i}]", $"One of: {string.Join(", ", ActionNames.Keys)}.");
                else if (actions.Contains(action)) Add($"{at}.actions[{i}]", "Each action runs once; it is already listed.");
                else if (action == StallAction.Recycle && kind is StallKind.RecycledFor or StallKind.LostDeal)
                    Add($"{at}.actions[{i}]", "The lead is already recycled; recycle is for rules that watch other stages.");
                else actions.Add(action);
                i++;
            }
        }

        var program = OptionalId(r, "revivalProgramId", $"{at}.revivalProgramId", Add);
        if (actions.Contains(StallAction.EnrollRevival) && program is null) Add($"{at}.revivalProgramId", "enrollRevival needs the revival program's id.");
        string? title = null;
        var due = 24;
        if (r.TryGetProperty("task", out var task))
        {
            if (task.ValueKind != JsonValueKind.Object) Add($"{at}.task", "An object with title and dueInHours.");
            else
            {
                title = Text(task, "title");
                if (string.IsNullOrWhiteSpace(title) || title.Length > 200) Add($"{at}.task.title", "A title of 1 to 200 characters.");
                if (task.TryGetProperty("dueInHours", out _))
                    due = Number(task, "dueInHours", $"{at}.task.dueInHours", 0, 720, "Hours until the task is due, 0 to 720.", Add) ?? 24;
            }
        }
        var disqualify = false;
        if (r.TryGetProperty("disqualifyWhenProgramEnds", out var dq))
        {
            if (dq.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) Add($"{at}.disqualifyWhenProgramEnds", "true or false.");
            else disqualify = dq.GetBoolean();
            if (disqualify && !actions.Contains(StallAction.EnrollRevival))
                Add($"{at}.disqualifyWhenProgramEnds", "Only a rule that enrolls in a revival program can disqualify when the program ends.");
        }
        return failed ? null : new StallRule(key!, name!.Trim(), kind, stages, segment, amount, calendar, coolingFrom, coolingBelow, actions, program,
            title?.Trim(), due, disqualify);
    }

    /// <summary>The rule set as JSON, in the shape <see cref="Parse(string)"/> reads.</summary>
    public static object Write(StallRuleSet set) => new
    {
        revivedSlaPolicyId = set.RevivedSlaPolicyId,
        rules = set.Rules.Select(Write).ToList(),
    };

    public static Dictionary<string, object?> Write(StallRule r)
    {
        var o = new Dictionary<string, object?>
        {
            ["key"] = r.Key, ["name"] = r.Name, ["kind"] = KindNames.First(k => k.Value == r.Kind).Key,
            ["stages"] = r.Stages.Select(s => s.ToString()).ToList(),
            ["segment"] = new { grades = r.Segment.Grades, sources = r.Segment.Sources, teamIds = r.Segment.TeamIds },
        };
        if (r.Kind == StallKind.Cooling)
        {
            o["coolingFrom"] = r.CoolingFrom;
            o["coolingBelow"] = r.CoolingBelow;
        }
        else o[CountsHours(r.Kind) ? "hours" : "days"] = r.Amount;
        if (r.CalendarId is not null) o["calendarId"] = r.CalendarId;
        o["actions"] = r.Actions.Select(a => ActionNames.First(n => n.Value == a).Key).ToList();
        if (r.RevivalProgramId is not null) o["revivalProgramId"] = r.RevivalProgramId;
        if (r.TaskTitle is not null) o["task"] = new { title = r.TaskTitle, dueInHours = r.TaskDueInHours };
        if (r.DisqualifyWhenProgramEnds) o["disqualifyWhenProgramEnds"] = true;
        return o;
    }

    private static string? Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Number(JsonElement o, string name, string path, int min, int max, string message, Action<string, string> add)
    {
        if (o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) && n >= min && n <= max) return n;
        add(path, message);
        return null;
    }

    private static long? OptionalId(JsonElement o, string name, string path, Action<string, string> add)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var id) && id > 0) return id;
        add(path, "An id: a positive whole number (or null).");
        return null;
    }

    private static List<string> Strings(JsonElement o, string name, string path, Action<string, string> add)
    {
        var list = new List<string>();
        if (!o.TryGetProperty(name, out var v)) return list;
        if (v.ValueKind != JsonValueKind.Array) add(path, "A list of text values.");
        else foreach (var item in v.EnumerateArray())
            if (item.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(item.GetString())) list.Add(item.GetString()!.Trim());
            else add(path, "A list of non-empty text values.");
        return list;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex KeyPattern();
}
