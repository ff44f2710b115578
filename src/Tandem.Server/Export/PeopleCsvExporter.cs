using System.Data.Common;
using System.Globalization;
using Dapper;
using Tandem.Domain.Identity;
using Tandem.Server.People;
using Tandem.Server.Storage;

namespace Tandem.Server.Export;

/// <summary>
/// Writes people as CSV, a page at a time in id order, so an export of a million people streams in
/// constant memory. The columns are the ones Tandem's "tandem" import preset reads back, plus the
/// computed ones (scores, owner, account), which an import ignores.
/// </summary>
internal static class PeopleCsvExporter
{
    public const int PageSize = 1000;

    private static readonly string[] Standard =
        ["id", "email", "first_name", "last_name", "company", "title", "phone", "website", "country", "region", "city", "industry", "company_size",
         "stage", "stage_changed_at", "channel", "campaign", "utm_source", "utm_medium", "utm_campaign", "last_touch_channel",
         "do_not_email", "do_not_call", "unsubscribed", "external_ids", "account", "account_domain", "owner_id", "owner_email",
         "fit_score", "fit_grade", "engagement_score", "score_cell", "meets_mql", "personas", "conversion_probability", "created_at", "updated_at"];

    /// <returns>How many people were written.</returns>
    public static async Task<long> WriteAsync(DbConnection c, PeopleQuery query, TextWriter output, CancellationToken ct)
    {
        var dialect = SqlDialect.Of(c);
        var (where, args) = query.ToSql(dialect);
        var customKeys = (await c.QueryAsync<string>(
                $"SELECT DISTINCT j.key FROM people p, {dialect.JsonObjectKeys("p.custom_fields", "j")} WHERE {where}", args))
            .Order(StringComparer.Ordinal).ToList();
        await output.WriteAsync(string.Join(',', Standard.Concat(customKeys.Select(k => CsvText.Escape(PersonFields.Custom(k))))) + "\n");

        long written = 0, after = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            args.Add("after", after); args.Add("take", PageSize);
            var rows = (await c.QueryAsync<PersonRow>($"SELECT p.* FROM people p WHERE {where} AND p.id > @after ORDER BY p.id LIMIT @take", args)).ToList();
            if (rows.Count == 0) break;
            var people = await PersonDtos.LoadManyAsync(c, rows);
            var ownerIds = rows.Where(r => r.OwnerId is not null).Select(r => r.OwnerId!.Value).Distinct().ToArray();
            var owners = ownerIds.Length == 0 ? new Dictionary<long, string>()
                : (await c.QueryAsync<(long Id, string Email)>($"SELECT id, email FROM users WHERE {Sql.In(c, "id", "@ownerIds")}", new { ownerIds }))
                    .ToDictionary(o => o.Id, o => o.Email);
            for (var i = 0; i < rows.Count; i++)
                await output.WriteAsync(Line(rows[i], people[i], owners, customKeys));
            written += rows.Count;
            after = rows[^1].Id;
        }
        await output.FlushAsync(ct);
        return written;
    }

    private static string Line(PersonRow r, PersonDto d, Dictionary<long, string> owners, List<string> customKeys)
    {
        var first = d.FirstTouch?.Attribution;
        string?[] values =
        [
            r.Id.ToString(CultureInfo.InvariantCulture), r.Email, r.FirstName, r.LastName, r.Company, r.Title, r.Phone, r.Website, r.Country,
            r.Region, r.City, r.Industry, r.CompanySize, r.Stage, At(r.StageChangedAt),
            first?.Channel, first?.Campaign, first?.UtmSource, first?.UtmMedium, first?.UtmCampaign, r.LastTouchChannel,
            Flag(r.DoNotEmail), Flag(r.DoNotCall), Flag(r.Unsubscribed),
            string.Join("; ", d.ExternalIds.Select(e => $"{e.Source}:{e.Id}")), d.Account?.Name, d.Account?.Domain,
            r.OwnerId?.ToString(CultureInfo.InvariantCulture), r.OwnerId is { } o && owners.TryGetValue(o, out var email) ? email : null,
            r.FitScore?.ToString(CultureInfo.InvariantCulture), r.FitGrade, r.EngagementScore?.ToString(CultureInfo.InvariantCulture), r.ScoreCell,
            Flag(r.MeetsMql), string.Join("; ", r.PersonaNames),
            r.ConversionProbability?.ToString("0.####", CultureInfo.InvariantCulture), At(r.CreatedAt), At(r.UpdatedAt),
        ];
        var custom = r.Custom;
        return string.Join(',', values.Concat(customKeys.Select(k => custom.GetValueOrDefault(k))).Select(CsvText.Escape)) + "\n";
    }

    private static string Flag(long value) => value != 0 ? "true" : "false";

    private static string At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
