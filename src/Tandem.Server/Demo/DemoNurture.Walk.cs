using System.Data.Common;
using System.Text.Json;
using Dapper;
using Tandem.Domain.Email;
using Tandem.Domain.Lifecycle;
using Tandem.Domain.Nurture;
using Tandem.Server.Activities;
using Tandem.Server.Email;
using Tandem.Server.Hosting;
using Tandem.Server.Lifecycle;
using Tandem.Server.Nurture;
using Tandem.Server.People;
using Tandem.Server.Storage;

namespace Tandem.Server.Demo;

internal static partial class DemoNurture
{
    /// <summary>One enrollment's walk through the steps, as far as the seeding instant; what is left is due to the scheduler.</summary>
    private sealed class Walk(DbConnection c, DbTransaction tx, ProgramRow program, Candidate person, Random random, Counters counters, DateTimeOffset now)
    {
        public long EnrollmentId;
        public DateTimeOffset At;
        public readonly List<long> Sends = [];
        public bool Clicked;
        public bool Opened;
        public string? Ended;
        private long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

        public async Task EnterAsync(DateTimeOffset at, string by)
        {
            At = at;
            var held = Holdout.IsHeldOut(person.Id, program.Id, 10);
            EnrollmentId = await c.ExecuteScalarAsync<long>(
                "INSERT INTO nurture_enrollments (person_id, program_id, version, kind, status, current_step, due_at, entered_at, entered_by) " +
                "VALUES (@Id, @program, 1, @kind, @status, NULL, NULL, @at, @by) RETURNING id",
                new { person.Id, program = program.Id, kind = program.Kind, status = held ? EnrollmentStatus.HeldOut : EnrollmentStatus.Active, at = Ms(at), by }, tx);
            if (held) Ended = EnrollmentStatus.HeldOut;
        }

        /// <summary>False when the step is not due before the seeding instant: the enrollment waits on it.</summary>
        public async Task<bool> DueAsync(string step)
        {
            if (Ended is not null) return false;
            if (At < now) return true;
            await c.ExecuteAsync("UPDATE nurture_enrollments SET current_step = @step, due_at = @due WHERE id = @EnrollmentId",
                new { step, due = Ms(At), EnrollmentId }, tx);
            Ended = EnrollmentStatus.Active;
            return false;
        }

        public Task RunAsync(string step, string outcome, string? detail, long? sendId = null) =>
            c.ExecuteAsync("INSERT INTO nurture_step_runs (enrollment_id, program_id, step_key, attempt, outcome, detail, send_id, at) " +
                           "VALUES (@EnrollmentId, @program, @step, 1, @outcome, @detail, @sendId, @at)",
                new { EnrollmentId, program = program.Id, step, outcome, detail, sendId, at = Ms(At) }, tx);

        public async Task ExitAsync(string status, string reason, DateTimeOffset at)
        {
            await c.ExecuteAsync("UPDATE nurture_enrollments SET status = @status, exit_reason = @reason, exited_at = @at, current_step = NULL, due_at = NULL WHERE id = @EnrollmentId",
                new { status, reason, at = Ms(at), EnrollmentId }, tx);
            Ended = status;
        }

        /// <summary>Waits, moving to the next weekday morning-to-afternoon window as the send window would.</summary>
        public async Task WaitAsync(string step, TimeSpan wait)
        {
            if (!await DueAsync(step)) return;
            var until = At + wait;
            await RunAsync(step, "waited", $"until {until:O}");
            At = until;
        }

        /// <summary>An email sent in the past and what its reader did with it — opens, clicks, a reply, an unsubscribe, a bounce.</summary>
        public async Task EmailAsync(string step, (long Id, Template T) template, double engagement)
        {
            if (!await DueAsync(step)) return;
            At = SendWindow(At, random);
            if (At >= now) { await DueAsync(step); return; }
            var n = ++counters.Sends;
            var subject = Merge(template.T.Subject);
            var text = Merge(template.T.Body).Replace("{{owner.signature}}", "The Lumen team", StringComparison.Ordinal);
            var sendId = await c.ExecuteScalarAsync<long>(
                "INSERT INTO email_sends (person_id, template_id, kind, topic, program_id, enrollment_id, step_key, to_address, from_address, reply_to, subject, " +
                "text_body, html_body, message_id, reply_token, status, queued_at, attempts, next_attempt_at, sent_at) VALUES (@Id, @templateId, 'marketing', " +
                "@topic, @program, @EnrollmentId, @step, @Email, @From, 'team@lumen.example', @subject, @text, @html, @messageId, @token, 'sent', @at, 1, @at, @at) RETURNING id",
                new
                {
                    person.Id, templateId = template.Id, topic = template.T.Topic, program = program.Id, EnrollmentId, step, person.Email, From, subject, text,
                    html = "<p>" + System.Net.WebUtility.HtmlEncode(text).Replace("\n\n", "</p><p>", StringComparison.Ordinal) + "</p>",
                    messageId = $"demo.{n}.{random.Next(100000, 999999)}@lumen.example", token = $"d{n}x{random.NextInt64():x16}", at = Ms(At),
                }, tx);
            Sends.Add(sendId);
            await RunAsync(step, "sent", null, sendId);
            await ActivityAsync("email_sent", At, sendId, step, template);

            var roll = random.NextDouble();
            if (roll < 0.012 || n >= 7 && !counters.Bounced)
            {
                counters.Bounced = true;
                var bounced = At.AddSeconds(20 + random.Next(200));
                await c.ExecuteAsync("UPDATE email_sends SET bounced_at = @b, bounce_kind = 'hard' WHERE id = @sendId", new { b = Ms(bounced), sendId }, tx);
                await EmailSuppressions.SuppressAsync(c, tx, person.Email, SuppressionReasons.HardBounce, "SMTP 550 5.1.1 user unknown", person.Id, sendId, Ms(bounced));
                await ActivityAsync("email_bounced", bounced, sendId, step, template);
                await ExitAsync(EnrollmentStatus.Exited, ExitReasons.Bounced, bounced);
                return;
            }
            if (random.NextDouble() > 0.32 + 0.35 * engagement) return;
            var opened = At.AddMinutes(10 + random.NextDouble() * 36 * 60);
            if (opened >= now) return;
            Opened = true;
            var opens = ++counters.Opens;
            await c.ExecuteAsync("UPDATE email_sends SET first_opened_at = @o, opens = @opens WHERE id = @sendId",
                new { o = Ms(opened), opens = 1 + (int)(random.NextDouble() * random.NextDouble() * 5), sendId }, tx);
            await ActivityAsync("email_opened", opened, sendId, step, template);
            roll = random.NextDouble();
            if (roll < 0.022 || opens >= 4 && !counters.Unsubscribed)
            {
                counters.Unsubscribed = true;
                var unsubscribed = opened.AddMinutes(1 + random.Next(5));
                await c.ExecuteAsync("UPDATE email_sends SET unsubscribed_at = @u WHERE id = @sendId", new { u = Ms(unsubscribed), sendId }, tx);
                await c.ExecuteAsync("UPDATE people SET unsubscribed = 1 WHERE id = @Id", new { person.Id }, tx);
                await EmailSuppressions.SuppressAsync(c, tx, person.Email, SuppressionReasons.Unsubscribed, "unsubscribe link", person.Id, sendId, Ms(unsubscribed));
                await c.ExecuteAsync(
                    "INSERT INTO email_consents (person_id, status, basis, source, updated_at) VALUES (@Id, 'opted_out', 'legitimate_interest', 'unsubscribe link', @u) " +
                    "ON CONFLICT (person_id) DO UPDATE SET status = 'opted_out', source = 'unsubscribe link', updated_at = @u", new { person.Id, u = Ms(unsubscribed) }, tx);
                await c.ExecuteAsync("INSERT INTO email_consent_log (person_id, action, source, detail, at) VALUES (@Id, 'opted_out', 'unsubscribe link', @detail, @u)",
                    new { person.Id, detail = $"send {sendId}", u = Ms(unsubscribed) }, tx);
                await ActivityAsync("email_unsubscribed", unsubscribed, sendId, step, template);
                await ExitAsync(EnrollmentStatus.Exited, ExitReasons.Unsubscribed, unsubscribed);
                return;
            }
            if (random.NextDouble() < 0.3 + 0.3 * engagement)
            {
                var clicked = opened.AddSeconds(5 + random.Next(300));
                Clicked = true;
                await c.ExecuteAsync("UPDATE email_sends SET first_clicked_at = @k, clicks = @clicks WHERE id = @sendId",
                    new { k = Ms(clicked), clicks = 1 + random.Next(3), sendId }, tx);
                await ActivityAsync("email_clicked", clicked, sendId, step, template, LinkOf(template.T.Body));
            }
            if (roll > 0.955 || opens >= 6 && !counters.Replied)
            {
                var replied = opened.AddMinutes(3 + random.NextDouble() * 240);
                if (replied >= now) return;
                counters.Replied = true;
                await c.ExecuteAsync("UPDATE email_sends SET replied_at = @r WHERE id = @sendId", new { r = Ms(replied), sendId }, tx);
                await ActivityAsync("email_replied", replied, sendId, step, template);
                await ExitAsync(EnrollmentStatus.Exited, ExitReasons.Replied, replied);
            }
        }

        /// <summary>Ends the enrollment if the person reached MQL (or was accepted) before <paramref name="until"/>, as the exits would.</summary>
        public async Task ExitIfProgressedAsync(DateTimeOffset until)
        {
            if (Ended is not null) return;
            var change = await c.QueryFirstOrDefaultAsync<(string ToStage, long ChangedAt)?>(
                "SELECT to_stage, changed_at FROM stage_changes WHERE person_id = @Id AND to_stage IN ('MQL', 'SAL') AND changed_at > @from AND changed_at <= @to ORDER BY changed_at LIMIT 1",
                new { person.Id, from = Ms(At) - 1, to = Ms(until < now ? until : now) }, tx);
            if (change is { } ch)
                await ExitAsync(EnrollmentStatus.Exited, ch.ToStage == "MQL" ? ExitReasons.BecameMql : ExitReasons.AcceptedBySales, DateTimeOffset.FromUnixTimeMilliseconds(ch.ChangedAt));
        }

        private string Merge(string text) => text
            .Replace("{{firstName | default: \"there\"}}", person.FirstName ?? "there", StringComparison.Ordinal)
            .Replace("{{company | default: \"your team\"}}", person.Company ?? "your team", StringComparison.Ordinal)
            .Replace("{{company | default: \"your\"}}", person.Company ?? "your", StringComparison.Ordinal);

        private static string? LinkOf(string body)
        {
            var start = body.IndexOf("](", StringComparison.Ordinal);
            return start < 0 ? null : body[(start + 2)..body.IndexOf(')', start)];
        }

        private Task<long?> ActivityAsync(string type, DateTimeOffset at, long sendId, string step, (long Id, Template T) template, string? link = null) =>
            ActivityStore.AppendAsync(c, tx, new NewActivity(person.Id, null, type, Ms(at), Ms(at), ActivitySources.System,
                Json.Write(new { sendId, programId = program.Id, stepKey = step, templateId = template.Id, subject = Merge(template.T.Subject), link }),
                $"{type}:{sendId}", "email"));
    }
}
