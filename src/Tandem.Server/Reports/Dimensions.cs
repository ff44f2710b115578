using Tandem.Server.Storage;

namespace Tandem.Server.Reports;

/// <summary>What a report can be broken down by: each person's current value of it, as the people list filters them.</summary>
internal enum Dimension { Channel, Campaign, Persona, Grade, Team, Rep }

internal static class Dimensions
{
    public static readonly IReadOnlyList<string> Names = ["channel", "campaign", "persona", "grade", "team", "rep"];

    public static string NameOf(Dimension d) => Names[(int)d];

    public static string Title(Dimension d) => d switch
    {
        Dimension.Channel => "Channel (first touch)",
        Dimension.Campaign => "Campaign (first touch)",
        Dimension.Persona => "Persona",
        Dimension.Grade => "Fit grade",
        Dimension.Team => "Team",
        _ => "Rep",
    };

    public static bool TryParse(string text, out Dimension d)
    {
        var i = Names.ToList().IndexOf(text.Trim().ToLowerInvariant());
        d = i < 0 ? default : (Dimension)i;
        return i >= 0;
    }

    /// <summary>
    /// The FROM additions and the key expression (text, null for "none") over people aliased "p". A person with two
    /// personas counts under each, so the persona breakdown can add up to more than the total.
    /// </summary>
    public static (string Join, string Key) Sql(Dimension d, SqlDialect dialect) => d switch
    {
        Dimension.Channel => ("", "p.first_touch_channel"),
        Dimension.Campaign => ("", dialect.JsonText("p.first_touch", "campaign")),
        Dimension.Persona => (" " + dialect.LeftJoinJsonArray("p.personas", "pe"), "pe.value"),
        Dimension.Grade => ("", "p.fit_grade"),
        Dimension.Team => ("", "CAST(p.owner_team_id AS TEXT)"),
        _ => ("", "CAST(p.owner_id AS TEXT)"),
    };

    /// <summary>The people-list filter that selects a group's people (see People/PeopleQuery.cs); null where none does.</summary>
    public static (string Name, string Value)? Filter(Dimension d, string? key) => (d, key) switch
    {
        (Dimension.Rep, null) => ("owner", "none"),
        (Dimension.Team, null) => ("team", "none"),
        (_, null) => null,
        (Dimension.Channel, _) => ("source", key),
        (Dimension.Campaign, _) => ("campaign", key),
        (Dimension.Persona, _) => ("persona", key),
        (Dimension.Grade, _) => ("grade", key),
        (Dimension.Team, _) => ("team", key),
        _ => ("owner", key),
    };

    /// <summary>How a group's key reads: team and rep ids by name, none as "No …".</summary>
    public static string Label(Dimension d, string? key, IReadOnlyDictionary<string, string> names) => key is null
        ? d switch
        {
            Dimension.Rep => "No owner",
            Dimension.Team => "No team",
            Dimension.Persona => "No persona",
            Dimension.Grade => "Not graded",
            Dimension.Campaign => "No campaign",
            _ => "Unknown",
        }
        : names.GetValueOrDefault(key, key);
}
