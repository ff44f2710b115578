using System.Globalization;
using System.Text;

namespace Tandem.Bench.Import;

/// <summary>
/// Writes a realistic lead export: names, business and free-mail addresses at a few thousand companies,
/// sources, stages, opt-outs, engagement counts and dates; about 5% of rows repeat an earlier person
/// (often with different case or newer values) and about 1% are bad (invalid email, non-numeric count).
/// </summary>
public static class LeadFileGenerator
{
    public const string Header = "Email,First Name,Last Name,Company,Job Title,Phone,Country,City,Lead Source,Lifecycle Stage,Do Not Email,Number of Sessions,Number of Pageviews,Last Activity,Last Modified Date";

    private static readonly string[] First = ["Ada", "Ben", "Chloé", "Dev", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas", "Kemal", "Lena", "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara", "Uma", "Viktor", "Wen", "Yara", "Zoltan"];
    private static readonly string[] Last = ["Okafor", "Berg", "Dubois", "Patel", "Yilmaz", "Adeyemi", "Lind", "Sato", "Garcia", "Müller", "Demir", "Novak", "Rossi", "Kim", "Haddad", "Raman", "Walsh", "Silva", "Olsen", "Singh"];
    private static readonly string[] Titles = ["VP Marketing", "Head of Sales", "CTO", "Marketing Manager", "Data Analyst", "Founder", "Procurement Lead", "Engineer", "\"Director, Growth\""];
    private static readonly string[] Sources = ["Google", "google", "Direct Traffic", "Organic Search", "Referral Sites", "Facebook", "Trade Show", "Email Marketing", "Paid Search", "Webinar"];
    private static readonly string[] Stages = ["Subscriber", "Lead", "Lead", "Lead", "MQL", "SQL", "Opportunity", "Customer", ""];
    private static readonly string[] Activities = ["Email Opened", "Page Visited on Website", "Form Submitted on Website", "Email Link Clicked", "Select", ""];
    private static readonly (string Country, string City)[] Places = [("United States", "Austin"), ("Germany", "Berlin"), ("India", "Mumbai"), ("France", "Lyon"), ("Brazil", "São Paulo"), ("Japan", "Osaka"), ("Nigeria", "Lagos"), ("Sweden", "Malmö")];
    private static readonly string[] FreeMail = ["gmail.com", "outlook.com", "yahoo.com"];

    public static void Write(string path, int rows, int seed = 42)
    {
        var random = new Random(seed);
        var companies = Math.Max(50, rows / 250);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write(Header + "\n");
        var line = new StringBuilder(256);
        var baseDate = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < rows; i++)
        {
            // 5% repeat an earlier person; 1% are broken.
            var person = i > 100 && random.NextDouble() < 0.05 ? random.Next(i) : i;
            var company = person % companies;
            var first = First[person % First.Length]; var last = Last[person / First.Length % Last.Length];
            var domain = person % 9 == 0 ? FreeMail[person % 3] : $"company{company}.example";
            var email = $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}.{person}@{domain}";
            if (person != i && random.Next(2) == 0) email = email.ToUpperInvariant();
            var broken = random.NextDouble() < 0.01;
            if (broken && random.Next(2) == 0) email = email.Replace("@", " at ");
            var sessions = broken && !email.Contains(" at ") ? "many" : random.Next(0, 40).ToString(CultureInfo.InvariantCulture);
            var (country, city) = Places[company % Places.Length];
            line.Clear()
                .Append(email).Append(',').Append(first).Append(',').Append(last).Append(',')
                .Append("Company ").Append(company).Append(' ').Append(company % 3 == 0 ? "GmbH" : "Inc").Append(',')
                .Append(Titles[person % Titles.Length]).Append(',')
                .Append("+1 555 ").Append((person % 10000).ToString("0000", CultureInfo.InvariantCulture)).Append(',')
                .Append(country).Append(',').Append(city).Append(',')
                .Append(Sources[random.Next(Sources.Length)]).Append(',')
                .Append(Stages[random.Next(Stages.Length)]).Append(',')
                .Append(random.Next(10) == 0 ? "Yes" : "No").Append(',')
                .Append(sessions).Append(',')
                .Append(random.Next(0, 200).ToString("N0", CultureInfo.InvariantCulture).Replace(",", "")).Append(',')
                .Append(Activities[random.Next(Activities.Length)]).Append(',')
                .Append(baseDate.AddMinutes(i / 4.0).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Append('\n');
            writer.Write(line);
        }
    }
}
