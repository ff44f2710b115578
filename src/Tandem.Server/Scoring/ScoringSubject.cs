using System.Data.Common;
using System.Text.Json;
using Dapper;
using Tandem.Domain.Scoring;

namespace Tandem.Server.Scoring;

/// <summary>
/// What scoring reads of a person: profile, consent, touches, account, and the current scores (to tell what changed).
/// Fit rules name fields as the API does: title, country, companySize, emailDomain, account.industry, custom.seats…
/// </summary>
public sealed class ScoringSubject
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
        c.QuerySingleOrDefaultAsync<ScoringSubject>(Select + " WHERE p.id = @personId AND p.merged_into_id IS NULL", new { personId }, tx);

    /// <summary>The person's fields by the names fit rules and personas use.</summary>
    public IFieldSource Fields(bool withCustomFields)
    {
        var at = Email?.LastIndexOf('@') ?? -1;
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["email"] = Email, ["emailDomain"] = at >= 0 ? Email![(at + 1)..] : null,
            ["firstName"] = FirstName, ["lastName"] = LastName, ["company"] = Company, ["title"] = Title, ["phone"] = Phone,
            ["website"] = Website, ["country"] = Country, ["region"] = Region, ["city"] = City, ["industry"] = Industry,
            ["companySize"] = CompanySize, ["stage"] = Stage,
            ["firstTouchChannel"] = FirstTouchChannel, ["lastTouchChannel"] = LastTouchChannel,
            ["doNotEmail"] = Flag(DoNotEmail), ["doNotCall"] = Flag(DoNotCall), ["unsubscribed"] = Flag(Unsubscribed),
            ["account.name"] = AccountName, ["account.domain"] = AccountDomain, ["account.industry"] = AccountIndustry ?? Industry,
        };
        AddTouch(fields, "firstTouch", FirstTouch);
        AddTouch(fields, "lastTouch", LastTouch);
        if (withCustomFields && CustomFields is { Length: > 2 } custom)
            foreach (var (k, v) in JsonSerializer.Deserialize<Dictionary<string, string?>>(custom) ?? [])
                fields["custom." + k] = v;
        return new FieldBag(fields);
    }

    private static void AddTouch(Dictionary<string, string?> fields, string prefix, string? json)
    {
        if (json is not { Length: > 2 }) return;
        using var doc = JsonDocument.Parse(json);
        foreach (var p in doc.RootElement.EnumerateObject())
            if (p.Value.ValueKind == JsonValueKind.String) fields[$"{prefix}.{p.Name}"] = p.Value.GetString();
    }

    private static string Flag(long v) => v != 0 ? "true" : "false";
}
