namespace Tandem.Domain.Reporting;

/// <summary>How a converted outcome's one unit of credit is shared among the touchpoints that came before it.</summary>
public enum CreditModel
{
    /// <summary>All of it to the first touch.</summary>
    FirstTouch,

    /// <summary>All of it to the last touch before the outcome.</summary>
    LastTouch,

    /// <summary>Equal shares to every touch.</summary>
    Linear,

    /// <summary>40% to the first touch, 40% to the lead-creation touch, 20% shared by the touches between.</summary>
    UShaped,

    /// <summary>30% each to the first, lead-creation and opportunity touches, 10% shared by the rest (U-shaped before an opportunity).</summary>
    WShaped,

    /// <summary>Each touch weighs half as much as one a half-life later: the touches nearest the outcome count most.</summary>
    TimeDecay,
}

public static class CreditModels
{
    public static readonly IReadOnlyList<CreditModel> All = Enum.GetValues<CreditModel>();

    /// <summary>The name used in addresses and the API: "first-touch", "u-shaped", "time-decay"…</summary>
    public static string Slug(this CreditModel model) => model switch
    {
        CreditModel.FirstTouch => "first-touch",
        CreditModel.LastTouch => "last-touch",
        CreditModel.Linear => "linear",
        CreditModel.UShaped => "u-shaped",
        CreditModel.WShaped => "w-shaped",
        _ => "time-decay",
    };

    public static string Label(this CreditModel model) => model switch
    {
        CreditModel.FirstTouch => "First touch",
        CreditModel.LastTouch => "Last touch",
        CreditModel.Linear => "Linear",
        CreditModel.UShaped => "U-shaped",
        CreditModel.WShaped => "W-shaped",
        _ => "Time decay",
    };

    public static bool TryParse(string? text, out CreditModel model)
    {
        var key = (text ?? "").Trim().ToLowerInvariant().Replace("_", "-").Replace(" ", "-");
        foreach (var m in All)
            if (m.Slug() == key || m.ToString().Equals(key.Replace("-", ""), StringComparison.OrdinalIgnoreCase)) { model = m; return true; }
        model = default;
        return false;
    }
}
