namespace Tandem.Domain.Import;

/// <summary>
/// Maps a header nobody configured to a target: first by the names exports commonly use for each
/// field, then by similarity to those names ("E-mail Addr" → email), so near-misses still land.
/// </summary>
public static class HeaderMatching
{
    /// <summary>Below this similarity a header becomes a custom field rather than a guess.</summary>
    public const double SimilarityThreshold = 0.94;

    private static readonly Dictionary<string, string> Synonyms = Build(new Dictionary<string, string[]>
    {
        [ImportTargets.Email] = ["email", "emailaddress", "e-mail", "mail", "workemail", "businessemail", "primaryemail", "contactemail", "emailwork"],
        [ImportTargets.ExternalId] = ["id", "recordid", "prospectid", "leadid", "contactid", "personid", "externalid", "crmid", "customerid"],
        [ImportTargets.ExternalIds] = ["externalids"],
        ["firstName"] = ["firstname", "first", "givenname", "fname", "forename", "vorname", "prenom"],
        ["lastName"] = ["lastname", "surname", "familyname", "lname", "nachname"],
        [ImportTargets.FullName] = ["name", "fullname", "contactname", "personname", "leadname"],
        ["company"] = ["company", "companyname", "organization", "organisation", "org", "organizationname", "accountname", "employer", "firma"],
        ["title"] = ["title", "jobtitle", "position", "jobrole", "designation"],
        ["phone"] = ["phone", "phonenumber", "telephone", "tel", "workphone", "businessphone", "telefon"],
        ["website"] = ["website", "websiteurl", "web", "url", "companywebsite", "homepage"],
        ["country"] = ["country", "countryregion", "countryname", "land"],
        ["region"] = ["state", "region", "stateregion", "province", "stateprovince", "county", "bundesland"],
        ["city"] = ["city", "town", "ort", "stadt"],
        ["industry"] = ["industry", "sector", "branche"],
        ["companySize"] = ["companysize", "numberofemployees", "employees", "employeecount", "headcount", "noofemployees"],
        [ImportTargets.Stage] = ["lifecyclestage", "stage", "leadstatus", "status"],
        [ImportTargets.Source] = ["leadsource", "source", "originalsource", "channel", "acquisitionchannel"],
        [ImportTargets.Campaign] = ["campaign", "campaignname"],
        [ImportTargets.UtmSource] = ["utmsource"],
        [ImportTargets.UtmMedium] = ["utmmedium"],
        [ImportTargets.UtmCampaign] = ["utmcampaign"],
        [ImportTargets.DoNotEmail] = ["donotemail", "emailoptout", "hasoptedoutofemail", "optedoutofemail", "noemail"],
        [ImportTargets.DoNotCall] = ["donotcall", "calloptout", "nocall"],
        [ImportTargets.Unsubscribed] = ["unsubscribed", "unsubscribedfromallemail", "optedout", "emailunsubscribed"],
        [ImportTargets.MarketingStatus] = ["marketingstatus"],
        [ImportTargets.Visits] = ["totalvisits", "visits", "numberofsessions", "sessions", "websitevisits", "numberofvisits"],
        [ImportTargets.TimeOnSiteSeconds] = ["totaltimespentonwebsite", "timeonsite", "timeonwebsite", "timespentonwebsite"],
        [ImportTargets.PageViews] = ["numberofpageviews", "pageviews", "totalpageviews"],
        [ImportTargets.LastActivity] = ["lastactivity", "lastactivitytype", "lastengagement"],
        [ImportTargets.LastActivityAt] = ["lastactivitydate", "lastactive", "lastengagementdate"],
        [ImportTargets.Outcome] = ["converted", "won", "outcome", "iscustomer"],
        [ImportTargets.CreatedAt] = ["createdate", "createddate", "createdat", "createdon", "datecreated", "creationdate", "leadcreated", "dateadded", "addtime"],
        [ImportTargets.ObservedAt] = ["lastmodifieddate", "lastmodified", "datemodified", "updatedat", "updatetime", "lastupdated", "modifiedat"],
    });

    private static Dictionary<string, string> Build(Dictionary<string, string[]> byTarget)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (target, names) in byTarget)
            foreach (var name in names) result[Normalize(name)] = target;
        return result;
    }

    /// <summary>Lower-case letters and digits only: "Email Address", "email_address" and "E-Mail-Address" meet.</summary>
    public static string Normalize(string header) => new string(header.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();

    /// <summary>The target for a header and how it was found ("synonym" or "similar to 'x' (0.93)"), or null.</summary>
    public static (string Target, string How)? Match(string header)
    {
        var key = Normalize(header);
        if (key.Length == 0) return null;
        if (Synonyms.TryGetValue(key, out var exact)) return (exact, "known header");
        var best = (Name: "", Score: 0.0);
        foreach (var name in Synonyms.Keys)
        {
            // Short names are too easy to confuse by spelling, and a much longer header is a different field
            // that shares a prefix ("Page Views Per Visit" is not "Page Views").
            if (Math.Min(name.Length, key.Length) < 5 || Math.Min(name.Length, key.Length) < 0.75 * Math.Max(name.Length, key.Length)) continue;
            var score = JaroWinkler(key, name);
            if (score > best.Score) best = (name, score);
        }
        return best.Score >= SimilarityThreshold ? (Synonyms[best.Name], $"similar to '{best.Name}' ({best.Score:0.00})") : null;
    }

    /// <summary>Jaro-Winkler similarity in [0, 1]; rewards a shared prefix, which header variants usually have.</summary>
    public static double JaroWinkler(string a, string b)
    {
        if (a == b) return 1;
        if (a.Length == 0 || b.Length == 0) return 0;
        var window = Math.Max(0, Math.Max(a.Length, b.Length) / 2 - 1);
        var aMatched = new bool[a.Length]; var bMatched = new bool[b.Length];
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
            for (var j = Math.Max(0, i - window); j < Math.Min(b.Length, i + window + 1); j++)
            {
                if (bMatched[j] || a[i] != b[j]) continue;
                aMatched[i] = bMatched[j] = true; matches++; break;
            }
        if (matches == 0) return 0;
        var transpositions = 0; var k = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if (!aMatched[i]) continue;
            while (!bMatched[k]) k++;
            if (a[i] != b[k]) transpositions++;
            k++;
        }
        var m = (double)matches;
        var jaro = (m / a.Length + m / b.Length + (m - transpositions / 2.0) / m) / 3;
        var prefix = 0;
        while (prefix < Math.Min(4, Math.Min(a.Length, b.Length)) && a[prefix] == b[prefix]) prefix++;
        return jaro + prefix * 0.1 * (1 - jaro);
    }
}
