namespace Tandem.Server.Email.Inbound;

/// <summary>The kinds of inbound event, as stored in <c>email_inbound_events.kind</c>.</summary>
internal static class InboundKinds
{
    public const string Reply = "reply";
    public const string AutoReply = "auto_reply";
    public const string HardBounce = "hard_bounce";
    public const string SoftBounce = "soft_bounce";
    public const string Complaint = "complaint";
    public const string Delivered = "delivered";
    public const string Deferred = "deferred";
    public const string Unsubscribed = "unsubscribed";
    public const string Dropped = "dropped";
    public const string SubscriptionConfirmation = "subscription_confirmation";
    public const string Unmatched = "unmatched";

    public static readonly IReadOnlyList<string> All =
        [Reply, AutoReply, HardBounce, SoftBounce, Complaint, Delivered, Deferred, Unsubscribed, Dropped, SubscriptionConfirmation, Unmatched];

    /// <summary>Kinds that need no send to be recorded as what they are.</summary>
    public static bool StandsAlone(string kind) => kind is SubscriptionConfirmation or Unmatched;
}

/// <summary>Where an inbound event came from, as stored in <c>email_inbound_events.source</c>.</summary>
internal static class InboundSources
{
    public const string RawMime = "raw-mime";
    public const string SendGrid = "sendgrid";
    public const string Ses = "ses";

    public static string Name(string source) => source switch
    {
        SendGrid => "SendGrid",
        Ses => "Amazon SES",
        _ => "inbound email",
    };
}

/// <summary>
/// What tells us which email an event is about, strongest first: our send id (the X-Tandem-Send header or a provider's
/// custom argument), the reply token in the recipient address, our Message-ID (returned headers, In-Reply-To,
/// References, a provider's smtp-id), and last the recipient address (the latest email sent to it).
/// </summary>
internal sealed record SendClues(long? SendId = null, string? ReplyToken = null, IReadOnlyList<string>? MessageIds = null, string? Recipient = null);

/// <summary>A person's words in a reply, as the timeline and the owner's notification show them.</summary>
internal sealed record ReplyContent(string From, string? Subject, string Text);

/// <summary>One event read from an inbound message or a provider's webhook, before it is matched to a send.</summary>
/// <param name="Address">The recipient it is about (a bounce, complaint, delivery) or the sender of a reply.</param>
/// <param name="ProviderEventId">Unique per source: a redelivery with the same id is recorded once and changes nothing.</param>
internal sealed record InboundFinding(string Kind, string Detail, SendClues Clues, string? Address, string? ProviderEventId,
    DateTimeOffset? OccurredAt = null, ReplyContent? Reply = null);
