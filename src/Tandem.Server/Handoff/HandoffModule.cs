using Microsoft.Extensions.Options;
using Tandem.Server.Lifecycle;
using Tandem.Server.Security;

namespace Tandem.Server.Handoff;

internal static class HandoffModule
{
    public sealed record ReasonsDto(IReadOnlyList<RejectReason> Reject, IReadOnlyList<string> Lost);

    public static IServiceCollection AddHandoff(this IServiceCollection services)
    {
        services.AddOptions<HandoffOptions>().BindConfiguration(HandoffOptions.Section);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<HandoffOptions>>().Value);
        services.AddSingleton<Dispositions>();
        return services;
    }

    public static IEndpointRouteBuilder MapHandoffEndpoints(this IEndpointRouteBuilder app)
    {
        var people = app.MapGroup("/api/v1/people").WithTags("Hand-off");
        people.MapPost("/{id:long}/accept", AcceptLead.Handle).RequireScope(Scopes.Write).WithSummary("Sales accepts the MQL (→ SAL).");
        people.MapPost("/{id:long}/reject", RejectLead.Handle).RequireScope(Scopes.Write)
            .WithSummary("Sales rejects the lead with a reason code (→ Recycled or Disqualified, as the reason says) and a note.");
        people.MapPost("/{id:long}/qualify", RecordSalesOutcome.Qualify).RequireScope(Scopes.Write).WithSummary("Sales qualifies the lead (→ SQL).");
        people.MapPost("/{id:long}/opportunity", RecordSalesOutcome.Opportunity).RequireScope(Scopes.Write)
            .WithSummary("Sales opens an opportunity with its amount (→ Opportunity).");
        people.MapPost("/{id:long}/won", RecordSalesOutcome.Won).RequireScope(Scopes.Write).WithSummary("The deal is won, with its amount (→ Customer).");
        people.MapPost("/{id:long}/lost", RecordSalesOutcome.Lost).RequireScope(Scopes.Write)
            .WithSummary("The deal is lost, with a reason (→ Recycled, back to nurture).");
        people.MapGet("/{id:long}/dispositions", Dispositions.List).RequireScope(Scopes.Read).WithSummary("Everything sales recorded about the lead.");
        app.MapGet("/api/v1/handoff/reasons", (ReasonCatalog reasons) => TypedResults.Ok(new ReasonsDto(reasons.Current.Reject, reasons.Current.Lost)))
            .RequireScope(Scopes.Read).WithTags("Hand-off").WithSummary("Rejection reasons (with the stage each leads to) and lost reasons.");
        app.MapGet("/api/v1/reports/closed-loop", ClosedLoopReport.Handle).RequireScope(Scopes.Read).WithTags("Hand-off")
            .WithSummary("Dispositions and reasons by source, campaign or persona (by=source|campaign|persona, from, to).");
        return app;
    }
}
