namespace Tandem.Server.Web.Settings;

/// <summary>Who a round-robin team gives its next lead to, read the way the router walks its cycle (user-id order).</summary>
internal static class RotationPreview
{
    /// <summary>
    /// The first member after the one who had the last turn who can take a lead now; when nobody can, the member whose
    /// turn it is anyway (with <c>Available</c> false). Null for a team without members.
    /// </summary>
    public static (long UserId, bool Available)? NextInTurn(IReadOnlyList<long> memberIds, long? lastUserId, Func<long, bool> canTakeNow)
    {
        if (memberIds.Count == 0) return null;
        var ordered = memberIds.Distinct().Order().ToList();
        var start = lastUserId is { } last ? ordered.FindIndex(id => id > last) : 0;
        if (start < 0) start = 0;
        var cycle = ordered.Skip(start).Concat(ordered.Take(start)).ToList();
        foreach (var id in cycle)
            if (canTakeNow(id)) return (id, true);
        return (cycle[0], false);
    }
}
