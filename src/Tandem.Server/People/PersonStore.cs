using System.Data.Common;
using Dapper;
using Tandem.Server.Storage;

namespace Tandem.Server.People;

/// <summary>Reads and writes person rows and their identifiers inside a caller's transaction.</summary>
internal static class PersonStore
{
    private const string Columns =
        "email, first_name, last_name, company, title, phone, website, country, region, city, industry, company_size, " +
        "stage, stage_changed_at, account_id, do_not_email, do_not_call, unsubscribed, custom_fields, field_times, locked_fields, " +
        "first_touch_channel, first_touch, first_touch_at, last_touch_channel, last_touch, last_touch_at, created_at, updated_at, merged_into_id";

    private const string Values =
        "@Email, @FirstName, @LastName, @Company, @Title, @Phone, @Website, @Country, @Region, @City, @Industry, @CompanySize, " +
        "@Stage, @StageChangedAt, @AccountId, @DoNotEmail, @DoNotCall, @Unsubscribed, @CustomFields, @FieldTimes, @LockedFields, " +
        "@FirstTouchChannel, @FirstTouch, @FirstTouchAt, @LastTouchChannel, @LastTouch, @LastTouchAt, @CreatedAt, @UpdatedAt, @MergedIntoId";

    /// <param name="forUpdate">
    /// Lock the row until the transaction ends (PostgreSQL; SQLite's single writer already serializes).
    /// NO KEY UPDATE, because the id never changes: other transactions may still insert activities
    /// that reference this person (their foreign-key check takes only a key-share lock).
    /// </param>
    public static Task<PersonRow?> FindAsync(DbConnection c, DbTransaction? tx, long id, bool forUpdate = false) =>
        c.QuerySingleOrDefaultAsync<PersonRow>(
            "SELECT * FROM people WHERE id = @id" + (forUpdate ? SqlDialect.Of(c).ForNoKeyUpdate : ""), new { id }, tx);

    /// <summary>Follows merge redirects to the person that survived; an erased person (a tombstone) is nobody to work on.</summary>
    public static async Task<PersonRow?> FindLiveAsync(DbConnection c, DbTransaction? tx, long id, bool forUpdate = false)
    {
        for (var hops = 0; hops < 16; hops++)
        {
            var row = await FindAsync(c, tx, id, forUpdate);
            if (row?.ErasedAt is not null) return null;
            if (row?.MergedIntoId is not { } next) return row;
            id = next;
        }
        return null;
    }

    public static Task<long?> FindIdByEmailAsync(DbConnection c, DbTransaction? tx, string email) =>
        c.QuerySingleOrDefaultAsync<long?>("SELECT id FROM people WHERE email = @email", new { email }, tx);

    public static Task<long?> FindIdByExternalIdAsync(DbConnection c, DbTransaction? tx, string source, string externalId) =>
        c.QuerySingleOrDefaultAsync<long?>(
            "SELECT person_id FROM person_external_ids WHERE source = @source AND external_id = @externalId",
            new { source, externalId }, tx);

    public static Task<long?> FindIdByAnonymousIdAsync(DbConnection c, DbTransaction? tx, string anonymousId) =>
        c.QuerySingleOrDefaultAsync<long?>(
            "SELECT person_id FROM anonymous_ids WHERE anonymous_id = @anonymousId", new { anonymousId }, tx);

    /// <summary>
    /// Inserts a person unless one with the same email exists, in which case that person's id is
    /// returned and Created is false. The unique email index makes this safe under any concurrency.
    /// </summary>
    public static async Task<(long Id, bool Created)> InsertOrGetByEmailAsync(DbConnection c, DbTransaction tx, PersonRow row)
    {
        var id = await c.QuerySingleOrDefaultAsync<long?>(
            $"INSERT INTO people ({Columns}) VALUES ({Values}) ON CONFLICT (email) DO NOTHING RETURNING id", row, tx);
        if (id is { } created) return (created, true);
        return ((await FindIdByEmailAsync(c, tx, row.Email!))!.Value, false);
    }

    public static Task<long> InsertAsync(DbConnection c, DbTransaction tx, PersonRow row) =>
        c.ExecuteScalarAsync<long>($"INSERT INTO people ({Columns}) VALUES ({Values}) RETURNING id", row, tx);

    public static Task UpdateAsync(DbConnection c, DbTransaction tx, PersonRow row) =>
        c.ExecuteAsync(
            "UPDATE people SET email = @Email, first_name = @FirstName, last_name = @LastName, company = @Company, title = @Title, " +
            "phone = @Phone, website = @Website, country = @Country, region = @Region, city = @City, industry = @Industry, " +
            "company_size = @CompanySize, stage = @Stage, stage_changed_at = @StageChangedAt, account_id = @AccountId, " +
            "do_not_email = @DoNotEmail, do_not_call = @DoNotCall, unsubscribed = @Unsubscribed, custom_fields = @CustomFields, " +
            "field_times = @FieldTimes, locked_fields = @LockedFields, first_touch_channel = @FirstTouchChannel, " +
            "first_touch = @FirstTouch, first_touch_at = @FirstTouchAt, last_touch_channel = @LastTouchChannel, " +
            "last_touch = @LastTouch, last_touch_at = @LastTouchAt, updated_at = @UpdatedAt, merged_into_id = @MergedIntoId " +
            "WHERE id = @Id", row, tx);

    /// <summary>Links an external id to a person; an id already linked to someone keeps its owner.</summary>
    public static Task LinkExternalIdAsync(DbConnection c, DbTransaction tx, long personId, string source, string externalId, long now) =>
        c.ExecuteAsync(
            "INSERT INTO person_external_ids (source, external_id, person_id, created_at) VALUES (@source, @externalId, @personId, @now) " +
            "ON CONFLICT (source, external_id) DO NOTHING", new { source, externalId, personId, now }, tx);

    public static async Task<IReadOnlyList<ExternalIdDto>> ExternalIdsAsync(DbConnection c, DbTransaction? tx, long personId) =>
        (await c.QueryAsync<ExternalIdDto>(
            "SELECT source, external_id AS Id FROM person_external_ids WHERE person_id = @personId ORDER BY source, external_id",
            new { personId }, tx)).ToList();
}
