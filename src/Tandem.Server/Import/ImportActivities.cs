using System.Data.Common;
using System.Text;
using Dapper;
using Tandem.Server.Activities;

namespace Tandem.Server.Import;

/// <summary>Appends a batch's imported activities in a few multi-row statements; a message id already stored is skipped.</summary>
internal static class ImportActivities
{
    // Small statements: SQLite binds parameters by name, which costs the square of their number.
    private const int RowsPerStatement = 50;

    /// <returns>How many activities were new, per person.</returns>
    public static async Task<Dictionary<long, int>> AppendAsync(DbConnection c, DbTransaction tx, IReadOnlyList<NewActivity> activities)
    {
        var added = new Dictionary<long, int>();
        // Each distinct kind of activity is described once, so scoring evaluates it once (see ActivitySignature).
        foreach (var kind in activities.DistinctBy(a => a.Signature)) await ActivitySignature.RememberAsync(c, tx, kind.Signature, kind);
        foreach (var chunk in activities.Chunk(RowsPerStatement))
        {
            var sql = new StringBuilder("INSERT INTO activities (person_id, anonymous_id, type, occurred_at, received_at, message_id, source, channel, campaign_id, properties, signature) VALUES ");
            var args = new DynamicParameters();
            for (var i = 0; i < chunk.Length; i++)
            {
                var a = chunk[i];
                if (i > 0) sql.Append(',');
                sql.Append($"(@p{i}, NULL, @t{i}, @o{i}, @r{i}, @m{i}, @s{i}, @c{i}, NULL, @j{i}, @g{i})");
                args.Add($"p{i}", a.PersonId); args.Add($"t{i}", a.Type); args.Add($"o{i}", a.OccurredAt); args.Add($"r{i}", a.ReceivedAt);
                args.Add($"m{i}", a.MessageId); args.Add($"s{i}", a.Source); args.Add($"c{i}", a.Channel); args.Add($"j{i}", a.Properties);
                args.Add($"g{i}", a.Signature);
            }
            sql.Append(" ON CONFLICT (message_id) DO NOTHING RETURNING person_id");
            foreach (var personId in await c.QueryAsync<long>(sql.ToString(), args, tx))
                added[personId] = added.GetValueOrDefault(personId) + 1;
        }
        return added;
    }
}
