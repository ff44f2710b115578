using System.Data.Common;
using Dapper;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Planning;
using Tandem.Server.Reports;

namespace Tandem.Server.Planning;

/// <param name="Source">measured, hand or plan (a channel's rate that is the plan's).</param>
/// <param name="Sample">For a measured rate, the people (sessions, for visit→lead) it is measured over.</param>
/// <param name="Warning">Why a measured rate should be read with care: too small a sample, or none.</param>
internal sealed record RateDto(string Name, string Label, string Source, double? Value, long? Sample, long? Converted, string? Warning);

internal sealed record MonthDto(string Month, IReadOnlyDictionary<string, long?> Needed);

internal sealed record ChannelPlanDto(string Channel, double Share, IReadOnlyList<RateDto> Rates, IReadOnlyDictionary<string, long?> Needed,
    string? CannotWorkBack, IReadOnlyList<MonthDto> Months);

/// <param name="People">The people-list filters for the people the actual counts (GET /api/v1/people?{people}); null for visits.</param>
internal sealed record PacingRowDto(string Step, long? Planned, long Actual, double? ExpectedToDate, double? BehindBy, double? Projection, bool Behind,
    string Words, string? People);

/// <param name="Channel">The channel, or null for the whole plan.</param>
internal sealed record PacingGroupDto(string? Channel, IReadOnlyList<PacingRowDto> Rows);

internal sealed record PacingDto(DateTimeOffset AsOf, double Elapsed, double Threshold, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<PacingGroupDto> Groups);

internal sealed record CapacityDto(long? TeamId, string? Team, int? AttemptsPerMql, double MinutesPerAttempt, double? MqlsPerWeek, double? NeededHoursPerWeek,
    double? AvailableHoursPerWeek, bool? Enough, string Words);

internal sealed record ScenarioDto(string Name, string Words, IReadOnlyDictionary<string, long?> Needed, double? BudgetMqls, double? BudgetDeals, decimal? BudgetRevenue);

/// <summary>A plan with everything worked out from it as of now: the table per channel and month, capacity, pacing and scenarios.</summary>
internal sealed record PlanDto(long Id, string Name, string Period, string Label, DateOnly Start, DateOnly End, bool Active, decimal RevenueTarget,
    double MarketingShare, decimal AverageDealSize, decimal MarketingRevenue, DateTimeOffset MeasuredFrom, DateTimeOffset MeasuredTo,
    IReadOnlyList<RateDto> Rates, IReadOnlyList<ChannelPlanDto> Channels, IReadOnlyDictionary<string, long?> Total, IReadOnlyList<MonthDto> Months,
    CapacityDto Capacity, PacingDto Pacing, IReadOnlyList<ScenarioDto> Scenarios, PlanRequest Definition, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>Reads what a stored plan needs from the workspace (measured rates, actuals, the team's hours) and works it out.</summary>
internal static class PlanView
{
    public static async Task<PlanDto> ReadAsync(DbConnection c, PlanRow row, DateTimeOffset now, double threshold)
    {
        var def = row.Request;
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var measureFrom = today.AddDays(-(def.MeasureDays ?? PlanRequest.DefaultMeasureDays));
        var measured = await MeasuredRates.ReadAsync(c, measureFrom, today);
        var inputs = def.Inputs((channel, rate) => measured.Of(channel, rate).Value);
        var worked = WorkBack.Of(inputs);
        var period = inputs.Period;

        var rates = RatesOf(def.Rates, null, inputs.Rates, measured, RateSources.Measured);
        var channels = worked.Channels.Select(ch =>
        {
            var input = def.Channels?.FirstOrDefault(x => x.Channel == ch.Channel);
            return new ChannelPlanDto(ch.Channel, ch.Share, RatesOf(input?.Rates, ch.Channel, ch.Rates, measured, RateSources.Plan), Whole(ch.Needed),
                ch.CannotWorkBack, Months(ch.Months));
        }).ToList();

        var capacity = await CapacityAsync(c, def.Capacity, worked.Total[PlanStep.MQL], period.Days);
        var pacing = await PacingAsync(c, period, worked, now, threshold, inputs.Channels.Count > 0);
        var scenarios = def.ScenarioList.Select(s => Scenarios.Of(inputs, s))
            .Select(o => new ScenarioDto(o.Name, o.Words, Whole(o.Plan.Total), o.BudgetMqls, o.BudgetDeals, o.BudgetRevenue)).ToList();

        return new PlanDto(row.Id, row.Name, row.PeriodKind, period.Label, period.Start, period.End, row.Active != 0, inputs.RevenueTarget, inputs.MarketingShare,
            inputs.AverageDealSize, worked.MarketingRevenue, measureFrom, today, rates, channels, Whole(worked.Total), Months(worked.Months), capacity, pacing,
            scenarios, def, DateTimeOffset.FromUnixTimeMilliseconds(row.UpdatedAt), row.UpdatedBy);
    }

    public static IReadOnlyDictionary<string, long?> Whole(IReadOnlyDictionary<PlanStep, double?> needed) =>
        PlanSteps.All.ToDictionary(s => s.ToString(), s => needed.GetValueOrDefault(s) is { } n ? WorkBack.Whole(n) : (long?)null);

    private static List<MonthDto> Months(IReadOnlyList<MonthNeeds> months) =>
        months.Select(m => new MonthDto(m.Month.ToString("yyyy-MM"), Whole(m.Needed))).ToList();

    private static List<RateDto> RatesOf(Dictionary<string, RateInput>? given, string? channel, FunnelRates used, MeasuredRates measured, string fallback) =>
        PlanSteps.All.Skip(1).Select(to =>
        {
            var name = PlanSteps.RateInto(to);
            var source = PlanRequest.SourceOf(given, name, fallback);
            if (source != RateSources.Measured) return new RateDto(name, PlanSteps.RateLabel(to), source, used.Into(to), null, null, null);
            var m = measured.Of(channel, name);
            var warning = m.Sample == 0 ? "No history in the window to measure it from."
                : m.IsTooSmall ? $"Measured over only {m.Sample} — fewer than {MeasuredRate.TooSmall}; read it with care." : null;
            return new RateDto(name, PlanSteps.RateLabel(to), source, m.Value, m.Sample, m.Converted, warning);
        }).ToList();

    private static async Task<CapacityDto> CapacityAsync(DbConnection c, CapacityInput? input, double? mqls, int days)
    {
        var minutes = input?.MinutesPerAttempt ?? 10;
        // The attempts sales promises per MQL: the MQL policy that applies first (lowest priority) and sets a minimum.
        var attempts = await c.ExecuteScalarAsync<long?>(
            "SELECT attempts_minimum FROM sla_policies WHERE active = 1 AND stage = 'MQL' AND attempts_minimum IS NOT NULL ORDER BY priority, id LIMIT 1");
        string? team = null;
        double? hours = null;
        if (input?.TeamId is { } teamId)
        {
            team = await c.ExecuteScalarAsync<string?>("SELECT name FROM teams WHERE id = @teamId", new { teamId });
            var reps = await c.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM team_members m JOIN users u ON u.id = m.user_id WHERE m.team_id = @teamId AND u.active = 1", new { teamId });
            if (team is not null) hours = reps * (input.HoursPerRepPerWeek ?? 30);
        }
        if (attempts is not { } a)
            return new CapacityDto(input?.TeamId, team, null, minutes, null, null, hours, null,
                "The capacity cannot be checked: no active SLA policy for MQLs sets a minimum number of attempts.");
        var check = Capacity.Check(mqls, days, (int)a, minutes, team, hours);
        return new CapacityDto(input?.TeamId, team, (int)a, minutes, check.MqlsPerWeek, check.NeededHoursPerWeek, check.AvailableHoursPerWeek, check.Enough, check.Words);
    }

    private static async Task<PacingDto> PacingAsync(DbConnection c, PlanPeriod period, WorkedBackPlan worked, DateTimeOffset now, double threshold, bool byChannel)
    {
        var to = now < period.EndsAt ? now : period.EndsAt;
        var totals = new Dictionary<PlanStep, long>();
        var perChannel = new Dictionary<string, Dictionary<PlanStep, long>>(StringComparer.OrdinalIgnoreCase);
        if (to > period.StartsAt)
        {
            var request = new ReportRequest(period.StartsAt, to, "month", FunnelMode.Period, byChannel ? Dimension.Channel : null);
            var funnel = await FunnelReport.ReadAsync(c, request, null);
            var traffic = await TrafficReport.ReadAsync(c, request with { By = null }, null);
            Fill(totals, funnel.Steps.ToDictionary(s => s.Stage, s => s.Count), traffic.Totals.Sessions);
            foreach (var g in funnel.Groups.Where(g => g.Key is not null))
                Fill(perChannel.TryGetValue(Tandem.Domain.Capture.Channels.Fold(g.Key!), out var d) ? d : perChannel[Tandem.Domain.Capture.Channels.Fold(g.Key!)] = [], g.Counts, 0);
            foreach (var ch in traffic.Channels)
            {
                var name = Tandem.Domain.Capture.Channels.Fold(ch.Channel);
                if (!perChannel.TryGetValue(name, out var d)) perChannel[name] = d = [];
                d[PlanStep.Visit] = d.GetValueOrDefault(PlanStep.Visit) + ch.Sessions;
            }
        }

        List<PacingRowDto> Rows(IReadOnlyDictionary<PlanStep, double?> planned, IReadOnlyDictionary<PlanStep, long> actual, string? channel) =>
            Pacing.Rows(period, now, planned, actual).Select(r => new PacingRowDto(r.Step.ToString(), r.Planned is { } p ? WorkBack.Whole(p) : null, r.Actual,
                r.ExpectedToDate, r.BehindBy, r.Projection, r.IsBehind(threshold), r.Words,
                r.Step == PlanStep.Visit ? null : ReportPeople.ReachedFilter(FunnelMode.Period, StageOf(r.Step), period.StartsAt, to > period.StartsAt ? to : period.EndsAt,
                    channel is null ? null : ("source", channel)))).ToList();

        var groups = new List<PacingGroupDto> { new(null, Rows(worked.Total, totals, null)) };
        if (byChannel)
            groups.AddRange(worked.Channels.Select(ch => new PacingGroupDto(ch.Channel, Rows(ch.Needed,
                perChannel.GetValueOrDefault(ch.Channel) ?? new Dictionary<PlanStep, long>(), ch.Channel))));
        return new PacingDto(now, Pacing.Elapsed(period, now), threshold, period.StartsAt, to, groups);
    }

    public static Stage StageOf(PlanStep step) => step == PlanStep.Deal ? Stage.Customer : Enum.Parse<Stage>(step.ToString());

    private static void Fill(Dictionary<PlanStep, long> into, IReadOnlyDictionary<string, long> reached, long sessions)
    {
        foreach (var step in PlanSteps.All.Skip(1))
            into[step] = into.GetValueOrDefault(step) + reached.GetValueOrDefault(StageOf(step).ToString());
        if (sessions > 0) into[PlanStep.Visit] = into.GetValueOrDefault(PlanStep.Visit) + sessions;
    }
}
