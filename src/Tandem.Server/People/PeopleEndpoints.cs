using Tandem.Server.Activities;
using Tandem.Server.Identity;
using Tandem.Server.Lifecycle;
using Tandem.Server.Security;

namespace Tandem.Server.People;

internal static class PeopleEndpoints
{
    public static IEndpointRouteBuilder MapPeopleEndpoints(this IEndpointRouteBuilder app)
    {
        var people = app.MapGroup("/api/v1/people").WithTags("People");
        people.MapPost("/", UpsertPerson.Handle).RequireScope(Scopes.Write)
            .WithSummary("Create a person, or update the one with the same external id or email (201 created, 200 updated).");
        people.MapGet("/", ListPeople.Handle).RequireScope(Scopes.Read).WithPeopleQueryParameters()
            .WithSummary("List people: filter (the same filters as the export and the web list), sort, cursor paging.");
        people.MapGet("/{id:long}", GetPerson.Handle).RequireScope(Scopes.Read)
            .WithSummary("Get a person. A merged-away id redirects (308) to the survivor.");
        people.MapPatch("/{id:long}", UpdatePerson.Handle).RequireScope(Scopes.Write)
            .WithSummary("Update fields, consent, locks and external ids.");
        people.MapPost("/{id:long}/activities", LogActivity.Handle).RequireScope(Scopes.Write)
            .WithSummary("Log an activity (call, email, meeting, note, or any event).");
        people.MapGet("/{id:long}/timeline", GetTimeline.Handle).RequireScope(Scopes.Read)
            .WithSummary("The person's activities and system facts, newest first.");
        people.MapPost("/{id:long}/stage", ChangeStage.Handle).RequireScope(Scopes.Write)
            .WithSummary("Move the person to another lifecycle stage; 409 when the move is not allowed.");
        people.MapGet("/{id:long}/stages", StageHistory.Handle).RequireScope(Scopes.Read)
            .WithSummary("The person's stage history, oldest first.");
        people.MapPost("/{id:long}/opt-outs/lift", LiftOptOut.Handle).RequireScope(Scopes.Write)
            .WithSummary("Lift a do-not-email or do-not-call, with a reason (audited); capture never lifts an opt-out.");
        people.MapPost("/merge", MergePeople.Handle).RequireScope(Scopes.Write)
            .WithSummary("Merge a duplicate into a survivor; the merged id redirects to the survivor afterwards.");
        return app;
    }
}
