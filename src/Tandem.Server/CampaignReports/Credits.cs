using System.Data.Common;
using Dapper;
using Tandem.Domain.Capture;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Reporting;
using Tandem.Server.Storage;
using Tandem.Server.Web.Access;

namespace Tandem.Server.CampaignReports;

/// <summary>The outcomes credited: a person reaching a stage of the revenue cycle for the first time.</summary>
internal enum OutcomeKind { Lead, Mql, Sql, Opportunity, Customer }

/// <summary>A touchpoint: an activity carrying a campaign or a channel (a tagged visit, a form of a campaign, an imported touch).</summary>
internal sealed record Touch(long At, long? CampaignId, string Channel);

/// <summary>
/// One share of one outcome's credit: who reached which stage when, with the amount (pipeline for an opportunity, revenue
/// for a customer), and the campaign and channel of the touch that earns the share.
/// </summary>
internal sealed record Credit(long PersonId, OutcomeKind Kind, long At, decimal Amount, long? CampaignId, string Channel, double Share);

/// <summary>
/// Reads the outcomes of a period and the touchpoints before them, and shares each outcome's credit with
/// <see cref="CreditSplit"/>. A person reaches a stage when they first enter it or any later stage of the main path
/// (someone imported straight in as a Customer was a lead, an MQL… at that instant). An outcome with no touchpoint before
/// it is credited to the person's recorded first touch (its channel, and its campaign when one has that utm_campaign or
/// name), so every outcome's credit sums to 1.
/// </summary>
internal static class Credits
{
    public const string NoChannel = "unknown";
    private const int Chunk = 2000;

    private static readonly (Stage Stage, OutcomeKind Kind)[] Reached =
        [(Stage.Lead, OutcomeKind.Lead), (Stage.MQL, OutcomeKind.Mql), (Stage.SQL, OutcomeKind.Sql), (Stage.Opportunity, OutcomeKind.Opportunity), (Stage.Customer, OutcomeKind.Customer)];

    private static readonly string[] MainStages = Enum.GetValues<Stage>().Where(s => s >= Stage.Lead && s.IsMain()).Select(s => s.ToString()).ToArray();

    private sealed record StageRow(long PersonId, string ToStage, long ChangedAt);

    private sealed record TouchRow(long PersonId, long OccurredAt, long? CampaignId, string? Channel);

    private sealed record PersonFacts(long Id, string? FirstTouchChannel, string? FirstTouch, long? FirstTouchAt, long CreatedAt);

    private sealed record AmountRow(long PersonId, string Kind, long? AmountCents, long DecidedAt, long Id);

    private sealed record CampaignKey(long Id, string Name, string Channel, string? UtmCampaign);

    /// <param name="scope">The people whose outcomes count (a rep's own, a manager's teams'); everyone when null.</param>
    public static async Task<IReadOnlyList<Credit>> ReadAsync(DbConnection c, ReportPeriod period, CreditModel model, LeadScope? scope)
    {
        var args = new DynamicParameters(new { from = period.FromMs, to = period.EndMs, stages = MainStages });
        scope?.AddTo(args);
        var candidates = (await c.QueryAsync<long>(
            "SELECT DISTINCT s.person_id FROM stage_changes s JOIN people p ON p.id = s.person_id " +
            $"WHERE s.changed_at >= @from AND s.changed_at < @to AND {Sql.In(c, "s.to_stage", "@stages")} AND p.merged_into_id IS NULL" +
            (scope is null ? "" : $" AND {scope.Condition}"), args)).ToArray();
        var campaigns = (await c.QueryAsync<CampaignKey>("SELECT id, name, channel, utm_campaign FROM campaigns")).ToList();
        var campaignChannel = campaigns.ToDictionary(k => k.Id, k => k.Channel);

        var credits = new List<Credit>();
        foreach (var chunk in candidates.Chunk(Chunk))
        {
            var dialect = SqlDialect.Of(c);
            var (inPeople, ids) = dialect.InIdList("person_id", "@ids", chunk);
            var (inIds, _) = dialect.InIdList("id", "@ids", chunk);
            var stageArgs = new { ids, stages = MainStages };
            var stages = (await c.QueryAsync<StageRow>(
                $"SELECT person_id, to_stage, changed_at FROM stage_changes WHERE {inPeople} AND {Sql.In(c, "to_stage", "@stages")}", stageArgs)).ToLookup(r => r.PersonId);
            var touches = (await c.QueryAsync<TouchRow>(
                $"SELECT person_id, occurred_at, campaign_id, channel FROM activities WHERE {inPeople} AND (channel IS NOT NULL OR campaign_id IS NOT NULL) " +
                "ORDER BY person_id, occurred_at, id", new { ids })).ToLookup(r => r.PersonId);
            var people = (await c.QueryAsync<PersonFacts>(
                $"SELECT id, first_touch_channel, first_touch, first_touch_at, created_at FROM people WHERE {inIds}", new { ids })).ToDictionary(p => p.Id);
            var amounts = (await c.QueryAsync<AmountRow>(
                $"SELECT person_id, kind, amount_cents, decided_at, id FROM dispositions WHERE {inPeople} AND kind IN ('opportunity', 'won') AND amount_cents IS NOT NULL",
                new { ids })).ToLookup(r => r.PersonId);

            foreach (var personId in chunk)
            {
                if (!people.TryGetValue(personId, out var person)) continue;
                var reach = ReachTimes(stages[personId]);
                if (reach[0] is not { } leadAt) continue;
                var personTouches = touches[personId].Select(t => new Touch(t.OccurredAt, t.CampaignId,
                    (t.Channel is { } own ? Channels.Fold(own) : null) ?? (t.CampaignId is { } k && campaignChannel.TryGetValue(k, out var ch) ? ch : NoChannel))).ToList();
                var times = personTouches.Select(t => t.At).ToList();
                for (var i = 0; i < Reached.Length; i++)
                {
                    if (reach[i] is not { } at || at < period.FromMs || at >= period.EndMs) continue;
                    var kind = Reached[i].Kind;
                    var amount = kind switch
                    {
                        OutcomeKind.Opportunity => FirstAmount(amounts[personId], "opportunity"),
                        OutcomeKind.Customer => FirstAmount(amounts[personId], "won"),
                        _ => 0m,
                    };
                    var shares = CreditSplit.Split(model, new Journey(times, at, leadAt, reach[3]));
                    var credited = false;
                    for (var t = 0; t < shares.Length; t++)
                    {
                        if (shares[t] <= 0) continue;
                        credits.Add(new Credit(personId, kind, at, amount, personTouches[t].CampaignId, personTouches[t].Channel, shares[t]));
                        credited = true;
                    }
                    if (!credited)
                    {
                        var (campaignId, channel) = RecordedFirstTouch(person, campaigns);
                        credits.Add(new Credit(personId, kind, at, amount, campaignId, channel, 1));
                    }
                }
            }
        }
        return credits;
    }

    /// <summary>When the person first reached Lead, MQL, SQL, Opportunity and Customer (or any stage after it on the main path).</summary>
    private static long?[] ReachTimes(IEnumerable<StageRow> rows)
    {
        var reach = new long?[Reached.Length];
        foreach (var row in rows)
        {
            if (!Enum.TryParse<Stage>(row.ToStage, out var stage)) continue;
            for (var i = 0; i < Reached.Length; i++)
                if (stage >= Reached[i].Stage && (reach[i] is null || row.ChangedAt < reach[i])) reach[i] = row.ChangedAt;
        }
        return reach;
    }

    private static decimal FirstAmount(IEnumerable<AmountRow> rows, string kind) =>
        rows.Where(r => r.Kind == kind).OrderBy(r => r.DecidedAt).ThenBy(r => r.Id).Select(r => r.AmountCents!.Value / 100m).FirstOrDefault();

    private static (long? CampaignId, string Channel) RecordedFirstTouch(PersonFacts person, IReadOnlyList<CampaignKey> campaigns)
    {
        var touch = person.FirstTouch is null ? null : Json.Read<Tandem.Domain.Capture.Attribution?>(person.FirstTouch, null);
        var utm = touch?.UtmCampaign?.Trim();
        var name = touch?.Campaign?.Trim();
        var campaign = (utm is null ? null : campaigns.FirstOrDefault(k => string.Equals(k.UtmCampaign, utm, StringComparison.OrdinalIgnoreCase)))
                       ?? (name is null ? null : campaigns.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase)
                                                                           || string.Equals(k.UtmCampaign, name, StringComparison.OrdinalIgnoreCase)));
        return (campaign?.Id, (person.FirstTouchChannel is { } first ? Channels.Fold(first) : null) ?? campaign?.Channel ?? NoChannel);
    }
}
