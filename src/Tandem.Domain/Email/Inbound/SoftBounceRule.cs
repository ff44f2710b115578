namespace Tandem.Domain.Email.Inbound;

/// <summary>
/// When temporary failures add up to a permanent one. One soft bounce (mailbox full, greylisting, a server down) says
/// nothing lasting, so it never suppresses. But an address whose last <see cref="InARow"/> emails all soft-bounced,
/// with none of them delivered, opened, clicked or answered, behaves like a dead one; mailbox providers count mail to
/// it against the sender, so it is suppressed as a hard bounce.
/// </summary>
public static class SoftBounceRule
{
    public const int InARow = 3;

    /// <summary>One email to the address, newest first: did it soft-bounce, and did anything show it arrived?</summary>
    public sealed record SentEmail(bool SoftBounced, bool HardBounced, bool ShowedLife);

    public static bool Suppresses(IEnumerable<SentEmail> newestFirst) =>
        newestFirst.Take(InARow).TakeWhile(e => e.SoftBounced && !e.HardBounced && !e.ShowedLife).Count() == InARow;
}
