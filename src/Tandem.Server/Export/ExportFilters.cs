using System.Globalization;
using Tandem.Domain.Import;
using Tandem.Server.Hosting;

namespace Tandem.Server.Export;

/// <summary>Reads the command line's "--filter key=value" pairs into a people filter.</summary>
public static class ExportFilters
{
    public static PeopleFilter Parse(IEnumerable<string> pairs, Validation v)
    {
        var f = new PeopleFilter();
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) { v.Add("filter", $"'{pair}' is not key=value."); continue; }
            var key = pair[..eq].Trim(); var value = pair[(eq + 1)..].Trim();
            switch (key.ToLowerInvariant())
            {
                case "stage": f = f with { Stage = value }; break;
                case "q": f = f with { Q = value }; break;
                case "email": f = f with { Email = value }; break;
                case "channel": f = f with { Channel = value }; break;
                case "country": f = f with { Country = value }; break;
                case "grade": f = f with { Grade = value }; break;
                case "accountid": f = f with { AccountId = Long(key, value, v) }; break;
                case "ownerid": f = f with { OwnerId = Long(key, value, v) }; break;
                case "meetsmql":
                    if (CellValues.TryBoolean(value, out var mql)) f = f with { MeetsMql = mql }; else v.Add(key, "Expected true or false.");
                    break;
                case "createdafter": f = f with { CreatedAfter = Instant(key, value, v) }; break;
                case "createdbefore": f = f with { CreatedBefore = Instant(key, value, v) }; break;
                case "updatedsince": f = f with { UpdatedSince = Instant(key, value, v) }; break;
                default: v.Add("filter", $"'{key}' is not a filter; use stage, q, email, channel, country, grade, accountId, ownerId, meetsMql, createdAfter, createdBefore or updatedSince."); break;
            }
        }
        return f;
    }

    private static long? Long(string key, string value, Validation v)
    {
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return n;
        v.Add(key, "Expected a number.");
        return null;
    }

    private static DateTimeOffset? Instant(string key, string value, Validation v)
    {
        if (CellValues.TryInstant(value, out var at)) return at;
        v.Add(key, "Expected a date such as 2024-03-05 or 2024-03-05T14:22:00Z.");
        return null;
    }
}
