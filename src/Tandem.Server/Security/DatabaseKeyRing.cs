using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Tandem.Server.Storage;

namespace Tandem.Server.Security;

/// <summary>
/// Keeps ASP.NET Core's data-protection keys — what signs sign-in cookies and form tokens — in the database instead of
/// the server user's home folder, so they survive restarts and new machines, and every server on one database accepts
/// the cookies another issued. Data protection calls this rarely (at start, and when it rotates a key every 90 days),
/// and only synchronously, hence the blocking waits.
/// </summary>
internal sealed class DatabaseKeyRing(Database db, TimeProvider clock) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() =>
        db.ReadAsync(async c => (await c.QueryAsync<string>("SELECT xml FROM data_protection_keys ORDER BY id")).Select(x => XElement.Parse(x)).ToList())
            .GetAwaiter().GetResult();

    public void StoreElement(XElement element, string friendlyName) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO data_protection_keys (friendly_name, xml, created_at) VALUES (@friendlyName, @xml, @now)",
            new { friendlyName, xml = element.ToString(SaveOptions.DisableFormatting), now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, tx))
            .GetAwaiter().GetResult();
}
