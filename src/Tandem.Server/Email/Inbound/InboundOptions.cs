namespace Tandem.Server.Email.Inbound;

/// <summary>Settings under "Tandem:Email:Inbound".</summary>
internal sealed class InboundOptions
{
    public const string Section = "Tandem:Email:Inbound";

    /// <summary>Largest raw message the inbound hook takes, in bytes (a reply may carry attachments); larger gets 413.</summary>
    public long MaxMessageBytes { get; set; } = 25 * 1024 * 1024;
}
