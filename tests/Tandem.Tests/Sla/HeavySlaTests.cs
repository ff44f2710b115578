namespace Tandem.Tests.Sla;

/// <summary>
/// Tests that load the machine on purpose (two servers racing, a seeded demo workspace) run alone, after the parallel
/// tests, so they neither slow down other suites' timing-sensitive tests nor get slowed down by them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeavySlaTests
{
    public const string Name = "SLA tests that load the machine";
}

/// <summary>
/// The SLA API suites run one at a time after the parallel tests. Beside the suite that sends a thousand concurrent
/// submissions for one person (a lock chain that must finish inside the connection pool's 15-second timeout) they
/// pushed that chain past the timeout on a loaded two-core machine, even one suite at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SlaApiTests
{
    public const string Name = "SLA API";
}
