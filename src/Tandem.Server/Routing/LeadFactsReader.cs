using System.Data.Common;
using Dapper;
using Tandem.Domain.Identity;
using Tandem.Domain.Routing;
using Tandem.Server.People;

namespace Tandem.Server.Routing;

/// <summary>Turns a person row (and their account) into the facts routing rules test.</summary>
internal static class LeadFactsReader
{
    public sealed record AccountFacts(long Id, string Name, string? Domain, string? Industry, long? OwnerId);

    public static Task<AccountFacts?> AccountAsync(DbConnection c, DbTransaction? tx, long? accountId) =>
        accountId is { } id
            ? c.QuerySingleOrDefaultAsync<AccountFacts>("SELECT id, name, domain, industry, owner_id FROM accounts WHERE id = @id", new { id }, tx)
            : Task.FromResult<AccountFacts?>(null);

    public static LeadFacts Build(PersonRow p, AccountFacts? account)
    {
        var first = p.FirstTouchAttribution;
        var last = p.LastTouchAttribution;
        var single = new Dictionary<string, string?>
        {
            ["email"] = p.Email,
            ["emailDomain"] = p.Email is { } e && e.IndexOf('@') is var at and > 0 ? e[(at + 1)..] : null,
            ["stage"] = p.Stage,
            ["grade"] = p.FitGrade,
            ["fitScore"] = p.FitScore?.ToString(),
            ["engagementScore"] = p.EngagementScore?.ToString(),
            ["scoreCell"] = p.ScoreCell,
            ["source.firstChannel"] = p.FirstTouchChannel,
            ["source.lastChannel"] = p.LastTouchChannel ?? p.FirstTouchChannel,
            ["source.utmSource"] = last?.UtmSource ?? first?.UtmSource,
            ["source.firstUtmSource"] = first?.UtmSource,
            ["source.campaign"] = last?.Campaign ?? first?.Campaign,
            ["account.name"] = account?.Name,
            ["account.domain"] = account?.Domain,
            ["account.industry"] = account?.Industry,
        };
        foreach (var field in PersonFields.Standard) single[field] = p.GetStandard(field);
        foreach (var (name, value) in p.Custom) single[PersonFields.Custom(name)] = value;
        return LeadFacts.From(single, [new("persona", p.PersonaNames)]);
    }
}
