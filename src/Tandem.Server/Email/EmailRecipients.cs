using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Tandem.Domain.Email;

namespace Tandem.Server.Email;

/// <summary>A person as email sees them: where to write, whether they asked not to be written to, and what merge fields read.</summary>
internal sealed record EmailRecipient(long PersonId, string? Address, string? Name, bool Unsubscribed, bool DoNotEmail, MergeData Data);

internal static class EmailRecipients
{
    private sealed class Row
    {
        public long Id { get; set; }
        public string? Email { get; set; }
        public string? FirstName { get; set; }
        public string? LastName { get; set; }
        public string? Company { get; set; }
        public string? Title { get; set; }
        public string CustomFields { get; set; } = "{}";
        public long DoNotEmail { get; set; }
        public long Unsubscribed { get; set; }
        public string? OwnerName { get; set; }
        public string? OwnerEmail { get; set; }
        public string? OwnerSignature { get; set; }
    }

    /// <summary>The person with their owner and account; null when there is no such person (or they were merged away).</summary>
    public static async Task<EmailRecipient?> LoadAsync(DbConnection c, DbTransaction? tx, long personId)
    {
        var row = await c.QuerySingleOrDefaultAsync<Row>(
            "SELECT p.id, p.email, p.first_name, p.last_name, COALESCE(p.company, a.name) AS company, p.title, p.custom_fields, " +
            "p.do_not_email, p.unsubscribed, u.name AS owner_name, u.email AS owner_email, u.email_signature AS owner_signature " +
            "FROM people p LEFT JOIN accounts a ON a.id = p.account_id LEFT JOIN users u ON u.id = p.owner_id " +
            "WHERE p.id = @personId AND p.merged_into_id IS NULL", new { personId }, tx);
        if (row is null) return null;
        var name = string.Join(' ', new[] { row.FirstName, row.LastName }.Where(n => !string.IsNullOrWhiteSpace(n)));
        return new EmailRecipient(row.Id, string.IsNullOrWhiteSpace(row.Email) ? null : row.Email.Trim(), name.Length > 0 ? name : null,
            row.Unsubscribed != 0, row.DoNotEmail != 0,
            new MergeData(row.FirstName, row.LastName, row.Email, row.Company, row.Title, row.OwnerName, row.OwnerEmail, row.OwnerSignature,
                CustomValues(row.CustomFields)));
    }

    /// <summary>Custom fields as text: a number or a yes/no reads as written, a list or object as its JSON.</summary>
    private static Dictionary<string, string?> CustomValues(string json)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return values;
            foreach (var p in doc.RootElement.EnumerateObject())
                values[p.Name] = p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString(),
                    JsonValueKind.Number => p.Value.GetDecimal().ToString(CultureInfo.InvariantCulture),
                    JsonValueKind.True => "yes",
                    JsonValueKind.False => "no",
                    JsonValueKind.Null or JsonValueKind.Undefined => null,
                    _ => p.Value.GetRawText(),
                };
        }
        catch (JsonException)
        {
            // A damaged custom_fields column must not stop an email; the fields simply read as empty.
        }
        return values;
    }
}
