namespace Tandem.Tests.Web;

/// <summary>
/// The web suites run one test at a time, after the parallel tests: the API suite's thousand-concurrent-request test
/// needs both cores and most of PostgreSQL's connections, and on a small machine sign-ins (password hashing is slow
/// on purpose) running beside it push its requests past the connection-pool timeout.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialWebTests
{
    public const string Name = "web, serial";
}
