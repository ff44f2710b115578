using System.Data.Common;
using System.Text.Json;
using Dapper;
using Tandem.Domain.Scoring;

namespace Tandem.Server.Scoring;

/// <summary>
/// What scoring reads of a person: profile, consent, touches, account, and the current scores (to tell what changed).
/// Fit rules name fields as the API does: title, country, companySize, emailDomain, account.industry, custom.seats…
/// </summary>
internal sealed class ScoringSubject
{
    public const string Select =
        "SELECT p.id, p.email, p.first_name, p.last_name, p.company, p.title, p.phone, p.website, p.country, p.region, p.city, " +
        "p.industry, p.company_size, p.stage, p.custom_fields, p.first_touch_channel, p.last_touch_channel, p.first_touch, p.last_touch, " +
        "p.do_not_email, p.do_not_call, p.unsubscribed, p.fit_score, p.fit_grade, p.engagement_score, p.score_cell, p.personas, " +
        "p.meets_mql, p.score_model_version, p.scored_at, p.score_state, p.score_through, p.updated_at, " +
        "a.name AS account_name, a.domain AS account_domain, a.industry AS account_industry " +
        "FROM people p LEFT JOIN accounts a ON a.id = p.account_id";

    public long Id { get; set; }
    public string? Email { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Company { get; set; }
    public string? Title { get; set; }
    public string? Phone { get; set; }
    public string? Website { get; set; }
    public string? Country { get; set; }
    public string? Region { get; set; }
    public string? City { get; set; }
    public string? Industry { get; set; }
    public string? CompanySize { get; set; }
    public string Stage { get; set; } = "";
    public string? CustomFields { get; set; }
    public string? FirstTouchChannel { get; set; }
    public string? LastTouchChannel { get; set; }
    public string? FirstTouch { get; set; }
    public string? LastTouch { get; set; }
    public long DoNotEmail { get; set; }
    public long DoNotCall { get; set; }
    public long Unsubscribed { get; set; }
    public long? FitScore { get; set; }
    public string? FitGrade { get; set; }
    public long? EngagementScore { get; set; }
    public string? ScoreCell { get; set; }
    public string? Personas { get; set; }
    public long MeetsMql { get; set; }
    public long? ScoreModelVersion { get; set; }
    public long? ScoredAt { get; set; }
    public string? ScoreState { get; set; }
    public long? ScoreThrough { get; set; }
    public long UpdatedAt { get; set; }
    public string? AccountName { get; set; }
    public string? AccountDomain { get; set; }
    public string? AccountIndustry { get; set; }

    public static Task<ScoringSubject?> LoadAsync(DbConnection c, DbTransaction? tx, long personId) =>
        c.QuerySingleOrDefaultAsync<ScoringSubject>(Select + " WHERE p.id = @personId AND p.merged_into_id IS NULL AND p.erased_at IS NULL", new { personId }, tx);

    /// <summary>The person's fields by the names fit rules and personas use.</summary>
    public IFieldSource Fields(bool withCustomFields) => new FieldView(this, withCustomFields);

    /// <summary>
    /// Reads fields straight off the row: a re-score asks this a million times, so nothing is copied,
    /// and custom fields and touch details are parsed only if a rule asks for one.
    /// </summary>
    private sealed class FieldView(ScoringSubject s, bool withCustomFields) : IFieldSource
    {
        private Dictionary<string, string?>? custom, touches;

        public string? Get(string field) => field switch
        {
            "email" => s.Email,
            "emailDomain" => s.Email is { } e && e.LastIndexOf('@') is var at and >= 0 ? e[(at + 1)..] : null,
            "firstName" => s.FirstName, "lastName" => s.LastName, "company" => s.Company, "title" => s.Title, "phone" => s.Phone,
            "website" => s.Website, "country" => s.Country, "region" => s.Region, "city" => s.City, "industry" => s.Industry,
            "companySize" => s.CompanySize, "stage" => s.Stage,
            "firstTouchChannel" => s.FirstTouchChannel, "lastTouchChannel" => s.LastTouchChannel,
            "doNotEmail" => Flag(s.DoNotEmail), "doNotCall" => Flag(s.DoNotCall), "unsubscribed" => Flag(s.Unsubscribed),
            "account.name" => s.AccountName, "account.domain" => s.AccountDomain, "account.industry" => s.AccountIndustry ?? s.Industry,
            _ when field.StartsWith("custom.", StringComparison.Ordinal) => withCustomFields ? Custom().GetValueOrDefault(field[7..]) : null,
            _ when field.StartsWith("firstTouch.", StringComparison.Ordinal) || field.StartsWith("lastTouch.", StringComparison.Ordinal) =>
                Touches().GetValueOrDefault(field),
            _ => null,
        };

        private Dictionary<string, string?> Custom() => custom ??= s.CustomFields is { Length: > 2 } json
            ? JsonSerializer.Deserialize<Dictionary<string, string?>>(json) ?? [] : [];

        private Dictionary<string, string?> Touches()
        {
            if (touches is not null) return touches;
            touches = [];
            AddTouch(touches, "firstTouch", s.FirstTouch);
            AddTouch(touches, "lastTouch", s.LastTouch);
            return touches;
        }
    }

    private static void AddTouch(Dictionary<string, string?> fields, string prefix, string? json)
    {
        if (json is not { Length: > 2 }) return;
        using var doc = JsonDocument.Parse(json);
        foreach (var p in doc.RootElement.EnumerateObject())
            if (p.Value.ValueKind == JsonValueKind.String) fields[$"{prefix}.{p.Name}"] = p.Value.GetString();
    }

    private static string Flag(long v) => v != 0 ? "true" : "false";

    /// <summary>
    /// The select for a whole-database pass under a model: the score columns, plus only the profile columns the
    /// model's rules and personas read (reading text columns is most of the cost of a million rows).
    /// </summary>
    public static string SelectFor(CompiledModel model)
    {
        var fields = model.Model.Fit.SelectMany(r => r.When).Concat(model.Model.Personas.SelectMany(p => p.When)).Select(c => c.Field).ToHashSet();
        var columns = new List<string> { "p.id", "p.stage", "p.fit_score", "p.fit_grade", "p.engagement_score", "p.score_cell", "p.meets_mql",
            "p.score_model_version", "p.scored_at", "p.score_through", "p.updated_at" };
        foreach (var f in fields)
        {
            var column = f switch
            {
                "email" or "emailDomain" => "p.email", "firstName" => "p.first_name", "lastName" => "p.last_name", "company" => "p.company",
                "title" => "p.title", "phone" => "p.phone", "website" => "p.website", "country" => "p.country", "region" => "p.region",
                "city" => "p.city", "industry" => "p.industry", "companySize" => "p.company_size",
                "firstTouchChannel" => "p.first_touch_channel", "lastTouchChannel" => "p.last_touch_channel",
                "doNotEmail" => "p.do_not_email", "doNotCall" => "p.do_not_call", "unsubscribed" => "p.unsubscribed",
                "account.name" => "a.name AS account_name", "account.domain" => "a.domain AS account_domain",
                "account.industry" => "a.industry AS account_industry",
                _ when f.StartsWith("custom.", StringComparison.Ordinal) => "p.custom_fields",
                _ when f.StartsWith("firstTouch.", StringComparison.Ordinal) => "p.first_touch",
                _ when f.StartsWith("lastTouch.", StringComparison.Ordinal) => "p.last_touch",
                _ => null,
            };
            if (column is not null && !columns.Contains(column)) columns.Add(column);
            if (f == "account.industry" && !columns.Contains("p.industry")) columns.Add("p.industry");
        }
        return $"SELECT {string.Join(", ", columns)} FROM people p LEFT JOIN accounts a ON a.id = p.account_id";
    }

    /// <summary>Reads the rows of <see cref="Select"/> or <see cref="SelectFor"/> by position; absent columns stay empty.</summary>
    public static IEnumerable<ScoringSubject> ReadAll(DbDataReader r)
    {
        var at = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < r.FieldCount; i++) at[r.GetName(i)] = i;
        int O(string name) => at.TryGetValue(name, out var i) ? i : -1;
        int id = O("id"), email = O("email"), first = O("first_name"), last = O("last_name"), company = O("company"), title = O("title"),
            phone = O("phone"), website = O("website"), country = O("country"), region = O("region"), city = O("city"), industry = O("industry"),
            size = O("company_size"), stage = O("stage"), custom = O("custom_fields"), ftc = O("first_touch_channel"), ltc = O("last_touch_channel"),
            ft = O("first_touch"), lt = O("last_touch"), dne = O("do_not_email"), dnc = O("do_not_call"), unsub = O("unsubscribed"),
            fit = O("fit_score"), grade = O("fit_grade"), eng = O("engagement_score"), cell = O("score_cell"), personas = O("personas"),
            meets = O("meets_mql"), version = O("score_model_version"), scoredAt = O("scored_at"), state = O("score_state"),
            through = O("score_through"), updated = O("updated_at"), an = O("account_name"), ad = O("account_domain"), ai = O("account_industry");
        string? S(int i) => i < 0 || r.IsDBNull(i) ? null : r.GetString(i);
        long? L(int i) => i < 0 || r.IsDBNull(i) ? null : r.GetInt64(i);
        while (r.Read())
            yield return new ScoringSubject
            {
                Id = r.GetInt64(id), Email = S(email), FirstName = S(first), LastName = S(last), Company = S(company), Title = S(title),
                Phone = S(phone), Website = S(website), Country = S(country), Region = S(region), City = S(city), Industry = S(industry),
                CompanySize = S(size), Stage = S(stage) ?? "", CustomFields = S(custom), FirstTouchChannel = S(ftc), LastTouchChannel = S(ltc),
                FirstTouch = S(ft), LastTouch = S(lt), DoNotEmail = L(dne) ?? 0, DoNotCall = L(dnc) ?? 0, Unsubscribed = L(unsub) ?? 0,
                FitScore = L(fit), FitGrade = S(grade), EngagementScore = L(eng), ScoreCell = S(cell), Personas = S(personas),
                MeetsMql = L(meets) ?? 0, ScoreModelVersion = L(version), ScoredAt = L(scoredAt), ScoreState = S(state),
                ScoreThrough = L(through), UpdatedAt = L(updated) ?? 0, AccountName = S(an), AccountDomain = S(ad), AccountIndustry = S(ai),
            };
    }
}
