namespace Tandem.Tests.Infrastructure;

/// <summary>A clock that only moves when a test moves it.</summary>
/// <remarks>
/// The server's background loops read it while the test moves it, so the instant is kept as UTC ticks read and
/// written atomically: a torn read of a half-updated <see cref="DateTimeOffset"/> would be an instant nobody set.
/// </remarks>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long utcTicks = start.UtcTicks;

    public ManualClock() : this(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero)) { }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref utcTicks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref utcTicks, by.Ticks);

    public void Set(DateTimeOffset to) => Interlocked.Exchange(ref utcTicks, to.UtcTicks);
}
