using System.Text;

namespace Tandem.Domain.Scoring;

/// <summary>
/// Event types as scoring reads them. Tracking plans name events the way people talk ("Demo Requested",
/// "webinar-attended", "FormSubmitted") while models name types in snake_case ("form_submitted"), so types are compared
/// in one canonical spelling, and a few events that mean what a built-in type means count as that type.
/// The stored activity keeps the name it was sent with.
/// </summary>
public static class EventNames
{
    private static readonly IReadOnlyDictionary<string, string> NoProperties = new Dictionary<string, string>();

    /// <summary>Events people send that are one of Tandem's own types, with the properties that make them so.</summary>
    private static readonly Dictionary<string, (string Type, IReadOnlyDictionary<string, string> Implied)> Synonyms = new(StringComparer.Ordinal)
    {
        // A demo request is the demo-request form, however it arrives (the built-in model's "Requested a demo").
        ["demo_requested"] = ("form_submitted", new Dictionary<string, string> { ["form"] = "demo-request" }),
        ["demo_request"] = ("form_submitted", new Dictionary<string, string> { ["form"] = "demo-request" }),
        ["requested_demo"] = ("form_submitted", new Dictionary<string, string> { ["form"] = "demo-request" }),
        ["requested_a_demo"] = ("form_submitted", new Dictionary<string, string> { ["form"] = "demo-request" }),
        ["form_submit"] = ("form_submitted", NoProperties),
        ["submitted_form"] = ("form_submitted", NoProperties),
        ["submitted_a_form"] = ("form_submitted", NoProperties),
        ["attended_webinar"] = ("webinar_attended", NoProperties),
        ["attended_a_webinar"] = ("webinar_attended", NoProperties),
        ["downloaded_content"] = ("content_downloaded", NoProperties),
        ["started_chat"] = ("chat_started", NoProperties),
        ["started_a_chat"] = ("chat_started", NoProperties),
        ["page_viewed"] = ("page_view", NoProperties),
        ["email_link_clicked"] = ("email_clicked", NoProperties),
    };

    /// <summary>
    /// One spelling for every way of writing a name: lower case, words joined by '_'. "Demo Requested",
    /// "demo-requested", "DemoRequested" and "demo_requested" are all "demo_requested".
    /// </summary>
    public static string Canonical(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        var pendingBreak = false;
        char previous = ' ';
        foreach (var ch in name.Trim())
        {
            if (!char.IsLetterOrDigit(ch)) { pendingBreak = text.Length > 0; previous = ch; continue; }
            // A capital after a small letter or digit starts a word: "DemoRequested".
            if (char.IsUpper(ch) && (char.IsLower(previous) || char.IsDigit(previous))) pendingBreak = text.Length > 0;
            if (pendingBreak) { text.Append('_'); pendingBreak = false; }
            text.Append(char.ToLowerInvariant(ch));
            previous = ch;
        }
        return text.ToString();
    }

    /// <summary>The type an activity counts as, and properties it implies when it does not carry them itself.</summary>
    public static (string Type, IReadOnlyDictionary<string, string> Implied) AsScored(string type)
    {
        var canonical = Canonical(type);
        return Synonyms.TryGetValue(canonical, out var synonym) ? synonym : (canonical, NoProperties);
    }

    /// <summary>An activity's fields with the implied properties filled in where it has none, under its scored type.</summary>
    internal sealed class Scored(IFieldSource activity, string type, IReadOnlyDictionary<string, string> implied) : IFieldSource
    {
        public string? Get(string field) => field == "type" ? type : activity.Get(field) ?? implied.GetValueOrDefault(field);
    }
}
