namespace Tandem.Domain.Import;

// Column names follow each system's documented standard export: Salesforce's Lead object (API names, as
// Data Loader and the weekly export write them, and the labels a Leads report writes), HubSpot's contacts
// export (property labels), Mautic's contacts export (field aliases) and Pipedrive's people export
// ("Person - …" labels). Columns not listed become custom fields.
public static partial class ImportPresets
{
    public static readonly ImportPreset Salesforce = new("salesforce", "salesforce",
        new Dictionary<string, string>
        {
            ["Id"] = ImportTargets.ExternalId, ["Lead ID"] = ImportTargets.ExternalId,
            ["FirstName"] = "firstName", ["First Name"] = "firstName", ["LastName"] = "lastName", ["Last Name"] = "lastName",
            ["Name"] = ImportTargets.FullName, ["Salutation"] = Custom("salutation"),
            ["Title"] = "title", ["Company"] = "company", ["Company / Account"] = "company",
            ["Email"] = ImportTargets.Email, ["Phone"] = "phone", ["MobilePhone"] = Custom("mobile_phone"), ["Mobile"] = Custom("mobile_phone"),
            ["Website"] = "website", ["City"] = "city", ["State"] = "region", ["State/Province"] = "region", ["Country"] = "country",
            ["Industry"] = "industry", ["NumberOfEmployees"] = "companySize", ["No. of Employees"] = "companySize",
            ["LeadSource"] = ImportTargets.Source, ["Lead Source"] = ImportTargets.Source,
            ["Status"] = ImportTargets.Stage, ["Lead Status"] = ImportTargets.Stage,
            ["HasOptedOutOfEmail"] = ImportTargets.DoNotEmail, ["Email Opt Out"] = ImportTargets.DoNotEmail,
            ["DoNotCall"] = ImportTargets.DoNotCall, ["Do Not Call"] = ImportTargets.DoNotCall,
            ["CreatedDate"] = ImportTargets.CreatedAt, ["Created Date"] = ImportTargets.CreatedAt, ["Create Date"] = ImportTargets.CreatedAt,
            ["LastModifiedDate"] = ImportTargets.ObservedAt, ["Last Modified Date"] = ImportTargets.ObservedAt,
            ["LastActivityDate"] = ImportTargets.LastActivityAt, ["Last Activity"] = ImportTargets.LastActivityAt,
            ["IsDeleted"] = ImportTargets.Ignore, ["SystemModstamp"] = ImportTargets.Ignore, ["MasterRecordId"] = ImportTargets.Ignore,
            ["PhotoUrl"] = ImportTargets.Ignore, ["LastViewedDate"] = ImportTargets.Ignore, ["LastReferencedDate"] = ImportTargets.Ignore,
        },
        new Dictionary<string, string>
        {
            ["Open - Not Contacted"] = "Lead", ["Working - Contacted"] = "SAL", ["Closed - Converted"] = "SQL",
            ["Closed - Not Converted"] = "Disqualified:bad-fit",
            ["New"] = "Lead", ["Open"] = "Lead", ["Contacted"] = "SAL", ["Working"] = "SAL", ["Nurturing"] = "Recycled:nurture",
            ["Qualified"] = "SQL", ["Unqualified"] = "Disqualified:bad-fit", ["Converted"] = "SQL",
        },
        ["Id|Lead ID", "Status|Lead Status", "LeadSource|Lead Source"]);

    public static readonly ImportPreset HubSpot = new("hubspot", "hubspot",
        new Dictionary<string, string>
        {
            ["Record ID"] = ImportTargets.ExternalId, ["First Name"] = "firstName", ["Last Name"] = "lastName",
            ["Email"] = ImportTargets.Email, ["Phone Number"] = "phone", ["Mobile Phone Number"] = Custom("mobile_phone"),
            ["Company Name"] = "company", ["Job Title"] = "title", ["Website URL"] = "website",
            ["City"] = "city", ["State/Region"] = "region", ["Country/Region"] = "country", ["Industry"] = "industry",
            ["Number of Employees"] = "companySize", ["Lifecycle Stage"] = ImportTargets.Stage,
            ["Original Source"] = ImportTargets.Source, ["Original Traffic Source"] = ImportTargets.Source,
            ["Create Date"] = ImportTargets.CreatedAt, ["Last Modified Date"] = ImportTargets.ObservedAt, ["Last Activity Date"] = ImportTargets.LastActivityAt,
            ["Number of Pageviews"] = ImportTargets.PageViews, ["Number of Sessions"] = ImportTargets.Visits,
            ["Unsubscribed from all email"] = ImportTargets.Unsubscribed,
        },
        new Dictionary<string, string>
        {
            ["Subscriber"] = "Subscriber", ["Lead"] = "Lead", ["Marketing Qualified Lead"] = "MQL", ["marketingqualifiedlead"] = "MQL",
            ["Sales Qualified Lead"] = "SQL", ["salesqualifiedlead"] = "SQL", ["Opportunity"] = "Opportunity",
            ["Customer"] = "Customer", ["Evangelist"] = "Customer", ["Other"] = "Lead",
        },
        ["Record ID", "Lifecycle Stage"]);

    public static readonly ImportPreset Mautic = new("mautic", "mautic",
        new Dictionary<string, string>
        {
            ["id"] = ImportTargets.ExternalId, ["firstname"] = "firstName", ["lastname"] = "lastName", ["email"] = ImportTargets.Email,
            // In Mautic "title" is the salutation (Mr, Mrs); the job title is "position".
            ["title"] = Custom("salutation"), ["position"] = "title", ["company"] = "company",
            ["phone"] = "phone", ["mobile"] = Custom("mobile_phone"), ["website"] = "website",
            ["city"] = "city", ["state"] = "region", ["country"] = "country", ["stage"] = ImportTargets.Stage,
            ["date_added"] = ImportTargets.CreatedAt, ["date_modified"] = ImportTargets.ObservedAt, ["last_active"] = ImportTargets.LastActivityAt,
            ["points"] = Custom("mautic_points"), ["ip_address"] = ImportTargets.Ignore,
        },
        new Dictionary<string, string>
        {
            ["New"] = "Lead", ["Lead"] = "Lead", ["Subscriber"] = "Subscriber", ["Engaged"] = "MQL", ["Marketing Qualified"] = "MQL",
            ["Sales Qualified"] = "SQL", ["Opportunity"] = "Opportunity", ["Customer"] = "Customer", ["Lost"] = "Recycled:lost-deal",
        },
        ["firstname", "lastname", "date_added|dateadded", "points"]);

    public static readonly ImportPreset Pipedrive = new("pipedrive", "pipedrive",
        new Dictionary<string, string>
        {
            ["Person - ID"] = ImportTargets.ExternalId, ["Person - Name"] = ImportTargets.FullName,
            ["Person - First name"] = "firstName", ["Person - Last name"] = "lastName",
            // Pipedrive keeps several emails per person; the work address is the one we identify by.
            ["Person - Email - Work"] = ImportTargets.Email, ["Person - Email"] = ImportTargets.Email,
            ["Person - Email - Home"] = Custom("email_home"), ["Person - Email - Other"] = Custom("email_other"),
            ["Person - Phone - Work"] = "phone", ["Person - Phone"] = "phone", ["Person - Phone - Mobile"] = Custom("mobile_phone"),
            ["Person - Organization"] = "company", ["Person - Job title"] = "title", ["Person - Label"] = ImportTargets.Stage,
            ["Person - Marketing status"] = ImportTargets.MarketingStatus, ["Person - Update time"] = ImportTargets.ObservedAt,
            ["Person - Add time"] = ImportTargets.CreatedAt, ["Lead created"] = ImportTargets.CreatedAt,
            ["Person - Last activity date"] = ImportTargets.LastActivityAt, ["Person - Won deals"] = ImportTargets.Outcome,
        },
        new Dictionary<string, string>
        {
            ["Hot lead"] = "MQL", ["Warm lead"] = "Lead", ["Cold lead"] = "Lead", ["Customer"] = "Customer",
        },
        ["Person - ID", "Person - Name|Person - First name"]);

    /// <summary>Tandem's own export, so an export imports back unchanged. Computed columns are ignored.</summary>
    public static readonly ImportPreset Tandem = new("tandem", "tandem",
        new Dictionary<string, string>
        {
            ["email"] = ImportTargets.Email, ["external_ids"] = ImportTargets.ExternalIds,
            ["first_name"] = "firstName", ["last_name"] = "lastName", ["company"] = "company", ["title"] = "title", ["phone"] = "phone",
            ["website"] = "website", ["country"] = "country", ["region"] = "region", ["city"] = "city", ["industry"] = "industry",
            ["company_size"] = "companySize", ["stage"] = ImportTargets.Stage,
            ["do_not_email"] = ImportTargets.DoNotEmail, ["do_not_call"] = ImportTargets.DoNotCall, ["unsubscribed"] = ImportTargets.Unsubscribed,
            ["channel"] = ImportTargets.Source, ["campaign"] = ImportTargets.Campaign, ["utm_source"] = ImportTargets.UtmSource,
            ["utm_medium"] = ImportTargets.UtmMedium, ["utm_campaign"] = ImportTargets.UtmCampaign,
            ["id"] = ImportTargets.Ignore, ["last_touch_channel"] = ImportTargets.Ignore, ["account"] = ImportTargets.Ignore,
            ["account_domain"] = ImportTargets.Ignore, ["owner_id"] = ImportTargets.Ignore, ["owner_email"] = ImportTargets.Ignore,
            ["fit_score"] = ImportTargets.Ignore, ["fit_grade"] = ImportTargets.Ignore, ["engagement_score"] = ImportTargets.Ignore,
            ["score_cell"] = ImportTargets.Ignore, ["meets_mql"] = ImportTargets.Ignore, ["personas"] = ImportTargets.Ignore,
            ["conversion_probability"] = ImportTargets.Ignore,
            ["stage_changed_at"] = ImportTargets.Ignore, ["created_at"] = ImportTargets.Ignore, ["updated_at"] = ImportTargets.Ignore,
        },
        new Dictionary<string, string>(),
        ["external_ids", "stage", "first_name", "channel"]);
}
