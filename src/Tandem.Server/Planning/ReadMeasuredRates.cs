using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Planning;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;

namespace Tandem.Server.Planning;

internal sealed record MeasuredRateDto(string Name, string Label, double? Value, long Sample, long Converted, bool TooSmall);

/// <param name="Channel">A first-touch channel, or null for the whole workspace.</param>
internal sealed record MeasuredChannelDto(string? Channel, IReadOnlyList<MeasuredRateDto> Rates);

internal sealed record MeasuredRatesDto(DateTimeOffset From, DateTimeOffset To, int TooSmallBelow, IReadOnlyList<MeasuredChannelDto> Channels);

/// <summary>GET /api/v1/plans/rates?days=180: the rates a plan would measure now, with their samples, before any plan is saved.</summary>
internal static class ReadMeasuredRates
{
    public static async Task<Results<Ok<MeasuredRatesDto>, ValidationProblem>> Handle(int? days, Database db, TimeProvider clock, CancellationToken ct)
    {
        if (days is not null and not (>= 7 and <= 1096)) return Problems.Field("days", "Use 7 to 1096 days of history.");
        var to = new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        var from = to.AddDays(-(days ?? PlanRequest.DefaultMeasureDays));
        var measured = await db.ReadAsync(c => MeasuredRates.ReadAsync(c, from, to), ct);
        var channels = measured.ByChannel.OrderBy(kv => kv.Key == "" ? 0 : 1).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new MeasuredChannelDto(kv.Key == "" ? null : kv.Key, PlanSteps.All.Skip(1).Select(step =>
            {
                var r = kv.Value[PlanSteps.RateInto(step)];
                return new MeasuredRateDto(PlanSteps.RateInto(step), PlanSteps.RateLabel(step), r.Value, r.Sample, r.Converted, r.IsTooSmall);
            }).ToList())).ToList();
        return TypedResults.Ok(new MeasuredRatesDto(from, to, MeasuredRate.TooSmall, channels));
    }
}
