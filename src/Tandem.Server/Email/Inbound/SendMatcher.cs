using System.Data.Common;
using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Server.Email.Inbound;

/// <summary>The email an inbound event is about, with what its activity and event carry.</summary>
internal sealed record MatchedSend(long Id, long PersonId, long? TemplateId, long? ProgramId, long? EnrollmentId, string? StepKey, string ToAddress,
    string Subject);

/// <summary>Finds the send an event is about from its clues, strongest first (see <see cref="SendClues"/>).</summary>
internal static class SendMatcher
{
    private const string Columns = "SELECT id, person_id, template_id, program_id, enrollment_id, step_key, to_address, subject FROM email_sends ";

    /// <param name="byRecipient">
    /// Whether the recipient alone may decide. For reports about delivery it may (the latest email to that address);
    /// for replies it may not: a reply's recipient is our own address.
    /// </param>
    public static async Task<MatchedSend?> FindAsync(DbConnection c, DbTransaction tx, SendClues clues, bool byRecipient)
    {
        if (clues.SendId is { } id && await c.QuerySingleOrDefaultAsync<MatchedSend>(Columns + "WHERE id = @id", new { id }, tx) is { } byId)
            return byId;
        if (clues.ReplyToken is { } token &&
            await c.QuerySingleOrDefaultAsync<MatchedSend>(Columns + "WHERE reply_token = @token", new { token }, tx) is { } byToken)
            return byToken;
        if (clues.MessageIds is { Count: > 0 } list)
        {
            var ids = list.ToArray();
            if ((await c.QueryAsync<MatchedSend>(Columns + $"WHERE {Sql.In(c, "message_id", "@ids")} ORDER BY id DESC", new { ids }, tx)).FirstOrDefault() is { } byMessageId)
                return byMessageId;
        }
        if (byRecipient && !string.IsNullOrWhiteSpace(clues.Recipient))
            return await c.QuerySingleOrDefaultAsync<MatchedSend>(Columns + "WHERE lower(to_address) = @address ORDER BY id DESC LIMIT 1",
                new { address = EmailSuppressions.Normalize(clues.Recipient) }, tx);
        return null;
    }
}
