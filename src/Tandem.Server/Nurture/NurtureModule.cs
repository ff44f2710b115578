using Tandem.Server.Security;

namespace Tandem.Server.Nurture;

/// <summary>Nurture programs: versioned definitions, enrollment, the scheduler that runs their steps, figures and tasks.</summary>
internal static class NurtureModule
{
    public static IServiceCollection AddNurture(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(NurtureOptions.Section).Get<NurtureOptions>() ?? new NurtureOptions());
        services.AddSingleton<NurturePrograms>();
        services.AddSingleton<Enrollments>();
        services.AddSingleton<NurtureSteps>();
        services.AddSingleton<NurtureTicker>();
        services.AddSingleton<NurtureSweep>();
        services.AddHostedService<NurtureScheduler>();
        return services;
    }

    public static IEndpointRouteBuilder MapNurtureEndpoints(this IEndpointRouteBuilder app)
    {
        var programs = app.MapGroup("/api/v1/nurture/programs").WithTags("Nurture");
        programs.MapGet("", ManagePrograms.List).RequireScope(Scopes.NurtureRead).WithSummary("List programs with their figures.");
        programs.MapPost("", ManagePrograms.Create).RequireScope(Scopes.NurtureWrite).WithSummary("Create a draft program: name, kind, definition.");
        programs.MapGet("/{id:long}", ManagePrograms.Get).RequireScope(Scopes.NurtureRead).WithSummary("Get a program: its draft, current version and figures.");
        programs.MapPut("/{id:long}", ManagePrograms.Update).RequireScope(Scopes.NurtureWrite).WithSummary("Replace a program's draft (name, kind, definition).");
        programs.MapPost("/{id:long}/publish", ManagePrograms.Publish).RequireScope(Scopes.NurtureWrite)
            .WithSummary("Publish the draft as a new version; new entrants follow it, people already in keep theirs.");
        programs.MapGet("/{id:long}/versions", ManagePrograms.Versions).RequireScope(Scopes.NurtureRead).WithSummary("The published versions.");
        programs.MapPost("/{id:long}/pause", ManagePrograms.Pause).RequireScope(Scopes.NurtureWrite).WithSummary("Pause: nothing is sent and nobody enters until resumed.");
        programs.MapPost("/{id:long}/resume", ManagePrograms.Resume).RequireScope(Scopes.NurtureWrite).WithSummary("Resume a paused program where each person left off.");
        programs.MapPost("/{id:long}/archive", ManagePrograms.Archive).RequireScope(Scopes.NurtureWrite).WithSummary("Archive: everyone still in leaves; the figures stay.");
        programs.MapPost("/{id:long}/preview", ProgramEntry.Preview).RequireScope(Scopes.NurtureRead)
            .WithSummary("Who would enter now by the entry filter (of the draft, or of a definition in the body): a count and the first 20.");
        programs.MapPost("/{id:long}/enroll-matching", ProgramEntry.EnrollMatching).RequireScope(Scopes.NurtureWrite)
            .WithSummary("Enroll everyone who matches the current version's entry filter now.");
        programs.MapPost("/{id:long}/enroll", ProgramEntry.EnrollPerson).RequireScope(Scopes.NurtureWrite).WithSummary("Enroll one person by hand: {\"personId\": 42}.");
        programs.MapGet("/{id:long}/enrollments", ProgramEntry.ListEnrollments).RequireScope(Scopes.NurtureRead)
            .WithSummary("The program's enrollments (status=active|completed|exited|held_out), newest first.");
        app.MapPost("/api/v1/nurture/enrollments/{id:long}/remove", ProgramEntry.Remove).RequireScope(Scopes.NurtureWrite).WithTags("Nurture")
            .WithSummary("Take a person out of a program by hand.");
        app.MapGet("/api/v1/people/{id:long}/enrollments", ProgramEntry.OfPerson).RequireScope(Scopes.NurtureRead).WithTags("Nurture")
            .WithSummary("A person's enrollments, with each step that ran.");
        app.MapGet("/api/v1/tasks", Tasks.List).RequireScope(Scopes.Read).WithTags("Tasks")
            .WithSummary("Tasks: owner (a user id, or none), open=true for those not completed, personId.");
        app.MapPost("/api/v1/tasks/{id:long}/complete", Tasks.Complete).RequireScope(Scopes.Write).WithTags("Tasks").WithSummary("Mark a task done.");
        return app;
    }
}
