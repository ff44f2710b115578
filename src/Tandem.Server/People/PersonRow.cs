using Tandem.Domain.Capture;
using Tandem.Domain.Identity;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Storage;

namespace Tandem.Server.People;

/// <summary>One row of the people table, and its translation to and from the domain's profile.</summary>
internal sealed class PersonRow
{
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
    public long StageChangedAt { get; set; }
    public long? AccountId { get; set; }
    public long DoNotEmail { get; set; }
    public long DoNotCall { get; set; }
    public long Unsubscribed { get; set; }
    public string CustomFields { get; set; } = "{}";
    public string FieldTimes { get; set; } = "{}";
    public string LockedFields { get; set; } = "[]";
    public string? FirstTouchChannel { get; set; }
    public string? FirstTouch { get; set; }
    public long? FirstTouchAt { get; set; }
    public string? LastTouchChannel { get; set; }
    public string? LastTouch { get; set; }
    public long? LastTouchAt { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
    public long? MergedIntoId { get; set; }

    /// <summary>When the person was erased: the row is a tombstone, counted in reports and never shown (Privacy/ErasePerson.cs).</summary>
    public long? ErasedAt { get; set; }
    public long? OwnerId { get; set; }
    public long? OwnerAssignedAt { get; set; }
    public long? OwnerTeamId { get; set; }
    public long? FitScore { get; set; }
    public string? FitGrade { get; set; }
    public long? EngagementScore { get; set; }
    public string? ScoreCell { get; set; }
    public string Personas { get; set; } = "[]";
    public long MeetsMql { get; set; }

    /// <summary>0-1 under the active conversion model (Prediction/), null before one is active.</summary>
    public double? ConversionProbability { get; set; }

    /// <summary>The prediction's reasons as a JSON array, and the model version it came from.</summary>
    public string? PredictionReasons { get; set; }
    public long? PredictionVersion { get; set; }
    public long? ScoreModelVersion { get; set; }
    public long? ScoredAt { get; set; }

    public IReadOnlyList<string> PersonaNames => Json.Read(Personas, new List<string>());

    public Stage ParsedStage => Enum.Parse<Stage>(Stage);

    public Consent Consent => new(DoNotEmail != 0, DoNotCall != 0, Unsubscribed != 0);

    public void SetConsent(Consent consent)
    {
        DoNotEmail = consent.DoNotEmail ? 1 : 0;
        DoNotCall = consent.DoNotCall ? 1 : 0;
        Unsubscribed = consent.Unsubscribed ? 1 : 0;
    }

    public Attribution? FirstTouchAttribution => FirstTouch is null ? null : Json.Read<Attribution?>(FirstTouch, null);
    public Attribution? LastTouchAttribution => LastTouch is null ? null : Json.Read<Attribution?>(LastTouch, null);

    public IReadOnlyDictionary<string, string> Custom => Json.Read(CustomFields, new Dictionary<string, string>());

    public Profile ToProfile()
    {
        var times = Json.Read(FieldTimes, new Dictionary<string, long>());
        var fields = new Dictionary<string, FieldValue>();
        foreach (var field in PersonFields.Standard)
            if (GetStandard(field) is { } value)
                fields[field] = new FieldValue(value, At(times, field));
        foreach (var (name, value) in Custom)
            fields[PersonFields.Custom(name)] = new FieldValue(value, At(times, PersonFields.Custom(name)));
        return new Profile(fields, Json.Read(LockedFields, new HashSet<string>()));
    }

    public void ApplyProfile(Profile profile)
    {
        foreach (var field in PersonFields.Standard) SetStandard(field, profile[field]);
        CustomFields = Json.Write(profile.Fields
            .Where(f => f.Key.StartsWith(PersonFields.CustomPrefix, StringComparison.Ordinal) && !f.Value.IsEmpty)
            .ToDictionary(f => f.Key[PersonFields.CustomPrefix.Length..], f => f.Value.Value!));
        FieldTimes = Json.Write(profile.Fields.Where(f => !f.Value.IsEmpty)
            .ToDictionary(f => f.Key, f => f.Value.ObservedAt.ToUnixTimeMilliseconds()));
        LockedFields = Json.Write(profile.Locked.Order().ToList());
    }

    private DateTimeOffset At(Dictionary<string, long> times, string field) =>
        DateTimeOffset.FromUnixTimeMilliseconds(times.TryGetValue(field, out var t) ? t : UpdatedAt);

    public string? GetStandard(string field) => field switch
    {
        PersonFields.FirstName => FirstName,
        PersonFields.LastName => LastName,
        PersonFields.Company => Company,
        PersonFields.Title => Title,
        PersonFields.Phone => Phone,
        PersonFields.Website => Website,
        PersonFields.Country => Country,
        PersonFields.Region => Region,
        PersonFields.City => City,
        PersonFields.Industry => Industry,
        PersonFields.CompanySize => CompanySize,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a standard field."),
    };

    private void SetStandard(string field, string? value)
    {
        switch (field)
        {
            case PersonFields.FirstName: FirstName = value; break;
            case PersonFields.LastName: LastName = value; break;
            case PersonFields.Company: Company = value; break;
            case PersonFields.Title: Title = value; break;
            case PersonFields.Phone: Phone = value; break;
            case PersonFields.Website: Website = value; break;
            case PersonFields.Country: Country = value; break;
            case PersonFields.Region: Region = value; break;
            case PersonFields.City: City = value; break;
            case PersonFields.Industry: Industry = value; break;
            case PersonFields.CompanySize: CompanySize = value; break;
            default: throw new ArgumentOutOfRangeException(nameof(field), field, "Not a standard field.");
        }
    }
}
