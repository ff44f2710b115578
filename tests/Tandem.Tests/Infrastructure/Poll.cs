namespace Tandem.Tests.Infrastructure;

/// <summary>
/// Waiting on a condition, never on a fixed time: reads until the condition holds, and fails saying what it was
/// waiting for only after a timeout generous enough for a busy two-core machine.
/// </summary>
public static class Poll
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The pause between two reads of a condition. It decides nothing — the condition does — it only keeps a waiting
    /// test from spinning on a database the server under test needs.
    /// </summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(25);

    /// <returns>The first value read that satisfies <paramref name="done"/>.</returns>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) Assert.Fail($"Gave up waiting until {what}; last seen: {Describe(value)}");
            await Task.Delay(Interval, TestContext.Current.CancellationToken);
        }
    }

    public static Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(condition, holds => holds, what, timeout);

    private static string Describe(object? value) => value is System.Collections.ICollection items ? $"{items.Count} items" : $"{value}";
}
