using System.Data.Common;
using Dapper;

namespace Tandem.Server.Nurture;

/// <summary>What one program's emails came to, per program or per step.</summary>
internal sealed record EmailFiguresDto(long Sent, long Delivered, long Opened, long Clicked, long Replied, long Unsubscribed, long Bounced);

/// <summary>
/// Conversion (reached MQL after entering) of those enrolled and emailed against the holdout, which entered but was
/// never emailed — the comparison that says whether the program, not the season, made the difference.
/// </summary>
internal sealed record ConversionDto(long Emailed, long EmailedReachedMql, double? EmailedRate, long HeldOut, long HeldOutReachedMql, double? HeldOutRate,
    double? Lift);

internal sealed record StepFiguresDto(string Key, long Runs, EmailFiguresDto Emails, long BecameMql);

internal sealed record ProgramFiguresDto(long Enrolled, long Active, long Completed, long Exited, long HeldOut, EmailFiguresDto Emails, long BecameMql,
    long AcceptedBySales, long Won, ConversionDto Conversion, IReadOnlyList<StepFiguresDto> Steps)
{
    public static readonly ProgramFiguresDto Empty = new(0, 0, 0, 0, 0, new EmailFiguresDto(0, 0, 0, 0, 0, 0, 0), 0, 0, 0,
        new ConversionDto(0, 0, null, 0, 0, null, null), []);
}

/// <summary>
/// The program's figures, read from the rows themselves: enrollments, sends (opens are people's, never privacy
/// proxies'), stage history and sales' dispositions after each person entered. Enrolled excludes the holdout.
/// </summary>
internal static class ProgramFigures
{
    private const string EmailColumns =
        "COUNT(*) AS sent, COALESCE(SUM(CASE WHEN status = 'sent' THEN 1 ELSE 0 END), 0) AS delivered, " +
        "COALESCE(SUM(CASE WHEN first_opened_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS opened, " +
        "COALESCE(SUM(CASE WHEN first_clicked_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS clicked, " +
        "COALESCE(SUM(CASE WHEN replied_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS replied, " +
        "COALESCE(SUM(CASE WHEN unsubscribed_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS unsubscribed, " +
        "COALESCE(SUM(CASE WHEN bounced_at IS NOT NULL OR complained_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS bounced";

    private const string ReachedMql =
        "EXISTS (SELECT 1 FROM stage_changes s WHERE s.person_id = e.person_id AND s.to_stage = 'MQL' AND s.changed_at >= e.entered_at)";

    private static string Disposition(string kind) =>
        $"EXISTS (SELECT 1 FROM dispositions d WHERE d.person_id = e.person_id AND d.kind = '{kind}' AND d.decided_at >= e.entered_at)";

    public static async Task<ProgramFiguresDto> OfAsync(DbConnection c, long id, DbTransaction? tx = null)
    {
        var statuses = (await c.QueryAsync<(string Status, long Count)>(
            "SELECT status, COUNT(*) FROM nurture_enrollments WHERE program_id = @id GROUP BY status", new { id }, tx)).ToDictionary(r => r.Status, r => r.Count);
        long Of(string s) => statuses.GetValueOrDefault(s);
        var emails = await c.QuerySingleAsync<EmailRow>($"SELECT {EmailColumns} FROM email_sends WHERE program_id = @id", new { id }, tx);
        var outcomes = await c.QuerySingleAsync<OutcomeRow>(
            $"SELECT COALESCE(SUM(CASE WHEN {ReachedMql} THEN 1 ELSE 0 END), 0) AS mql, " +
            $"COALESCE(SUM(CASE WHEN {Disposition("accepted")} THEN 1 ELSE 0 END), 0) AS accepted, " +
            $"COALESCE(SUM(CASE WHEN {Disposition("won")} THEN 1 ELSE 0 END), 0) AS won " +
            "FROM nurture_enrollments e WHERE e.program_id = @id AND e.status <> 'held_out'", new { id }, tx);
        var emailed = await c.QuerySingleAsync<(long Count, long Mql)>(
            $"SELECT COUNT(*), COALESCE(SUM(CASE WHEN {ReachedMql} THEN 1 ELSE 0 END), 0) FROM nurture_enrollments e " +
            "WHERE e.program_id = @id AND e.status <> 'held_out' AND EXISTS (SELECT 1 FROM email_sends m WHERE m.enrollment_id = e.id AND m.status <> 'failed')",
            new { id }, tx);
        var held = await c.QuerySingleAsync<(long Count, long Mql)>(
            $"SELECT COUNT(*), COALESCE(SUM(CASE WHEN {ReachedMql} THEN 1 ELSE 0 END), 0) FROM nurture_enrollments e " +
            "WHERE e.program_id = @id AND e.status = 'held_out'", new { id }, tx);
        double? Rate(long n, long of) => of == 0 ? null : Math.Round((double)n / of, 4);
        var emailedRate = Rate(emailed.Mql, emailed.Count);
        var heldRate = Rate(held.Mql, held.Count);

        var runs = (await c.QueryAsync<(string Key, long Runs, long Mql)>(
            "SELECT r.step_key, COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM stage_changes s JOIN nurture_enrollments e ON e.id = r.enrollment_id " +
            "WHERE s.person_id = e.person_id AND s.to_stage = 'MQL' AND s.changed_at >= r.at) THEN 1 ELSE 0 END), 0) " +
            "FROM nurture_step_runs r WHERE r.program_id = @id GROUP BY r.step_key", new { id }, tx)).ToList();
        var stepEmails = (await c.QueryAsync<EmailRow>(
            $"SELECT step_key AS key, {EmailColumns} FROM email_sends WHERE program_id = @id AND step_key IS NOT NULL GROUP BY step_key", new { id }, tx))
            .ToDictionary(r => r.Key!);
        var steps = runs.Select(r => new StepFiguresDto(r.Key, r.Runs, (stepEmails.GetValueOrDefault(r.Key) ?? new EmailRow()).Dto(), r.Mql))
            .OrderBy(s => s.Key, StringComparer.Ordinal).ToList();

        return new ProgramFiguresDto(Of(EnrollmentStatus.Active) + Of(EnrollmentStatus.Completed) + Of(EnrollmentStatus.Exited), Of(EnrollmentStatus.Active),
            Of(EnrollmentStatus.Completed), Of(EnrollmentStatus.Exited), Of(EnrollmentStatus.HeldOut), emails.Dto(), outcomes.Mql, outcomes.Accepted, outcomes.Won,
            new ConversionDto(emailed.Count, emailed.Mql, emailedRate, held.Count, held.Mql, heldRate,
                emailedRate is { } a && heldRate is { } b ? Math.Round(a - b, 4) : null),
            steps);
    }

    private sealed class EmailRow
    {
        public string? Key { get; set; }
        public long Sent { get; set; }
        public long Delivered { get; set; }
        public long Opened { get; set; }
        public long Clicked { get; set; }
        public long Replied { get; set; }
        public long Unsubscribed { get; set; }
        public long Bounced { get; set; }

        public EmailFiguresDto Dto() => new(Sent, Delivered, Opened, Clicked, Replied, Unsubscribed, Bounced);
    }

    private sealed class OutcomeRow
    {
        public long Mql { get; set; }
        public long Accepted { get; set; }
        public long Won { get; set; }
    }
}
