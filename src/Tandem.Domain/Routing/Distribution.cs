namespace Tandem.Domain.Routing;

/// <summary>The persistent rotation of one team: who got the last lead, and each rep's weighted-round-robin credit.</summary>
public sealed record RotationState(long? LastUserId, IReadOnlyDictionary<long, int> Credits)
{
    public static readonly RotationState Start = new(null, new Dictionary<long, int>());
}

public sealed record SkippedRep(long UserId, string Name, string Reason);

/// <summary>What a distribution method needs: the team, the moment, the rotation so far, and the account's owner if known.</summary>
public sealed record DistributionRequest(
    Team Team,
    DistributionMethod Method,
    bool RespectWorkingHours,
    DateTimeOffset Now,
    RotationState State,
    Rep? AccountOwner = null,
    string? AccountName = null,
    long? ExcludeUserId = null);

/// <summary>The rep chosen (or none), the reps passed over and why, the words for the method, and the rotation afterwards.</summary>
public sealed record DistributionResult(Rep? Chosen, IReadOnlyList<SkippedRep> Skipped, IReadOnlyList<string> Steps, RotationState State)
{
    public bool Advanced { get; init; }
}

/// <summary>
/// The four ways a team shares leads. Reps are taken in user-id order, a cycle that never restarts:
/// the next turn goes to the first eligible rep after the one who had the last turn, so a rep who is away
/// simply misses turns, and one who returns (or joins) takes their place in the cycle without a reset.
/// </summary>
public static class Distributor
{
    public static DistributionResult Distribute(DistributionRequest request)
    {
        var steps = new List<string>();
        if (request.Method == DistributionMethod.AccountOwner)
        {
            steps.Add("account owner first");
            if (request.AccountOwner is { } owner && owner.UserId != request.ExcludeUserId)
            {
                var why = Eligibility.WhyNot(owner, request.Now, request.RespectWorkingHours);
                if (why is null)
                {
                    steps.Add($"{owner.Name} owns account {request.AccountName ?? "of this lead"}");
                    return new DistributionResult(owner, [], steps, request.State);
                }
                steps.Add($"account owner {owner.Name} skipped ({why})");
            }
            else steps.Add(request.AccountOwner is null ? "the account has no owner" : "the account owner is the current owner");
        }

        var cycle = Cycle(request.Team.Members, request.State.LastUserId);
        var skipped = new List<SkippedRep>();
        var eligible = new List<Rep>();
        foreach (var rep in cycle)
        {
            var why = rep.UserId == request.ExcludeUserId ? "current owner" : Eligibility.WhyNot(rep, request.Now, request.RespectWorkingHours);
            if (why is null) eligible.Add(rep);
            else skipped.Add(new SkippedRep(rep.UserId, rep.Name, why));
        }

        return request.Method switch
        {
            DistributionMethod.WeightedRoundRobin => Weighted(request, cycle, eligible, skipped, steps),
            DistributionMethod.LeastLoaded => LeastLoaded(request, eligible, skipped, steps),
            _ => RoundRobin(request, cycle, eligible, skipped, steps),
        };
    }

    private static DistributionResult RoundRobin(DistributionRequest r, IReadOnlyList<Rep> cycle, List<Rep> eligible, List<SkippedRep> skipped,
        List<string> steps)
    {
        steps.Add("round robin");
        if (eligible.Count == 0) return new DistributionResult(null, skipped, steps, r.State);
        var chosen = eligible[0];
        // Only the reps whose turn came before the chosen one were passed over this time.
        var before = cycle.TakeWhile(m => m.UserId != chosen.UserId).Select(m => m.UserId).ToHashSet();
        return new DistributionResult(chosen, skipped.Where(s => before.Contains(s.UserId)).ToList(), steps,
            r.State with { LastUserId = chosen.UserId }) { Advanced = true };
    }

    /// <summary>
    /// Smooth weighted round robin (as in nginx): every eligible rep earns their weight in credit, the richest
    /// takes the lead and pays back the total. A weight-3 rep gets 3 of every 4 leads beside a weight-1 rep,
    /// interleaved rather than in bursts; away reps neither earn nor lose credit.
    /// </summary>
    private static DistributionResult Weighted(DistributionRequest r, IReadOnlyList<Rep> cycle, List<Rep> eligible, List<SkippedRep> skipped,
        List<string> steps)
    {
        steps.Add($"weighted round robin ({string.Join(", ", cycle.Select(m => $"{m.Name} ×{Math.Max(1, m.Weight)}"))})");
        if (eligible.Count == 0) return new DistributionResult(null, skipped, steps, r.State);
        var credits = new Dictionary<long, int>(r.State.Credits);
        var total = 0;
        foreach (var rep in eligible)
        {
            var w = Math.Max(1, rep.Weight);
            credits[rep.UserId] = credits.GetValueOrDefault(rep.UserId) + w;
            total += w;
        }
        var chosen = eligible.OrderByDescending(m => credits[m.UserId]).First(); // ties keep cycle order: OrderBy is stable
        credits[chosen.UserId] -= total;
        return new DistributionResult(chosen, skipped, steps, new RotationState(chosen.UserId, credits)) { Advanced = true };
    }

    private static DistributionResult LeastLoaded(DistributionRequest r, List<Rep> eligible, List<SkippedRep> skipped, List<string> steps)
    {
        steps.Add("least loaded");
        if (eligible.Count == 0) return new DistributionResult(null, skipped, steps, r.State);
        var chosen = eligible.OrderBy(m => m.OpenLeads).First(); // ties go to whoever is next in the rotation
        steps.Add($"{chosen.Name} has {chosen.OpenLeads} open leads" +
                  (eligible.Count > 1 ? $" ({string.Join(", ", eligible.Where(m => m != chosen).Select(m => $"{m.Name} {m.OpenLeads}"))})" : ""));
        return new DistributionResult(chosen, skipped, steps, r.State with { LastUserId = chosen.UserId }) { Advanced = true };
    }

    /// <summary>The members in turn order: first the one after <paramref name="lastUserId"/>, wrapping around.</summary>
    public static IReadOnlyList<Rep> Cycle(IReadOnlyList<Rep> members, long? lastUserId)
    {
        var ordered = members.OrderBy(m => m.UserId).ToList();
        if (lastUserId is not { } last) return ordered;
        var after = ordered.Where(m => m.UserId > last);
        return after.Concat(ordered.Where(m => m.UserId <= last)).ToList();
    }
}
