using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Stall;
using Tandem.Server.People;
using Tandem.Server.Stall;
using Tandem.Server.Storage;

namespace Tandem.Server.Demo;

/// <summary>
/// Resurrection in the demo: published stall rules, one real sweep over the seeded history (so the stalled-leads page
/// shows what the rules find, each with its story and what was done), and a few stalled leads that answer an email
/// and come back to sales as revived — so the revival report is not empty.
/// </summary>
internal static class DemoStalls
{
    public static async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<Database>();
        var clock = services.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var json = Json.Write(new
        {
            rules = new object[]
            {
                new
                {
                    key = "accepted-ignored", name = "Accepted and ignored", kind = "noActivity", days = 14,
                    // The demo is history with nothing due now, so no rule enrolls anyone; the page's bulk actions can.
                    actions = new[] { "remindOwner", "notifyManager" },
                },
                new { key = "mql-untouched", name = "MQL never touched", kind = "mqlUntouched", hours = 8, actions = new[] { "remindOwner", "notifyManager" } },
                new { key = "due-for-revival", name = "Recycled a month ago", kind = "recycledFor", days = 30, actions = Array.Empty<string>() },
                new { key = "cooling", name = "Cooling", kind = "cooling", coolingFrom = 50, coolingBelow = 20, actions = new[] { "remindOwner" } },
            },
        });
        var (set, problems) = StallRuleParser.Parse(json);
        if (set is null) throw new InvalidOperationException("The demo stall rules do not parse: " + string.Join("; ", problems.Select(p => $"{p.Path}: {p.Message}")));
        await db.WriteAsync(async (c, tx) =>
        {
            await StallRuleStore.SaveDraftAsync(c, tx, set, "demo", now);
            return await StallRuleStore.PublishAsync(c, tx, "demo", now);
        }, ct);

        await services.GetRequiredService<StallTicker>().TickAsync(ct);

        // A handful answer an earlier email — recycled leads first, so some go back to sales as MQLs — and are revived.
        var answering = await db.ReadAsync(async c => (await c.QueryAsync<(long PersonId, long? ProgramId, long? EnrollmentId)>(
            "SELECT person_id, program_id, enrollment_id FROM stall_records WHERE state IN ('open', 'acted') " +
            "ORDER BY CASE WHEN rule_key = 'due-for-revival' THEN 0 ELSE 1 END, id LIMIT 6")).ToList(), ct);
        var consequences = services.GetRequiredService<Consequences>();
        var events = services.GetRequiredService<PersonEvents>();
        foreach (var (personId, programId, enrollmentId) in answering)
            await consequences.WriteAsync((c, tx) =>
            {
                events.Raise(tx, new EmailEventRecorded(personId, EmailEventKind.Replied, null, programId, enrollmentId,
                    programId is null ? null : "still-interested", Actor.System("demo")));
                return Task.CompletedTask;
            }, ct);
    }
}
