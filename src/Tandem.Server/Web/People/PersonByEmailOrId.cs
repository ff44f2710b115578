using Dapper;
using Tandem.Server.Storage;
using Tandem.Server.Web.Access;

namespace Tandem.Server.Web.People;

/// <summary>
/// What a form's "email address or person id" box names: the live person with that id, else the first with that email —
/// only among the leads the signed-in user may see, so a rep cannot preview a template with another rep's lead or
/// learn that an address exists by typing it.
/// </summary>
internal static class PersonByEmailOrId
{
    public static async Task<long?> FindAsync(Database db, LeadScope scope, string? text, CancellationToken ct)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value)) return null;
        var args = new DynamicParameters();
        scope.AddTo(args);
        string match;
        if (long.TryParse(value, out var id)) { match = "p.id = @id"; args.Add("id", id); }
        else { match = "p.email = @email"; args.Add("email", value.ToLowerInvariant()); }
        return await db.ReadAsync(c => c.QueryFirstOrDefaultAsync<long?>(
            $"SELECT p.id FROM people p WHERE {match} AND p.merged_into_id IS NULL AND p.erased_at IS NULL AND {scope.Condition} ORDER BY p.id", args), ct);
    }
}
