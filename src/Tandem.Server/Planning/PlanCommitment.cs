using System.Data.Common;
using Tandem.Domain.Planning;

namespace Tandem.Server.Planning;

/// <summary>Marketing's MQL commitment for a month as an active plan sets it: the plan's MQLs for that month, at the MQL→SAL rate it assumes.</summary>
internal sealed record PlanCommitment(long PlanId, string PlanName, int MinimumMqls, int MinimumAcceptancePercent);

internal static class PlanCommitments
{
    /// <summary>
    /// The commitment the active plan covering <paramref name="monthStart"/> sets (a month's plan before its quarter's),
    /// or null when no active plan covers it or its MQLs cannot be worked back. Measured rates are read as of <paramref name="now"/>.
    /// </summary>
    public static async Task<PlanCommitment?> ForMonthAsync(DbConnection c, DateTimeOffset monthStart, DateTimeOffset now)
    {
        if ((await PlanStore.ActiveAtAsync(c, monthStart.ToUnixTimeMilliseconds())).FirstOrDefault() is not { } row) return null;
        var def = row.Request;
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var measured = await MeasuredRates.ReadAsync(c, today.AddDays(-(def.MeasureDays ?? PlanRequest.DefaultMeasureDays)), today);
        var inputs = def.Inputs((channel, rate) => measured.Of(channel, rate).Value);
        var worked = WorkBack.Of(inputs);
        var month = worked.Months.FirstOrDefault(m => m.Month == DateOnly.FromDateTime(monthStart.UtcDateTime));
        if (month?.Needed[PlanStep.MQL] is not { } mqls) return null;
        // The acceptance the plan counts on: the SALs it needs over the MQLs it needs, across the channel mix.
        var accepted = worked.Total[PlanStep.SAL] is { } sals && worked.Total[PlanStep.MQL] is { } all && all > 0 ? sals / all : 0;
        return new PlanCommitment(row.Id, row.Name, (int)WorkBack.Whole(mqls), (int)Math.Round(accepted * 100));
    }
}
