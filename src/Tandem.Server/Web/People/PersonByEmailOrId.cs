using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Server.Web.People;

/// <summary>What a form's "email address or person id" box names: the person with that id, else the first with that email.</summary>
internal static class PersonByEmailOrId
{
    public static async Task<long?> FindAsync(Database db, string? text, CancellationToken ct)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value)) return null;
        return long.TryParse(value, out var id)
            ? await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<long?>("SELECT id FROM people WHERE id = @id", new { id }), ct)
            : await db.ReadAsync(c => c.QueryFirstOrDefaultAsync<long?>("SELECT id FROM people WHERE email = @email ORDER BY id",
                new { email = value.ToLowerInvariant() }), ct);
    }
}
