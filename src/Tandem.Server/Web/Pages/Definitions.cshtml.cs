using Tandem.Server.Identity;

namespace Tandem.Server.Web.Pages;

/// <summary>The vocabulary both teams share: the lifecycle stages and the reason codes each side stage needs.</summary>
public sealed class DefinitionsModel(LifecycleSettings lifecycle) : TandemPageModel
{
    public LifecycleSettings Lifecycle => lifecycle;

    public static readonly IReadOnlyDictionary<string, string> Meanings = new Dictionary<string, string>
    {
        ["Subscriber"] = "Opted in to hear from us (a newsletter, a blog); not yet showing buying interest.",
        ["Lead"] = "Known and showing some interest; marketing nurtures them.",
        ["MQL"] = "Marketing-qualified: meets the shared MQL definition, handed to sales.",
        ["SAL"] = "Sales-accepted: a rep has accepted the MQL and is working it.",
        ["SQL"] = "Sales-qualified: a real opportunity candidate after discovery.",
        ["Opportunity"] = "An open deal in the sales pipeline.",
        ["Customer"] = "Bought.",
        ["Recycled"] = "Back to marketing nurture, with a reason; can re-enter the cycle.",
        ["Disqualified"] = "Not a fit, with a reason; can only be recycled later.",
    };
}
