using Tandem.Domain.Lifecycle;
using Tandem.Server.Identity;
using Tandem.Server.Lifecycle;
using Tandem.Server.People;
using Tandem.Server.Storage;
using Tandem.Server.Web.Access;

namespace Tandem.Server.Web.People;

/// <summary>
/// Moves one or many leads to a stage with a reason, as a signed-in user. All or nothing: when any lead
/// cannot move, none does, and the page lists which and why.
/// </summary>
internal sealed class ChangeStages(Consequences consequences, MoveStage moveStage, TimeProvider clock)
{
    public sealed record Input(string? Stage, string? ReasonCode, string? Note);

    /// <summary>A lead that could not move, and why; PersonId 0 means the request itself was wrong.</summary>
    public sealed record Refusal(long PersonId, string Name, string Field, string Reason);

    public sealed record Outcome(int Moved, IReadOnlyList<Refusal> Refused);

    public async Task<Outcome> RunAsync(LeadScope scope, IReadOnlyCollection<long> personIds, Input input, Actor actor, CancellationToken ct)
    {
        if (!Stages.TryParse(input.Stage, out var to)) return Refuse("Stage", "Choose the stage to move to.");
        if (scope.Role == Users.Roles.Marketing && SalesStages.Contains(to))
            return Refuse("Stage", $"Moving a lead to {to} is sales' decision (accepting it, qualifying it, the deal): a sales user or an admin records it.");
        if (input.Note is { Length: > 4000 }) return Refuse("Note", "Keep the note under 4,000 characters.");
        if (personIds.Count == 0) return Refuse("ids", "Select at least one lead.");
        if (personIds.Count > 1000) return Refuse("ids", "Move at most 1,000 leads at a time.");

        var refused = new List<Refusal>();
        try
        {
            return await consequences.WriteAsync(async (c, tx) =>
            {
            refused.Clear();
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var moved = 0;
            foreach (var id in personIds.Distinct())
            {
                var person = await scope.FindAsync(c, tx, id);
                if (person is null) { refused.Add(new(id, $"Person {id}", "ids", "This lead does not exist or is not yours to change.")); continue; }
                person = (await PersonStore.FindAsync(c, tx, person.Id, forUpdate: true))!;
                var decision = await moveStage.MoveAsync(c, tx, person,
                    new StageMove(to, actor, now, input.ReasonCode, string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim()));
                if (!decision.IsAllowed)
                {
                    refused.Add(new(person.Id, Name(person), decision.Field ?? "Stage", decision.Reason!));
                    continue;
                }
                moved++;
            }
            // Throwing rolls the whole batch back: nothing is half-moved.
            if (refused.Count > 0) throw new BatchRefused();
            return new Outcome(moved, []);
            }, ct);
        }
        catch (BatchRefused)
        {
            return new Outcome(0, refused);
        }
    }

    /// <summary>
    /// The stages sales' decisions lead to. Marketing moves leads among its own stages (and recycles or disqualifies them),
    /// but does not accept or qualify on sales' behalf — that would write sales' side of the closed loop for them.
    /// </summary>
    public static readonly IReadOnlySet<Stage> SalesStages = new HashSet<Stage> { Stage.SAL, Stage.SQL, Stage.Opportunity, Stage.Customer };

    private static Outcome Refuse(string field, string reason) => new(0, [new Refusal(0, "", field, reason)]);

    private static string Name(PersonRow p) => $"{p.FirstName} {p.LastName}".Trim() is { Length: > 0 } n ? n : p.Email ?? $"Person {p.Id}";

    private sealed class BatchRefused : Exception;
}
