using System.Globalization;

namespace Tandem.Domain.Planning;

/// <param name="AvailableHoursPerWeek">The team's rep-hours for working leads each week; null where no team is named.</param>
/// <param name="Enough">Whether the team has the hours; null where either side is unknown.</param>
public sealed record CapacityCheck(double? MqlsPerWeek, int AttemptsPerMql, double MinutesPerAttempt, double? NeededHoursPerWeek,
    double? AvailableHoursPerWeek, bool? Enough, string Words);

/// <summary>
/// Sales' side of the plan: the MQLs it brings, each worked the SLA's minimum number of attempts at so many minutes an
/// attempt, as rep-hours a week against the hours the team has.
/// </summary>
public static class Capacity
{
    public static CapacityCheck Check(double? mqls, int periodDays, int attemptsPerMql, double minutesPerAttempt, string? teamName, double? teamHoursPerWeek)
    {
        var team = teamName ?? "the team";
        if (mqls is not { } m)
            return new(null, attemptsPerMql, minutesPerAttempt, null, teamHoursPerWeek, null,
                "The capacity cannot be checked: the plan's MQLs cannot be worked back.");
        var perWeek = m * 7.0 / periodDays;
        var hours = perWeek * attemptsPerMql * minutesPerAttempt / 60.0;
        var need = $"These {WorkBack.Whole(m).ToString(Inv)} MQLs ({perWeek.ToString("0.#", Inv)} a week) at the SLA's {attemptsPerMql} attempts each, " +
                   $"{minutesPerAttempt.ToString("0.#", Inv)} minutes an attempt, need {hours.ToString("0.#", Inv)} rep-hours a week";
        if (teamHoursPerWeek is not { } have)
            return new(perWeek, attemptsPerMql, minutesPerAttempt, hours, null, null, need + "; no team is named to check them against.");
        var enough = hours <= have + 1e-9;
        var verdict = enough ? "enough" : $"{(hours - have).ToString("0.#", Inv)} rep-hours a week short";
        return new(perWeek, attemptsPerMql, minutesPerAttempt, hours, have, enough,
            $"{need}; {team} has {have.ToString("0.#", Inv)} — {verdict}.");
    }

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
}
