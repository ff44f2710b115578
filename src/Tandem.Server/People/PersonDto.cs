using System.Data.Common;
using Dapper;
using Tandem.Domain.Capture;

namespace Tandem.Server.People;

internal sealed record ExternalIdDto(string Source, string Id);

internal sealed record ConsentDto(bool DoNotEmail, bool DoNotCall, bool Unsubscribed);

internal sealed record TouchDto(DateTimeOffset At, Attribution Attribution);

internal sealed record AccountSummaryDto(long Id, string Name, string? Domain);

/// <summary>The person's current scores; all null until a scoring model has scored them.</summary>
internal sealed record ScoreSummaryDto(long? Fit, string? Grade, long? Engagement, string? Cell, IReadOnlyList<string> Personas,
    bool MeetsMql, long? ModelVersion, DateTimeOffset? ScoredAt);

/// <summary>A person as the API shows it.</summary>
internal sealed record PersonDto(
    long Id,
    string? Email,
    string? FirstName,
    string? LastName,
    string? Company,
    string? Title,
    string? Phone,
    string? Website,
    string? Country,
    string? Region,
    string? City,
    string? Industry,
    string? CompanySize,
    string Stage,
    DateTimeOffset StageChangedAt,
    AccountSummaryDto? Account,
    ConsentDto Consent,
    IReadOnlyDictionary<string, string> CustomFields,
    IReadOnlyList<string> LockedFields,
    IReadOnlyList<ExternalIdDto> ExternalIds,
    TouchDto? FirstTouch,
    TouchDto? LastTouch,
    long? OwnerId,
    ScoreSummaryDto Score,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static PersonDto From(PersonRow r, AccountSummaryDto? account, IReadOnlyList<ExternalIdDto> externalIds) => new(
        r.Id, r.Email, r.FirstName, r.LastName, r.Company, r.Title, r.Phone, r.Website, r.Country, r.Region, r.City, r.Industry,
        r.CompanySize, r.Stage, At(r.StageChangedAt), account,
        new ConsentDto(r.DoNotEmail != 0, r.DoNotCall != 0, r.Unsubscribed != 0),
        r.Custom, r.ToProfile().Locked.Order().ToList(), externalIds,
        r.FirstTouchAt is { } f && r.FirstTouchAttribution is { } fa ? new TouchDto(At(f), fa) : null,
        r.LastTouchAt is { } l && r.LastTouchAttribution is { } la ? new TouchDto(At(l), la) : null,
        r.OwnerId,
        new ScoreSummaryDto(r.FitScore, r.FitGrade, r.EngagementScore, r.ScoreCell, r.PersonaNames, r.MeetsMql != 0,
            r.ScoreModelVersion, r.ScoredAt is { } s ? At(s) : null),
        At(r.CreatedAt), At(r.UpdatedAt));

    /// <summary>Loads everything the DTO shows for one person row.</summary>
    public static async Task<PersonDto> LoadAsync(DbConnection c, DbTransaction? tx, PersonRow row)
    {
        var account = row.AccountId is { } aid
            ? await c.QuerySingleOrDefaultAsync<AccountSummaryDto>("SELECT id, name, domain FROM accounts WHERE id = @aid", new { aid }, tx)
            : null;
        return From(row, account, await PersonStore.ExternalIdsAsync(c, tx, row.Id));
    }

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
