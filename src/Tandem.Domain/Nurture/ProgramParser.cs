using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tandem.Domain.Lifecycle;

namespace Tandem.Domain.Nurture;

/// <summary>
/// Reads a program definition from its JSON and checks it, naming every problem by its path
/// ("steps[2].wait.until.time"). A definition with problems is never returned half-read.
/// </summary>
public static partial class ProgramParser
{
    public sealed record Problem(string Path, string Message);

    /// <summary>The people filter keys an entry filter may use: the people list's, plus engagement band, campaign and rejection reason.</summary>
    public static readonly IReadOnlyList<string> FilterKeys =
    [
        "q", "stage", "grade", "owner", "source", "persona", "email", "channel", "country", "accountId", "ownerId", "cell", "meetsMql",
        "minEngagement", "maxEngagement", "createdAfter", "createdBefore", "updatedSince", "campaign", "rejectionReason",
    ];

    public static readonly IReadOnlyList<string> StepTypes = ["email", "wait", "branch", "task", "notify", "webhook", "setField", "changeStage", "handToSales", "exit"];

    private static readonly Dictionary<string, ExitCriterion> ExitNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["becameMql"] = ExitCriterion.BecameMql, ["acceptedBySales"] = ExitCriterion.AcceptedBySales, ["replied"] = ExitCriterion.Replied,
        ["unsubscribed"] = ExitCriterion.Unsubscribed, ["bounced"] = ExitCriterion.Bounced, ["ownerTouched"] = ExitCriterion.OwnerTouched,
        ["removedByHand"] = ExitCriterion.RemovedByHand,
    };

    private static readonly Dictionary<string, EntryEventType> EventNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["formSubmitted"] = EntryEventType.FormSubmitted, ["rejectedBySales"] = EntryEventType.RejectedBySales,
        ["recycled"] = EntryEventType.Recycled, ["becameStage"] = EntryEventType.BecameStage,
    };

    public const int MaxHoldoutPercent = 50;

    public static (ProgramDefinition? Definition, IReadOnlyList<Problem> Problems) Parse(string json)
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

    public static (ProgramDefinition? Definition, IReadOnlyList<Problem> Problems) Parse(JsonElement root)
    {
        var p = new List<Problem>();
        void Add(string path, string message) => p.Add(new Problem(path, message));
        if (root.ValueKind != JsonValueKind.Object) return (null, [new Problem("", "A program definition is a JSON object with entry, steps and exits.")]);
        foreach (var prop in root.EnumerateObject())
            if (prop.Name is not ("entry" or "steps" or "exits" or "sendWindow" or "holdoutPercent"))
                Add(prop.Name, "Unknown key; a definition has entry, steps, exits, sendWindow and holdoutPercent.");

        var entry = root.TryGetProperty("entry", out var e) ? ParseEntry(e, Add) : EntryRules.None;
        var steps = new List<ProgramStep>();
        if (!root.TryGetProperty("steps", out var s) || s.ValueKind != JsonValueKind.Array || s.GetArrayLength() == 0)
            Add("steps", "A program needs at least one step, as an array.");
        else
        {
            var i = 0;
            foreach (var step in s.EnumerateArray())
            {
                if (ParseStep(step, $"steps[{i}]", Add) is { } parsed) steps.Add(parsed);
                i++;
            }
        }

        var exits = new HashSet<ExitCriterion>();
        if (!root.TryGetProperty("exits", out var x))
            exits.UnionWith(Enum.GetValues<ExitCriterion>()); // unsaid: every exit applies
        else if (x.ValueKind != JsonValueKind.Array) Add("exits", $"A list of exit criteria: {string.Join(", ", ExitNames.Keys)}.");
        else
        {
            var i = 0;
            foreach (var name in x.EnumerateArray())
            {
                if (name.ValueKind == JsonValueKind.String && ExitNames.TryGetValue(name.GetString()!, out var criterion)) exits.Add(criterion);
                else Add($"exits[{i}]", $"'{name}' is not an exit criterion; use {string.Join(", ", ExitNames.Keys)}.");
                i++;
            }
        }

        SendWindow? window = root.TryGetProperty("sendWindow", out var w) && w.ValueKind != JsonValueKind.Null ? ParseWindow(w, Add) : null;
        var holdout = 0;
        if (root.TryGetProperty("holdoutPercent", out var h))
        {
            if (h.ValueKind != JsonValueKind.Number || !h.TryGetInt32(out holdout) || holdout is < 0 or > MaxHoldoutPercent)
                Add("holdoutPercent", $"A whole number from 0 to {MaxHoldoutPercent}: the share of entrants kept out of the emails as a control group.");
        }

        CheckGraph(steps, s, Add);
        if (p.Count > 0) return (null, p);
        return (new ProgramDefinition(entry, steps, exits, window, holdout), p);
    }

    private static EntryRules ParseEntry(JsonElement e, Action<string, string> add)
    {
        if (e.ValueKind != JsonValueKind.Object) { add("entry", "An object with filter and/or events."); return EntryRules.None; }
        var filter = new Dictionary<string, string>(StringComparer.Ordinal);
        if (e.TryGetProperty("filter", out var f) && f.ValueKind != JsonValueKind.Null)
        {
            if (f.ValueKind != JsonValueKind.Object) add("entry.filter", "An object of people filters, e.g. {\"stage\": \"Lead\", \"grade\": \"A,B\"}.");
            else
                foreach (var prop in f.EnumerateObject())
                {
                    var key = FilterKeys.FirstOrDefault(k => k.Equals(prop.Name, StringComparison.OrdinalIgnoreCase));
                    if (key is null) { add($"entry.filter.{prop.Name}", $"Not a filter; use {string.Join(", ", FilterKeys)}."); continue; }
                    var value = prop.Value.ValueKind switch
                    {
                        JsonValueKind.String => prop.Value.GetString(),
                        JsonValueKind.Number => prop.Value.GetRawText(),
                        JsonValueKind.True => "true",
                        JsonValueKind.False => "false",
                        JsonValueKind.Array => string.Join(",", prop.Value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())),
                        _ => null,
                    };
                    if (string.IsNullOrWhiteSpace(value)) add($"entry.filter.{key}", "Give a value (text, number, or a list).");
                    else filter[key] = value.Trim();
                }
            if (filter.TryGetValue("maxEngagement", out var max) && !(int.TryParse(max, NumberStyles.Integer, CultureInfo.InvariantCulture, out var m) && m is >= 0 and <= 100))
                add("entry.filter.maxEngagement", "A number from 0 to 100.");
        }
        var events = new List<EntryEvent>();
        if (e.TryGetProperty("events", out var evs) && evs.ValueKind != JsonValueKind.Null)
        {
            if (evs.ValueKind != JsonValueKind.Array) add("entry.events", "A list of events, e.g. [{\"type\": \"formSubmitted\", \"form\": \"contact-us\"}].");
            else
            {
                var i = 0;
                foreach (var ev in evs.EnumerateArray())
                {
                    var path = $"entry.events[{i++}]";
                    var type = Text(ev, "type");
                    if (type is null || !EventNames.TryGetValue(type, out var t))
                    {
                        add($"{path}.type", $"Use one of: {string.Join(", ", EventNames.Keys)}.");
                        continue;
                    }
                    Stage? stage = null;
                    if (t == EntryEventType.BecameStage)
                    {
                        if (Stages.TryParse(Text(ev, "stage"), out var st)) stage = st;
                        else add($"{path}.stage", $"Which stage; one of: {string.Join(", ", Stages.Names)}.");
                    }
                    events.Add(new EntryEvent(t, Form: Text(ev, "form"), Reason: Text(ev, "reason")?.ToLowerInvariant(), Stage: stage));
                }
            }
        }
        return new EntryRules(filter, events);
    }

    private static ProgramStep? ParseStep(JsonElement s, string path, Action<string, string> add)
    {
        if (s.ValueKind != JsonValueKind.Object) { add(path, "A step is an object with key and type."); return null; }
        var key = Text(s, "key");
        if (key is null || !KeyPattern().IsMatch(key)) add($"{path}.key", "A key of 1 to 40 letters, digits, '-' or '_' that names the step in figures and sends.");
        var type = Text(s, "type");
        var next = Text(s, "next");
        key ??= "";
        switch (type)
        {
            case "email":
                if (!s.TryGetProperty("templateId", out var t) || t.ValueKind != JsonValueKind.Number || !t.TryGetInt64(out var templateId) || templateId <= 0)
                {
                    add($"{path}.templateId", "The id of the email template to send.");
                    return null;
                }
                return new EmailStep(key, next, templateId);
            case "wait":
                return ParseWait(s, path, add) is { } wait ? new WaitStep(key, next, wait) : null;
            case "branch":
                if (!s.TryGetProperty("if", out var cond)) { add($"{path}.if", "A branch needs a condition: email, score or field."); return null; }
                return ParseCondition(cond, $"{path}.if", add) is { } c ? new BranchStep(key, c, Text(s, "then"), Text(s, "else")) : null;
            case "task":
                var title = Text(s, "title");
                if (title is null || title.Length > 200) add($"{path}.title", "A title of 1 to 200 characters, e.g. \"Call {{firstName}}: clicked pricing\".");
                var due = 24;
                if (s.TryGetProperty("dueInHours", out var d) && (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out due) || due is < 0 or > 24 * 90))
                    add($"{path}.dueInHours", "Hours from now until the task is due, 0 to 2160.");
                return title is null ? null : new TaskStep(key, next, title, due);
            case "notify":
                var to = Text(s, "to") ?? "owner";
                if (!Enum.TryParse<NotifyTarget>(to, true, out var target) || int.TryParse(to, out _)) add($"{path}.to", "owner or manager.");
                var message = Text(s, "message");
                if (message is null || message.Length > 500) add($"{path}.message", "A message of 1 to 500 characters.");
                return message is null ? null : new NotifyStep(key, next, target, message);
            case "webhook":
                if (!Uri.TryCreate(Text(s, "url"), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                {
                    add($"{path}.url", "An absolute http:// or https:// URL.");
                    return null;
                }
                return new WebhookStep(key, next, url);
            case "setField":
                var field = Text(s, "field");
                if (field is null || !Identity.PersonFields.IsKnown(field))
                {
                    add($"{path}.field", $"A standard field ({string.Join(", ", Identity.PersonFields.Standard)}) or custom.NAME.");
                    return null;
                }
                return new SetFieldStep(key, next, field, s.TryGetProperty("value", out var v) && v.ValueKind != JsonValueKind.Null
                    ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText() : null);
            case "changeStage":
                if (!Stages.TryParse(Text(s, "stage"), out var stage)) { add($"{path}.stage", $"One of: {string.Join(", ", Stages.Names)}."); return null; }
                var reason = Text(s, "reasonCode");
                if (stage.NeedsReason() && reason is null) add($"{path}.reasonCode", $"Moving to {stage} needs a reason code.");
                return new ChangeStageStep(key, next, stage, reason);
            case "handToSales":
                return new HandToSalesStep(key, next);
            case "exit":
                return new ExitStep(key, Text(s, "reason"));
            default:
                add($"{path}.type", $"One of: {string.Join(", ", StepTypes)}.");
                return null;
        }
    }

    private static Wait? ParseWait(JsonElement s, string path, Action<string, string> add)
    {
        var given = new[] { "duration", "businessDays", "until" }.Where(k => s.TryGetProperty(k, out var x) && x.ValueKind != JsonValueKind.Null).ToList();
        if (given.Count != 1) { add($"{path}", "A wait takes exactly one of duration (\"2d\", \"36h\", \"1d12h\"), businessDays (a number) or until ({weekday, time})."); return null; }
        switch (given[0])
        {
            case "duration":
                if (TryDuration(Text(s, "duration"), out var span)) return new WaitFor(span);
                add($"{path}.duration", "A duration such as 2d, 36h, 90m or 1d12h, at least a minute and at most 365 days.");
                return null;
            case "businessDays":
                if (s.GetProperty("businessDays").TryGetInt32(out var days) && days is >= 1 and <= 260) return new WaitBusinessDays(days);
                add($"{path}.businessDays", "A whole number of working days from 1 to 260.");
                return null;
            default:
                var u = s.GetProperty("until");
                var day = Text(u, "weekday");
                var time = Text(u, "time");
                DayOfWeek weekday = default;
                var ok = true;
                if (day is null || !Enum.TryParse(day, true, out weekday) || int.TryParse(day, out _)) { add($"{path}.until.weekday", "A day of the week, e.g. tuesday."); ok = false; }
                if (!TimeOnly.TryParseExact(time, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)) { add($"{path}.until.time", "A local time as HH:mm, e.g. 10:00."); ok = false; }
                return ok ? new WaitUntil(weekday, at) : null;
        }
    }

    private static BranchCondition? ParseCondition(JsonElement c, string path, Action<string, string> add)
    {
        if (c.ValueKind != JsonValueKind.Object) { add(path, "A condition object: {email, of}, {score, atLeast} or {field, equals|contains}."); return null; }
        if (Text(c, "email") is { } fact)
        {
            if (!Enum.TryParse<EmailFact>(fact, true, out var f) || int.TryParse(fact, out _)) { add($"{path}.email", "opened, clicked or replied."); return null; }
            var of = Text(c, "of") ?? "previous";
            if (!Enum.TryParse<EmailScope>(of, true, out var scope) || int.TryParse(of, out _)) { add($"{path}.of", "previous (the last email sent) or any (any email of the program)."); return null; }
            return new EmailCondition(f, scope);
        }
        if (Text(c, "score") is { } score)
        {
            if (!Enum.TryParse<ScoreKind>(score, true, out var kind) || int.TryParse(score, out _)) { add($"{path}.score", "engagement or fit."); return null; }
            if (!c.TryGetProperty("atLeast", out var least) || !least.TryGetInt32(out var n)) { add($"{path}.atLeast", "The least score, a whole number."); return null; }
            return new ScoreCondition(kind, n);
        }
        if (Text(c, "field") is { } field)
        {
            if (!Identity.PersonFields.IsKnown(field) && field is not ("email" or "stage")) { add($"{path}.field", "A standard field, email, stage or custom.NAME."); return null; }
            var eq = Text(c, "equals");
            var contains = Text(c, "contains");
            if ((eq is null) == (contains is null)) { add(path, "Give equals or contains (one of them)."); return null; }
            return new FieldCondition(field, eq, contains);
        }
        add(path, "A condition needs email, score or field.");
        return null;
    }

    private static SendWindow? ParseWindow(JsonElement w, Action<string, string> add)
    {
        if (w.ValueKind != JsonValueKind.Object) { add("sendWindow", "An object: {days: [\"monday\", …], from: \"09:00\", to: \"17:00\"}."); return null; }
        var days = new HashSet<DayOfWeek>();
        if (w.TryGetProperty("days", out var d) && d.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var day in d.EnumerateArray())
            {
                if (day.ValueKind == JsonValueKind.String && Enum.TryParse<DayOfWeek>(day.GetString(), true, out var dow) && !int.TryParse(day.GetString(), out _)) days.Add(dow);
                else add($"sendWindow.days[{i}]", "A day of the week, e.g. monday.");
                i++;
            }
        }
        else if (w.TryGetProperty("days", out _)) add("sendWindow.days", "A list of weekdays.");
        else days.UnionWith([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday]);
        if (days.Count == 0) add("sendWindow.days", "At least one day.");
        var ok = TimeOnly.TryParseExact(Text(w, "from") ?? "", "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from);
        if (!ok) add("sendWindow.from", "A local time as HH:mm.");
        var to = new TimeOnly(23, 59, 59);
        if (Text(w, "to") is { } toText && toText != "24:00" && !TimeOnly.TryParseExact(toText, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out to))
            add("sendWindow.to", "A local time as HH:mm (or 24:00).");
        else if (ok && to <= from) add("sendWindow.to", "Must be later than from.");
        return new SendWindow(days, from, to);
    }

    /// <summary>Keys unique, every target a step, and no way round in a circle: each step runs at most once per enrollment.</summary>
    private static void CheckGraph(List<ProgramStep> steps, JsonElement raw, Action<string, string> add)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < steps.Count; i++)
            if (steps[i].Key.Length > 0 && !index.TryAdd(steps[i].Key, i)) add($"steps[{i}].key", $"'{steps[i].Key}' is used by another step.");
        if (steps.Count == 0 || steps.Count != raw.GetArrayLengthOrZero()) return; // a bad step is already reported; its index would mislead
        var definition = new ProgramDefinition(EntryRules.None, steps, new HashSet<ExitCriterion>(), null, 0);
        for (var i = 0; i < steps.Count; i++)
            foreach (var (name, target) in Targets(steps[i]))
                if (target is not null && !index.ContainsKey(target)) add($"steps[{i}].{name}", $"No step has key '{target}'.");
        // Depth-first search for a cycle, following every way out of a step.
        var state = new Dictionary<string, int>();
        bool Cycles(string key)
        {
            if (state.GetValueOrDefault(key) == 1) return true;
            if (state.GetValueOrDefault(key) == 2) return false;
            state[key] = 1;
            var step = definition.Step(key)!;
            var outs = step switch
            {
                BranchStep b => new[] { b.Then ?? definition.After(b), b.Else ?? definition.After(b) },
                ExitStep => [],
                _ => [definition.After(step)],
            };
            foreach (var o in outs)
                if (o is not null && index.ContainsKey(o) && Cycles(o)) return true;
            state[key] = 2;
            return false;
        }
        for (var i = 0; i < steps.Count; i++)
            if (steps[i].Key.Length > 0 && Cycles(steps[i].Key)) { add($"steps[{i}]", "The steps go round in a circle; a program must always move forward."); return; }
    }

    private static IEnumerable<(string Name, string? Target)> Targets(ProgramStep step) => step is BranchStep b
        ? [("then", b.Then), ("else", b.Else)]
        : [("next", step.Next)];

    private static int GetArrayLengthOrZero(this JsonElement e) => e.ValueKind == JsonValueKind.Array ? e.GetArrayLength() : 0;

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Trim() is { Length: > 0 } t ? t : null;

    /// <summary>"2d", "36h", "90m", "1d12h": days, hours and minutes, at least a minute, at most a year.</summary>
    public static bool TryDuration(string? text, out TimeSpan span)
    {
        span = TimeSpan.Zero;
        if (text is null) return false;
        var m = DurationPattern().Match(text.Trim().ToLowerInvariant());
        if (!m.Success || m.Length == 0) return false;
        long Part(int g) => m.Groups[g].Success ? long.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture) : 0;
        if (Part(1) > 365 || Part(2) > 24 * 365 || Part(3) > 60 * 24 * 365) return false;
        span = TimeSpan.FromDays(Part(1)) + TimeSpan.FromHours(Part(2)) + TimeSpan.FromMinutes(Part(3));
        return span >= TimeSpan.FromMinutes(1) && span <= TimeSpan.FromDays(365);
    }

    [GeneratedRegex("^(?:(\\d{1,4})d)?(?:(\\d{1,5})h)?(?:(\\d{1,6})m)?$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,40}$")]
    private static partial Regex KeyPattern();
}
