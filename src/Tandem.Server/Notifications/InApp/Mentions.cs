using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;
using Tandem.Server.People;

namespace Tandem.Server.Notifications.InApp;

/// <summary>
/// "@riley" in a note tells Riley. A mention names a user by the part of their email before the @ ("@riley.chen"),
/// or by their first name when only one active user has it ("@Riley").
/// </summary>
internal static partial class Mentions
{
    public sealed record Candidate(long Id, string Name, string Email);

    /// <summary>The users a text mentions, each once, in the order first mentioned.</summary>
    public static IReadOnlyList<long> Find(string? text, IReadOnlyList<Candidate> users)
    {
        if (string.IsNullOrEmpty(text) || !text.Contains('@')) return [];
        var firstNames = users.GroupBy(u => FirstName(u.Name), StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Key.Length > 0 && g.Count() == 1).ToDictionary(g => g.Key, g => g.Single().Id, StringComparer.OrdinalIgnoreCase);
        var found = new List<long>();
        foreach (Match m in Pattern().Matches(text))
        {
            var token = m.Groups[1].Value.TrimEnd('.', '-', '_');
            var user = users.FirstOrDefault(u => string.Equals(LocalPart(u.Email), token, StringComparison.OrdinalIgnoreCase))?.Id
                ?? (firstNames.TryGetValue(token, out var id) ? id : null);
            if (user is { } u && !found.Contains(u)) found.Add(u);
        }
        return found;
    }

    /// <summary>Writes note.mentioned for each active user a note mentions, except its author; in the note's transaction.</summary>
    public static async Task NotifyAsync(DbConnection c, DbTransaction tx, PersonRow person, string type, string text, long? authorId, string authorName, long now)
    {
        if (!text.Contains('@')) return;
        var users = (await c.QueryAsync<Candidate>("SELECT id, name, email FROM users WHERE active = 1 ORDER BY id", transaction: tx)).ToList();
        foreach (var userId in Find(text, users).Where(u => u != authorId))
            await Outbox.AddAsync(c, tx, InAppEvents.NoteMentioned, person.Id, userId, new
            {
                person = new { id = person.Id, email = person.Email, firstName = person.FirstName, lastName = person.LastName, company = person.Company, stage = person.Stage },
                type, text, by = authorName, at = DateTimeOffset.FromUnixTimeMilliseconds(now),
            }, now);
    }

    private static string LocalPart(string email) => email.Split('@')[0];

    private static string FirstName(string name) => name.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";

    /// <summary>An @ at the start or after a space or bracket (not inside an email address), then the name.</summary>
    [GeneratedRegex(@"(?<![\w@])@([\p{L}\p{N}][\p{L}\p{N}._\-]*)")]
    private static partial Regex Pattern();
}
