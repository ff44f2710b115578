using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Sla;
using Tandem.Domain.Stall;
using Tandem.Server.Hosting;
using Tandem.Server.Lifecycle;
using Tandem.Server.Security;
using Tandem.Server.Sla;
using Tandem.Server.Storage;
using Tandem.Server.Audit;

namespace Tandem.Server.Stall;

/// <summary>/api/v1/stalls/rules: the published rules, the draft, a preview of the draft against today's leads, publishing.</summary>
internal static class ManageStallRules
{
    public sealed record VersionDto(long Version, JsonElement Definition, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? PublishedAt, string? PublishedBy);

    public sealed record RulesDto(VersionDto? Published, VersionDto? Draft);

    public sealed record PreviewLead(long PersonId, string? Email, string? Name, string Stage, string? Owner, DateTimeOffset StalledSince, string Story);

    public sealed record PreviewRule(string Key, string Name, long StalledNow, IReadOnlyList<PreviewLead> First);

    public sealed record PreviewDto(long Version, IReadOnlyList<PreviewRule> Rules);

    public static VersionDto Dto(StallRuleVersionRow r) => new(r.Version, JsonDocument.Parse(r.Definition).RootElement.Clone(),
        DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt), r.CreatedBy, r.PublishedAt is { } p ? DateTimeOffset.FromUnixTimeMilliseconds(p) : null, r.PublishedBy);

    public static async Task<Ok<RulesDto>> Get(Database db, CancellationToken ct) =>
        TypedResults.Ok(await db.ReadAsync(async c =>
        {
            var published = await StallRuleStore.PublishedAsync(c, null);
            var draft = await StallRuleStore.DraftAsync(c, null);
            return new RulesDto(published is null ? null : Dto(published), draft is null ? null : Dto(draft));
        }, ct));

    public static async Task<Results<Ok<VersionDto>, ValidationProblem>> SaveDraft(JsonElement body, HttpContext http, Database db, TimeProvider clock,
        CancellationToken ct)
    {
        var (set, problems) = StallRuleParser.Parse(body);
        if (set is null) return Problems.Fields(problems.GroupBy(p => p.Path).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()));
        var by = Actors.Of(http.User).Name;
        return await db.WriteAsync<Results<Ok<VersionDto>, ValidationProblem>>(async (c, tx) =>
        {
            var missing = await StallRuleStore.MissingReferencesAsync(c, tx, set);
            if (missing.Count > 0) return Problems.Fields(missing);
            return TypedResults.Ok(Dto(await StallRuleStore.SaveDraftAsync(c, tx, set, by, clock.GetUtcNow().ToUnixTimeMilliseconds())));
        }, ct);
    }

    public static async Task<Results<Ok<VersionDto>, ProblemHttpResult>> Publish(HttpContext http, Database db, TimeProvider clock, CancellationToken ct)
    {
        var by = Actors.Of(http.User).Name;
        var row = await db.WriteAsync(async (c, tx) =>
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var published = await StallRuleStore.PublishAsync(c, tx, by, now);
            if (published is not null) await AuditLog.WriteAsync(c, tx, now, "settings.stall_rules.published", $"version {published.Version}");
            return published;
        }, ct);
        return row is null
            ? Problems.Conflict("Nothing to publish.", "There is no draft newer than the published rules; save one with PUT /api/v1/stalls/rules/draft.")
            : TypedResults.Ok(Dto(row));
    }

    /// <summary>Who the draft (or, without one, the published rules) would find stalled right now, rule by rule: a count and the first 20.</summary>
    public static async Task<Ok<PreviewDto>> Preview(Database db, TimeProvider clock, ReasonCatalog reasons, CancellationToken ct) =>
        TypedResults.Ok(await db.ReadAsync(async c =>
        {
            var row = await StallRuleStore.DraftAsync(c, null) ?? await StallRuleStore.PublishedAsync(c, null);
            return row is null ? new PreviewDto(0, []) : new PreviewDto(row.Version, await PreviewAsync(c, row.Parse(), clock.GetUtcNow(), reasons.LostStageReason));
        }, ct));

    public static async Task<IReadOnlyList<PreviewRule>> PreviewAsync(System.Data.Common.DbConnection c, StallRuleSet set, DateTimeOffset now, string lostReason)
    {
        var watched = set.Rules.SelectMany(r => r.Stages).Distinct().Select(s => s.ToString()).ToArray();
        if (watched.Length == 0) return [];
        var leads = await StallFactsReader.ReadAsync(c, null, $"p.merged_into_id IS NULL AND p.erased_at IS NULL AND {SqlDialect.Of(c).In("p.stage", "@watched")}", lostReason,
            new { watched });
        var calendars = await SlaCalendars.LoadAllAsync(c, null);
        var names = (await c.QueryAsync<(long Id, string? Email, string? FirstName, string? LastName)>(
            $"SELECT id, email, first_name, last_name FROM people p WHERE p.merged_into_id IS NULL AND {SqlDialect.Of(c).In("p.stage", "@watched")}",
            new { watched })).ToDictionary(p => p.Id);
        var result = new List<PreviewRule>();
        foreach (var rule in set.Rules)
        {
            var calendar = rule.CalendarId is { } id && calendars.TryGetValue(id, out var cal) ? cal : null;
            var hits = new List<PreviewLead>();
            long count = 0;
            foreach (var (f, _) in leads)
            {
                if (!StallEvaluator.IsStalled(rule, f, calendar, now, out var since)) continue;
                count++;
                if (hits.Count >= 20) continue;
                var n = names.GetValueOrDefault(f.PersonId);
                var name = string.Join(' ', new[] { n.FirstName, n.LastName }.Where(x => !string.IsNullOrWhiteSpace(x)));
                hits.Add(new PreviewLead(f.PersonId, n.Email, name.Length > 0 ? name : null, f.Stage.ToString(), f.OwnerName, since,
                    StallStory.Tell(rule, f, now, calendar)));
            }
            result.Add(new PreviewRule(rule.Key, rule.Name, count, hits));
        }
        return result;
    }

    public static async Task<Ok<IReadOnlyList<VersionDto>>> Versions(Database db, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<VersionDto>>((await db.ReadAsync(StallRuleStore.VersionsAsync, ct)).Select(Dto).ToList());
}
