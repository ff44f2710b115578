using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Tandem.Domain.Lifecycle;
using Tandem.Server.Hosting;
using Tandem.Server.People;
using Tandem.Server.Storage;
using Tandem.Server.Users;
using Tandem.Server.Web.Access;
using Tandem.Server.Web.People;

namespace Tandem.Tests.People;

/// <summary>Reading a people filter from text and turning it into SQL, with no database.</summary>
public sealed class PeopleQueryTests
{
    private static PeopleQuery Parse(Validation v, long? signedIn, params (string Name, string Value)[] values) =>
        PeopleQuery.Parse(name => values.Where(x => x.Name == name).Select(x => x.Value).FirstOrDefault(), v, signedIn);

    private static PeopleQuery Parse(Validation v, params (string Name, string Value)[] values) => Parse(v, null, values);

    [Fact]
    public void Every_filter_is_read_into_its_typed_value()
    {
        var v = new Validation();
        var query = Parse(v,
            ("q", "  Ada   Lovelace "), ("stage", "mql, SAL"), ("grade", "a,b"), ("cell", "a1"), ("owner", "none"), ("source", "Paid Search"),
            ("persona", "Data leader"), ("email", " Ada@Analytical.IO "), ("channel", "Email"), ("country", "GB"), ("accountId", "12"),
            ("meetsMql", "yes"), ("minEngagement", "40"), ("createdAfter", "2024-03-05"), ("createdBefore", "2024-03-06T10:00:00Z"),
            ("updatedSince", "1709596800"));

        Assert.True(v.IsValid, string.Join(" ", v.Errors.SelectMany(e => e.Value)));
        Assert.Equal("Ada Lovelace", query.Search);
        Assert.Equal(new[] { Stage.MQL, Stage.SAL }, query.Stages);
        Assert.Equal(new[] { "A", "B" }, query.FitGrades);
        Assert.Equal(new[] { "A1" }, query.Cells);
        Assert.True(query.Unowned);
        Assert.Equal(("Paid Search", "Email", "Data leader", "GB"), (query.Source, query.Channel, query.Persona, query.Country));
        Assert.Equal("ada@analytical.io", query.Email);
        Assert.Equal(12L, query.AccountId);
        Assert.True(query.MeetsMql);
        Assert.Equal(40, query.MinEngagement);
        Assert.Equal(new DateTimeOffset(2024, 3, 5, 0, 0, 0, TimeSpan.Zero), query.CreatedAfter);
        Assert.Equal(new DateTimeOffset(2024, 3, 6, 10, 0, 0, TimeSpan.Zero), query.CreatedBefore);
        Assert.Equal(new DateTimeOffset(2024, 3, 5, 0, 0, 0, TimeSpan.Zero), query.UpdatedSince);
    }

    [Fact]
    public void Blank_values_are_no_filter_at_all()
    {
        var v = new Validation();
        var query = Parse(v, ("q", "  "), ("stage", ""), ("email", " "), ("accountId", ""), ("createdAfter", ""));

        Assert.True(v.IsValid);
        Assert.Equal(new PeopleQuery().ToSql(SqlDialect.Sqlite).Where, query.ToSql(SqlDialect.Sqlite).Where);
        // Only the people every list shows: neither merged away nor erased.
        Assert.Equal("p.merged_into_id IS NULL AND p.erased_at IS NULL", query.ToSql(SqlDialect.Sqlite).Where);
    }

    [Fact]
    public void Every_unusable_value_is_a_problem_naming_its_field_and_the_reason()
    {
        var v = new Validation();
        Parse(v, ("stage", "MQL,Warm"), ("grade", "E"), ("cell", "Q7"), ("owner", "bob"), ("email", "not-an-email"), ("accountId", "twelve"),
            ("meetsMql", "perhaps"), ("minEngagement", "101"), ("createdAfter", "yesterday"), ("createdBefore", "soon"), ("updatedSince", "later"));

        var errors = v.Errors;
        Assert.Equal($"'Warm' is not a stage; use one of: {string.Join(", ", Stages.Names)}.", Assert.Single(errors["stage"]));
        Assert.Equal("'E' is not a grade; use A, B, C or D.", Assert.Single(errors["grade"]));
        Assert.Equal("'Q7' is not a cell of the grade × engagement matrix (A1 … D4).", Assert.Single(errors["cell"]));
        Assert.Equal("'bob' is not an owner; use a user's id, none or me.", Assert.Single(errors["owner"]));
        Assert.Equal("Not a valid email address.", Assert.Single(errors["email"]));
        Assert.Equal("Expected a number.", Assert.Single(errors["accountId"]));
        Assert.Equal("Expected true or false.", Assert.Single(errors["meetsMql"]));
        Assert.Equal("Must be between 0 and 100.", Assert.Single(errors["minEngagement"]));
        foreach (var field in new[] { "createdAfter", "createdBefore", "updatedSince" })
            Assert.Equal("Expected a date such as 2024-03-05 or 2024-03-05T14:22:00Z.", Assert.Single(errors[field]));
    }

    [Fact]
    public void Owner_me_is_the_signed_in_user_and_a_problem_where_nobody_is_signed_in()
    {
        var signedIn = new Validation();
        var withKey = new Validation();

        var mine = Parse(signedIn, 42, ("owner", "me"));
        Parse(withKey, null, ("owner", "me"));

        Assert.True(signedIn.IsValid);
        Assert.Equal(42L, mine.OwnerId);
        Assert.StartsWith("'me' is the signed-in user", Assert.Single(withKey.Errors["owner"]));
    }

    [Fact]
    public void OwnerId_is_owner_by_another_name_and_giving_both_is_a_problem()
    {
        var v = new Validation();
        var byId = Parse(v, ("ownerId", "7"));
        var both = new Validation();
        Parse(both, ("owner", "7"), ("ownerId", "8"));

        Assert.Equal(7L, byId.OwnerId);
        Assert.Equal("Give owner or ownerId, not both.", Assert.Single(both.Errors["ownerId"]));
    }

    [Fact]
    public void Command_line_pairs_take_keys_in_any_case_and_name_an_unknown_key()
    {
        var v = new Validation();
        var query = PeopleQuery.ParsePairs(["STAGE=Customer,Opportunity", "accountid=5", "colour=blue", "oops"], v);

        Assert.Equal(new[] { Stage.Customer, Stage.Opportunity }, query.Stages);
        Assert.Equal(5L, query.AccountId);
        var problems = v.Errors["filter"];
        Assert.StartsWith("'colour' is not a filter; use q, stage, grade,", problems[0]);
        Assert.Equal("'oops' is not key=value.", problems[1]);
    }

    [Fact]
    public void Values_reach_the_database_only_as_parameters()
    {
        var v = new Validation();
        var query = Parse(v, ("q", "x' OR 1=1 --"), ("country", "'; DROP TABLE people; --"), ("persona", "50%_off"), ("stage", "MQL"));

        var (where, args) = query.ToSql(SqlDialect.Sqlite);

        Assert.DoesNotContain("1=1", where);
        Assert.DoesNotContain("DROP", where);
        Assert.Equal("%x' or 1=1 --%", args.Get<string>("q"));
        Assert.Equal("'; DROP TABLE people; --", args.Get<string>("country"));
        // The persona's own % and _ are escaped, so they match themselves only.
        Assert.Equal("%\"50\\%\\_off\"%", args.Get<string>("persona"));
    }

    [Fact]
    public void The_search_matches_the_full_name_so_first_and_last_name_together_find_the_person()
    {
        var (where, args) = Parse(new Validation(), ("q", "Ada Lovelace")).ToSql(SqlDialect.Postgres);

        Assert.Contains("LOWER(COALESCE(p.first_name, '') || ' ' || COALESCE(p.last_name, '')) LIKE @q", where);
        Assert.Equal("%ada lovelace%", args.Get<string>("q"));
    }

    [Fact]
    public void A_list_of_values_is_one_array_on_PostgreSQL_and_an_expanded_list_on_SQLite()
    {
        var query = Parse(new Validation(), ("stage", "MQL,SAL"), ("grade", "A"));

        Assert.Contains("p.stage = ANY(@stages)", query.ToSql(SqlDialect.Postgres).Where);
        Assert.Contains("p.stage IN @stages", query.ToSql(SqlDialect.Sqlite).Where);
        Assert.Equal(new[] { "MQL", "SAL" }, query.ToSql(SqlDialect.Sqlite).Args.Get<string[]>("stages"));
    }

    [Fact]
    public void The_web_list_address_keeps_every_filter_in_a_stable_order_with_the_sort_last()
    {
        var address = PeopleListAddress.From(new QueryCollection(new Dictionary<string, StringValues>
        {
            ["sort"] = "name", ["country"] = "GB", ["source"] = "Paid Search", ["stage"] = "MQL", ["colour"] = "blue", ["q"] = " ",
        }));

        // A view saved before the list took every filter ("stage=MQL&source=…") keeps its address.
        Assert.Equal("stage=MQL&source=Paid%20Search&country=GB&sort=name", address.ToQueryString());
        Assert.Equal(new KeyValuePair<string, string>[] { new("country", "GB") }, address.OtherFilters);
    }

    [Fact]
    public void The_web_list_reads_owner_me_as_the_viewer_and_names_bad_filters_and_sorts_in_the_api_words()
    {
        var riley = new LeadScope(Roles.SalesRep, 9);
        var mine = new PeopleListAddress(new Dictionary<string, string> { ["owner"] = "me" });
        var bad = new PeopleListAddress(new Dictionary<string, string> { ["grade"] = "E" }, Sort: "shoe-size");
        var problems = new Validation();

        var query = mine.Query(riley, new Validation());
        var none = bad.Query(riley, problems);
        bad.CheckSort(problems);

        Assert.Equal(9L, query?.OwnerId);
        Assert.Null(none);
        Assert.Equal("'E' is not a grade; use A, B, C or D.", Assert.Single(problems.Errors["grade"]));
        Assert.Equal("Cannot sort by 'shoe-size'.", Assert.Single(problems.Errors["sort"]));
    }
}
