using System.Data.Common;
using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Server.Capture.Forms;

/// <summary>A form with how often it was sent and when last; the Forms list.</summary>
internal sealed record FormSummary(FormRow Form, string? CampaignName, long Submissions, DateTimeOffset? LastSubmittedAt);

/// <summary>One submission: who sent it, when, and the fields as posted.</summary>
internal sealed record FormSubmission(long ActivityId, long PersonId, string? PersonName, string? Email, DateTimeOffset SubmittedAt,
    IReadOnlyDictionary<string, string?> Fields);

/// <summary>A page of a form's submissions, newest first, and how many there are in all.</summary>
internal sealed record SubmissionPage(IReadOnlyList<FormSubmission> Items, long Total, int Page, int PageSize)
{
    public int Pages => (int)Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>
/// A form's submissions are its form_submitted activities (they carry the form's id), so a merge moves them to the
/// survivor and erasure or retention removes them, with no second copy to keep in step.
/// </summary>
internal static class FormSubmissions
{
    public const int PageSize = 25;

    public static async Task<IReadOnlyList<FormSummary>> ListAsync(DbConnection c)
    {
        var forms = (await c.QueryAsync<FormRow>("SELECT * FROM forms ORDER BY name, id")).ToList();
        var campaigns = (await c.QueryAsync<(long Id, string Name)>("SELECT id, name FROM campaigns")).ToDictionary(x => x.Id, x => x.Name);
        var formId = SqlDialect.Of(c).JsonText("properties", "formId");
        // One pass over the partial index; the id is read as text because SQLite gives a number and PostgreSQL text.
        var counts = (await c.QueryAsync<(string? FormId, long Count, long Last)>(
                $"SELECT CAST({formId} AS TEXT), COUNT(*), MAX(occurred_at) FROM activities WHERE type = 'form_submitted' GROUP BY {formId}"))
            .Where(x => long.TryParse(x.FormId, out _)).ToDictionary(x => long.Parse(x.FormId!), x => (x.Count, x.Last));
        return forms.Select(f => counts.TryGetValue(f.Id, out var n)
                ? new FormSummary(f, Campaign(f), n.Count, DateTimeOffset.FromUnixTimeMilliseconds(n.Last))
                : new FormSummary(f, Campaign(f), 0, null))
            .ToList();

        string? Campaign(FormRow f) => f.CampaignId is { } id && campaigns.TryGetValue(id, out var name) ? name : null;
    }

    public static async Task<SubmissionPage> PageAsync(DbConnection c, long formId, int page)
    {
        page = Math.Max(1, page);
        var dialect = SqlDialect.Of(c);
        var condition = $"a.type = 'form_submitted' AND {dialect.JsonText("a.properties", "formId")} = @formId";
        // Compared as stored, so the index serves it: a number in SQLite's JSON, text from PostgreSQL's ->>.
        object id = dialect.Provider == DatabaseProvider.Postgres ? formId.ToString(System.Globalization.CultureInfo.InvariantCulture) : formId;
        var total = await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM activities a WHERE {condition}", new { formId = id });
        var rows = await c.QueryAsync<(long Id, long PersonId, string? FirstName, string? LastName, string? Email, long OccurredAt, string Properties)>(
            $"SELECT a.id, a.person_id, p.first_name, p.last_name, p.email, a.occurred_at, a.properties FROM activities a " +
            $"JOIN people p ON p.id = a.person_id WHERE {condition} ORDER BY a.occurred_at DESC, a.id DESC LIMIT @limit OFFSET @offset",
            new { formId = id, limit = PageSize, offset = (page - 1) * PageSize });
        var items = rows.Select(r => new FormSubmission(r.Id, r.PersonId, Name(r.FirstName, r.LastName), r.Email,
            DateTimeOffset.FromUnixTimeMilliseconds(r.OccurredAt), Json.Read(r.Properties, new Posted()).Fields ?? [])).ToList();
        return new SubmissionPage(items, total, page, PageSize);
    }

    private static string? Name(string? first, string? last) =>
        string.Join(' ', new[] { first, last }.Where(s => !string.IsNullOrWhiteSpace(s))) is { Length: > 0 } n ? n : null;

    private sealed class Posted
    {
        public Dictionary<string, string?>? Fields { get; set; }
    }
}
