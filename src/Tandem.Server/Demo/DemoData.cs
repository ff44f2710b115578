namespace Tandem.Server.Demo;

/// <summary>The fictional company the demo workspace describes: Lumen Cloud, who sell data-pipeline monitoring to other businesses.</summary>
internal static class DemoData
{
    public static readonly string[] FirstNames =
    [
        "Ana", "Ben", "Cleo", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kara", "Liam", "Maya", "Noah", "Olga",
        "Priya", "Quinn", "Rafael", "Sofia", "Tariq", "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zoe", "Amara", "Bruno", "Chloe",
        "Diego", "Emma", "Felix", "Gita", "Hugo", "Isla", "Jamal", "Keiko", "Lucas", "Mina", "Nils", "Omar", "Paula", "Rosa", "Sven",
    ];

    public static readonly string[] LastNames =
    [
        "Silva", "Okafor", "Müller", "Nakamura", "Rossi", "Kowalski", "Haddad", "Johansson", "García", "Chen", "Dubois", "Patel",
        "Novak", "O'Brien", "Schmidt", "Kim", "Larsen", "Moreau", "Ivanova", "Costa", "Fischer", "Tanaka", "Ali", "Berg", "Santos",
        "Walsh", "Yilmaz", "Andersen", "Romero", "Singh", "Weber", "Lopez", "Baker", "Nguyen", "Hoffmann",
    ];

    public static readonly string[] CompanyWords =
    [
        "Apex", "Blue", "Cobalt", "Delta", "Ember", "Fjord", "Granite", "Harbor", "Iris", "Juniper", "Kite", "Lattice", "Meridian",
        "Nimbus", "Orbit", "Pioneer", "Quartz", "Ridge", "Summit", "Tidal", "Umbra", "Vertex", "Willow", "Zenith",
    ];

    public static readonly string[] CompanySuffixes = ["Logistics", "Health", "Retail", "Bank", "Labs", "Energy", "Foods", "Media", "Systems", "Insurance"];

    public static readonly (string Name, string Weight)[] Industries =
        [("Logistics", "3"), ("Healthcare", "2"), ("Retail", "3"), ("Financial Services", "3"), ("Software", "4"), ("Energy", "1"), ("Media", "1")];

    public static readonly string[] Titles =
    [
        "Data Engineer", "Senior Data Engineer", "Head of Data", "VP Engineering", "CTO", "Analytics Manager", "Data Analyst",
        "Platform Engineer", "Director of Data Platform", "Software Engineer", "Chief Data Officer", "BI Developer", "Intern",
        "Marketing Manager", "Student",
    ];

    public static readonly (string Country, string City, string Region)[] Places =
    [
        ("United States", "Austin", "AMER"), ("United States", "New York", "AMER"), ("Canada", "Toronto", "AMER"),
        ("United Kingdom", "London", "EMEA"), ("Germany", "Berlin", "EMEA"), ("France", "Paris", "EMEA"), ("Netherlands", "Amsterdam", "EMEA"),
        ("Sweden", "Stockholm", "EMEA"), ("India", "Bengaluru", "APAC"), ("Japan", "Tokyo", "APAC"), ("Australia", "Sydney", "APAC"),
        ("Brazil", "São Paulo", "AMER"),
    ];

    public static readonly string[] CompanySizes = ["1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+"];

    public sealed record DemoCampaign(string Name, string Channel, string UtmCampaign, string UtmSource, string UtmMedium, long CostCents);

    public static readonly DemoCampaign[] Campaigns =
    [
        new("Google Ads – pipeline monitoring", "Paid Search", "gads-pipeline-monitoring", "google", "cpc", 1_850_000),
        new("Google Ads – competitor terms", "Paid Search", "gads-competitor", "google", "cpc", 920_000),
        new("LinkedIn – Heads of Data", "Paid Social", "li-heads-of-data", "linkedin", "paid-social", 1_400_000),
        new("Newsletter – monthly", "Email", "newsletter-monthly", "newsletter", "email", 60_000),
        new("Webinar – Data SLAs that hold", "Events", "webinar-data-slas", "webinar", "event", 300_000),
        new("State of Data Reliability report", "Organic Social", "report-data-reliability", "linkedin", "social", 450_000),
        new("Partner – Snowflake marketplace", "Referral", "partner-marketplace", "partner", "referral", 200_000),
        new("Capterra listing", "Referral", "capterra-listing", "capterra", "referral", 350_000),
        new("Blog – observability guide", "Organic Search", "blog-observability-guide", "google", "organic", 80_000),
        new("Retargeting – display", "Display", "retargeting-display", "adroll", "display", 500_000),
        new("Data Council conference", "Events", "data-council-booth", "conference", "event", 1_200_000),
    ];

    public static readonly string[] Pages =
        ["/", "/product", "/pricing", "/docs/getting-started", "/blog/data-sla", "/blog/observability-guide", "/customers", "/integrations", "/security", "/demo"];
}
