using Tandem.Domain.Lifecycle;

namespace Tandem.Server.Lifecycle;

/// <summary>The lifecycle settings every use case reads: the initial stage from configuration, the reason codes as they stand now.</summary>
internal sealed class LifecycleSettings(Stage initialStage, ReasonCatalog reasons)
{
    public Stage InitialStage => initialStage;

    public ReasonCodes ReasonCodes => reasons.Current.Stages;
}
