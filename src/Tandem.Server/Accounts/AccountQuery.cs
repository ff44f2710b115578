using System.Globalization;
using Dapper;
using Tandem.Server.Hosting;

namespace Tandem.Server.Accounts;

/// <summary>
/// The accounts list's filters, the same for the web page and <c>GET /api/v1/accounts</c>: text in the name or
/// domain, industry, country, owner, open hand-offs, engagement band and the buying-group signal. A value that
/// cannot be used is named in <see cref="Validation"/> rather than ignored, so a bad link never lists more than asked.
/// </summary>
internal sealed record AccountQuery
{
    public static readonly IReadOnlyList<(string Name, string Meaning)> Filters =
    [
        ("q", "Text in the account's name or domain."),
        ("domain", "The exact domain."),
        ("industry", "The account's industry, or any of its people's."),
        ("country", "Any of its people is in this country."),
        ("owner", "A user's id, or me: the account's owner, or the owner of any of its people."),
        ("openHandoffs", "true: someone at the account is an MQL or SAL awaiting sales' decision."),
        ("band", "The account's engagement band (1 is the most engaged)."),
        ("buyingGroup", "true: several engaged people and none qualified yet."),
    ];

    public string? Search { get; init; }
    public string? Domain { get; init; }
    public string? Industry { get; init; }
    public string? Country { get; init; }
    public long? OwnerId { get; init; }
    public bool OpenHandoffs { get; init; }
    public int? Band { get; init; }
    public bool BuyingGroup { get; init; }

    /// <param name="value">Reads one filter's raw value by name.</param>
    /// <param name="me">The signed-in user, whom "owner=me" means; null for an API key, which has no "me".</param>
    public static AccountQuery Parse(Func<string, string?> value, Validation v, AccountEngagement engagement, long? me = null)
    {
        string? Text(string name) => value(name) is { } s && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;
        bool Flag(string name)
        {
            var text = Text(name);
            if (text is null || text.Equals("false", StringComparison.OrdinalIgnoreCase)) return false;
            if (text.Equals("true", StringComparison.OrdinalIgnoreCase)) return true;
            v.Add(name, $"'{text}' is not true or false.");
            return false;
        }

        long? owner = null;
        if (Text("owner") is { } o)
        {
            if (o.Equals("me", StringComparison.OrdinalIgnoreCase) && me is not null) owner = me;
            else if (long.TryParse(o, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0) owner = id;
            else v.Add("owner", me is null ? $"'{o}' is not a user id." : $"'{o}' is not a user id or me.");
        }
        int? band = null;
        if (Text("band") is { } b)
        {
            if (int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= engagement.LowestBand) band = n;
            else v.Add("band", $"'{b}' is not a band; use 1 to {engagement.LowestBand}.");
        }
        return new AccountQuery
        {
            // Runs of spaces count as one, as in the people search.
            Search = Text("q") is { } q ? string.Join(' ', q.Split(' ', StringSplitOptions.RemoveEmptyEntries)) : null,
            Domain = Text("domain")?.ToLowerInvariant(),
            Industry = Text("industry"),
            Country = Text("country"),
            OwnerId = owner,
            OpenHandoffs = Flag("openHandoffs"),
            Band = band,
            BuyingGroup = Flag("buyingGroup"),
        };
    }

    /// <summary>
    /// The condition over an account row aliased "x" (see <see cref="AccountList"/>), its values as parameters.
    /// <paramref name="peopleScope"/> is the condition over people "p" that the viewer may see: "someone at the
    /// account" always means someone the viewer may see.
    /// </summary>
    public string ToSql(DynamicParameters args, string peopleScope)
    {
        var where = new List<string> { "1 = 1" };
        string Someone(string condition) =>
            $"EXISTS (SELECT 1 FROM people p WHERE p.account_id = x.id AND p.merged_into_id IS NULL AND p.erased_at IS NULL AND {condition} AND {peopleScope})";

        if (Search is not null)
        {
            // LIKE's wildcards are dropped from the text, as in the people search.
            args.Add("q", "%" + Search.ToLowerInvariant().Replace("%", "").Replace("_", "") + "%");
            where.Add("(LOWER(x.name) LIKE @q OR LOWER(COALESCE(x.domain, '')) LIKE @q)");
        }
        if (Domain is not null) { args.Add("domain", Domain); where.Add("x.domain = @domain"); }
        if (Industry is not null)
        {
            args.Add("industry", Industry.ToLowerInvariant());
            where.Add($"(LOWER(x.industry) = @industry OR {Someone("LOWER(p.industry) = @industry")})");
        }
        if (Country is not null) { args.Add("country", Country.ToLowerInvariant()); where.Add(Someone("LOWER(p.country) = @country")); }
        if (OwnerId is { } owner) { args.Add("ownerFilter", owner); where.Add($"(x.owner_id = @ownerFilter OR {Someone("p.owner_id = @ownerFilter")})"); }
        if (OpenHandoffs) where.Add("x.open_handoffs > 0");
        if (Band is { } band) { args.Add("bandFilter", (long)band); where.Add("x.band = @bandFilter"); }
        if (BuyingGroup)
        {
            args.Add("buyingGroupSize", (long)AccountEngagement.BuyingGroupSize);
            where.Add("x.engaged_people >= @buyingGroupSize AND x.qualified_people = 0");
        }
        return string.Join(" AND ", where);
    }
}
