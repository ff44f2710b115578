using System.Text;
using Dapper;
using Tandem.Domain.Identity;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Hosting;

namespace Tandem.Server.Export;

/// <summary>The filters an export takes: the people list's filters, plus owner, grade and MQL.</summary>
public sealed record PeopleFilter(
    string? Email = null, string? Stage = null, long? AccountId = null, string? Q = null, string? Channel = null, string? Country = null,
    long? OwnerId = null, string? Grade = null, bool? MeetsMql = null,
    DateTimeOffset? CreatedAfter = null, DateTimeOffset? CreatedBefore = null, DateTimeOffset? UpdatedSince = null)
{
    /// <summary>The WHERE clause over people p (with a {STAGES} slot for the provider's list syntax), or the problems.</summary>
    public (string Where, DynamicParameters Args) ToSql(Validation v)
    {
        var sql = new StringBuilder("p.merged_into_id IS NULL");
        var args = new DynamicParameters();
        if (Email is not null)
        {
            if (EmailAddress.TryParse(Email, out var email)) { sql.Append(" AND p.email = @email"); args.Add("email", email.Value); }
            else v.Add("email", "Not a valid email address.");
        }
        if (Stage is not null)
        {
            var stages = new List<string>();
            foreach (var s in Stage.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                if (Stages.TryParse(s, out var stage)) stages.Add(stage.ToString());
                else v.Add("stage", $"'{s}' is not a stage; use one of: {string.Join(", ", Stages.Names)}.");
            sql.Append(" AND {STAGES}"); args.Add("stages", stages.ToArray());
        }
        if (AccountId is { } accountId) { sql.Append(" AND p.account_id = @accountId"); args.Add("accountId", accountId); }
        if (OwnerId is { } ownerId) { sql.Append(" AND p.owner_id = @ownerId"); args.Add("ownerId", ownerId); }
        if (Grade is not null)
        {
            var grades = Grade.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(g => g.ToUpperInvariant()).ToArray();
            if (grades.Any(g => g is not ("A" or "B" or "C" or "D"))) v.Add("grade", "Grades are A, B, C and D (comma-separated).");
            sql.Append(" AND {GRADES}"); args.Add("grades", grades);
        }
        if (MeetsMql is { } mql) { sql.Append(" AND p.meets_mql = @mql"); args.Add("mql", mql ? 1 : 0); }
        if (!string.IsNullOrWhiteSpace(Channel)) { sql.Append(" AND (p.first_touch_channel = @channel OR p.last_touch_channel = @channel)"); args.Add("channel", Channel.Trim()); }
        if (!string.IsNullOrWhiteSpace(Country)) { sql.Append(" AND LOWER(p.country) = LOWER(@country)"); args.Add("country", Country.Trim()); }
        if (!string.IsNullOrWhiteSpace(Q))
        {
            sql.Append(" AND (LOWER(p.email) LIKE @q OR LOWER(p.first_name) LIKE @q OR LOWER(p.last_name) LIKE @q OR LOWER(p.company) LIKE @q)");
            args.Add("q", "%" + Q.Trim().ToLowerInvariant().Replace("%", "").Replace("_", "") + "%");
        }
        if (CreatedAfter is { } ca) { sql.Append(" AND p.created_at >= @ca"); args.Add("ca", ca.ToUnixTimeMilliseconds()); }
        if (CreatedBefore is { } cb) { sql.Append(" AND p.created_at < @cb"); args.Add("cb", cb.ToUnixTimeMilliseconds()); }
        if (UpdatedSince is { } us) { sql.Append(" AND p.updated_at >= @us"); args.Add("us", us.ToUnixTimeMilliseconds()); }
        return (sql.ToString(), args);
    }
}
