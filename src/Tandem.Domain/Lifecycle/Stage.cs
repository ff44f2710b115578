namespace Tandem.Domain.Lifecycle;

/// <summary>
/// The revenue cycle. The main stages run in declaration order; <see cref="Recycled"/> and
/// <see cref="Disqualified"/> are side stages that always need a reason.
/// </summary>
public enum Stage
{
    Subscriber,
    Lead,
    MQL,
    SAL,
    SQL,
    Opportunity,
    Customer,
    Recycled,
    Disqualified,
}

public static class Stages
{
    public static bool IsMain(this Stage stage) => stage <= Stage.Customer;

    public static bool NeedsReason(this Stage stage) => stage is Stage.Recycled or Stage.Disqualified;

    public static bool TryParse(string? text, out Stage stage)
    {
        stage = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        return Enum.TryParse(text.Trim(), ignoreCase: true, out stage) && Enum.IsDefined(stage)
               && !int.TryParse(text, out _);
    }

    public static readonly IReadOnlyList<string> Names = Enum.GetNames<Stage>();
}
