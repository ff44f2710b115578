using System.Data.Common;
using Dapper;
using Tandem.Domain.Email;

namespace Tandem.Server.Email;

/// <summary>
/// The workspace's email settings, kept as <c>email.*</c> keys in <c>workspace_settings</c> so every server on the
/// database reads the same ones: who email comes from, where replies go, the postal address the footer must show, whether
/// marketing needs a confirmed opt-in, the frequency cap, and the brand the layout uses.
/// </summary>
internal sealed record EmailSettings(
    string? FromName,
    string? FromAddress,
    string? ReplyTo,
    string? PhysicalAddress,
    bool RequireOptIn,
    FrequencyCap? FrequencyCap,
    string? CompanyName,
    string? BrandColor)
{
    public const string FromNameKey = "email.from_name";
    public const string FromAddressKey = "email.from_address";
    public const string ReplyToKey = "email.reply_to";
    public const string PhysicalAddressKey = "email.physical_address";
    public const string RequireOptInKey = "email.require_opt_in";
    public const string FrequencyCapKey = "email.frequency_cap";
    public const string CompanyNameKey = "email.company_name";
    public const string BrandColorKey = "email.brand_color";

    private static readonly string[] Keys =
        [FromNameKey, FromAddressKey, ReplyToKey, PhysicalAddressKey, RequireOptInKey, FrequencyCapKey, CompanyNameKey, BrandColorKey];

    /// <summary>The name the layout's header and footer show: the company, else the sender's name, else the sending domain.</summary>
    public string DisplayCompany => CompanyName ?? FromName ?? FromAddress?.Split('@').Last() ?? "Our team";

    public EmailBrand Brand => new(DisplayCompany, BrandColor, PhysicalAddress);

    public static async Task<EmailSettings> ReadAsync(DbConnection c, DbTransaction? tx)
    {
        var values = (await c.QueryAsync<(string Key, string Value)>(
                $"SELECT key, value FROM workspace_settings WHERE {Storage.Sql.In(c, "key", "@Keys")}", new { Keys }, tx))
            .ToDictionary(r => r.Key, r => r.Value);
        string? V(string key) => values.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        return new EmailSettings(V(FromNameKey), V(FromAddressKey), V(ReplyToKey), V(PhysicalAddressKey),
            string.Equals(V(RequireOptInKey), "true", StringComparison.OrdinalIgnoreCase), FrequencyCap.Parse(V(FrequencyCapKey)),
            V(CompanyNameKey), V(BrandColorKey));
    }

    /// <summary>Stores every setting; a null one is removed, so reading it gives the default.</summary>
    public async Task WriteAsync(DbConnection c, DbTransaction tx)
    {
        var values = new Dictionary<string, string?>
        {
            [FromNameKey] = FromName, [FromAddressKey] = FromAddress, [ReplyToKey] = ReplyTo, [PhysicalAddressKey] = PhysicalAddress,
            [RequireOptInKey] = RequireOptIn ? "true" : "false", [FrequencyCapKey] = FrequencyCap?.ToString(), [CompanyNameKey] = CompanyName,
            [BrandColorKey] = BrandColor,
        };
        foreach (var (key, value) in values)
        {
            if (value is null) await c.ExecuteAsync("DELETE FROM workspace_settings WHERE key = @key", new { key }, tx);
            else
                await c.ExecuteAsync("INSERT INTO workspace_settings (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    new { key, value }, tx);
        }
    }
}
