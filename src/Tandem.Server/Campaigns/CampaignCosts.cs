using System.Data.Common;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Reporting;
using Tandem.Server.Hosting;
using Tandem.Server.Import;
using Tandem.Server.Storage;

namespace Tandem.Server.Campaigns;

/// <summary>
/// A campaign's actual costs, one amount per calendar month: entered one at a time (PUT …/costs/{month}) or imported
/// from a CSV file (POST …/costs/import). An import is all or nothing: one bad line refuses the file, and the problem
/// lists every bad line by its number.
/// </summary>
internal static class CampaignCosts
{
    public sealed record CostDto(string Month, decimal Amount, string Source, DateTimeOffset UpdatedAt);

    public sealed record AmountRequest(decimal? Amount);

    public sealed record ImportedDto(int Imported, IReadOnlyList<string> Campaigns);

    private sealed record Row(string Month, long AmountCents, string Source, long UpdatedAt)
    {
        public CostDto ToDto() => new(Month, AmountCents / 100m, Source, DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));
    }

    public static async Task<IReadOnlyList<CostDto>> ForCampaignAsync(DbConnection c, long id) =>
        (await c.QueryAsync<Row>("SELECT month, amount_cents, source, updated_at FROM campaign_costs WHERE campaign_id = @id ORDER BY month", new { id }))
        .Select(r => r.ToDto()).ToList();

    public static async Task<Results<Ok<IReadOnlyList<CostDto>>, ProblemHttpResult>> List(long id, Database db, CancellationToken ct) =>
        await db.ReadAsync<Results<Ok<IReadOnlyList<CostDto>>, ProblemHttpResult>>(async c =>
            await CampaignRow.FindAsync(c, null, id) is null ? Problems.NotFound("Campaign", id) : TypedResults.Ok(await ForCampaignAsync(c, id)), ct);

    public static async Task<Results<Ok<CostDto>, ValidationProblem, ProblemHttpResult>> Set(long id, string month, AmountRequest request, Database db,
        TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        var m = CostRows.ParseMonth(month);
        if (m is null) v.Add("month", $"'{month}' is not a month; write it as 2026-10.");
        var cents = request.Amount is { } a ? CostRows.ParseAmount(a.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null;
        if (cents is null) v.Add("amount", "The amount is required: at least 0, in the currency's units, with at most two decimals.");
        if (!v.IsValid) return v.ToProblem();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var found = await db.WriteAsync(async (c, tx) =>
        {
            if (await CampaignRow.FindAsync(c, tx, id) is null) return false;
            await UpsertAsync(c, tx, id, m!, cents!.Value, "entered", now);
            return true;
        }, ct);
        if (!found) return Problems.NotFound("Campaign", id);
        return TypedResults.Ok(new CostDto(m!, cents!.Value / 100m, "entered", DateTimeOffset.FromUnixTimeMilliseconds(now)));
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Remove(long id, string month, Database db, CancellationToken ct)
    {
        if (CostRows.ParseMonth(month) is not { } m) return Problems.Field("month", $"'{month}' is not a month; write it as 2026-10.");
        var removed = await db.WriteAsync((c, tx) => c.ExecuteAsync("DELETE FROM campaign_costs WHERE campaign_id = @id AND month = @m", new { id, m }, tx), ct);
        return removed == 0 ? Problems.NotFound("Cost", $"{id}/{m}") : TypedResults.NoContent();
    }

    /// <summary>POST /api/v1/campaigns/{id}/costs/import (columns month, amount) or /api/v1/campaigns/costs/import (plus campaign).</summary>
    public static async Task<Results<Ok<ImportedDto>, ValidationProblem, ProblemHttpResult>> Import(long? campaignId, string csv, Database db,
        TimeProvider clock, CancellationToken ct)
    {
        var records = new List<string[]>();
        // Spreadsheets in many locales save with ';': the header line says which.
        var header = csv.Split('\n', 2)[0];
        var reader = new CsvRecordReader(new StringReader(csv), header.Contains(';') && !header.Contains(',') ? ';' : ',');
        while (reader.Read() is { } record) records.Add(record);
        var parsed = CostRows.Parse(records, needsCampaign: campaignId is null);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var outcome = await db.WriteAsync<(bool Found, List<CostRowError> Errors, List<string> Names)>(async (c, tx) =>
        {
            if (campaignId is { } only && await CampaignRow.FindAsync(c, tx, only) is null) return (false, [], []);
            var errors = parsed.Errors.ToList();
            var resolved = new List<(CostRow Row, long Campaign)>();
            var campaigns = campaignId is null ? await CampaignRow.ListAsync(c, tx) : [];
            foreach (var row in parsed.Rows)
            {
                if (campaignId is { } id) { resolved.Add((row, id)); continue; }
                var match = campaigns.FirstOrDefault(k => k.Id.ToString() == row.Campaign)
                            ?? campaigns.FirstOrDefault(k => string.Equals(k.UtmCampaign, row.Campaign, StringComparison.OrdinalIgnoreCase))
                            ?? campaigns.FirstOrDefault(k => string.Equals(k.Name, row.Campaign, StringComparison.OrdinalIgnoreCase));
                if (match is null) errors.Add(new CostRowError(row.Row, "campaign", $"No campaign has the id, utm_campaign or name '{row.Campaign}'."));
                else resolved.Add((row, match.Id));
            }
            if (errors.Count > 0) return (true, errors, []);
            foreach (var (row, id) in resolved) await UpsertAsync(c, tx, id, row.Month, row.AmountCents, "import", now);
            var names = campaignId is null ? resolved.Select(r => campaigns.First(k => k.Id == r.Campaign).Name).Distinct().ToList() : [];
            return (true, [], names);
        }, ct);
        if (!outcome.Found) return Problems.NotFound("Campaign", campaignId!);
        if (outcome.Errors.Count > 0)
            return Problems.Fields(outcome.Errors.OrderBy(e => e.Row).GroupBy(e => $"line {e.Row}: {e.Column}").ToDictionary(g => g.Key, g => g.Select(e => e.Reason).ToArray()));
        return TypedResults.Ok(new ImportedDto(parsed.Rows.Count, outcome.Names));
    }

    private static Task UpsertAsync(DbConnection c, DbTransaction tx, long id, string month, long cents, string source, long now) =>
        c.ExecuteAsync(
            "INSERT INTO campaign_costs (campaign_id, month, amount_cents, source, updated_at) VALUES (@id, @month, @cents, @source, @now) " +
            "ON CONFLICT (campaign_id, month) DO UPDATE SET amount_cents = excluded.amount_cents, source = excluded.source, updated_at = excluded.updated_at",
            new { id, month, cents, source, now }, tx);
}
