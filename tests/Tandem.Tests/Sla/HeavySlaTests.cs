namespace Tandem.Tests.Sla;

/// <summary>
/// Tests that load the machine on purpose (two servers racing) run alone, after the parallel
/// tests, so they neither slow down other suites' timing-sensitive tests nor get slowed down by them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeavySlaTests
{
    public const string Name = "SLA tests that load the machine";
}
