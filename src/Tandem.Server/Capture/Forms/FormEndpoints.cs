using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Server.Hosting;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.Capture.Forms;

internal static class FormEndpoints
{
    public static IEndpointRouteBuilder MapFormEndpoints(this IEndpointRouteBuilder app)
    {
        var forms = app.MapGroup("/api/v1/forms").WithTags("Web forms");
        forms.MapPost("/", SaveForm.Create).RequireScope(Scopes.Write).WithSummary("Create a web form that posts straight to Tandem.");
        forms.MapGet("/", List).RequireScope(Scopes.Read).WithSummary("List web forms.");
        forms.MapGet("/{id:long}", Get).RequireScope(Scopes.Read).WithSummary("One web form.");
        forms.MapPut("/{id:long}", SaveForm.Update).RequireScope(Scopes.Write).WithSummary("Change a web form; its key and action stay the same.");
        forms.MapGet("/{id:long}/submissions", Submissions).RequireScope(Scopes.Read)
            .WithSummary("A form's submissions, newest first, 25 to a page (page=1…), with the total.");
        app.MapGet("/f/{formKey}", ShowForm).AllowAnonymous().WithTags("Web forms")
            .WithSummary("The form's own page, for a form whose fields were declared; UTM tags in the query are carried into the submission.");
        app.MapPost("/f/{formKey}", SubmitForm.Handle).DisableAntiforgery().AllowAnonymous().WithTags("Web forms")
            .WithSummary("The action of a plain HTML form (application/x-www-form-urlencoded).");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<FormDto>>> List(Database db, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<FormDto>>((await db.ReadAsync(c => c.QueryAsync<FormRow>("SELECT * FROM forms ORDER BY id"), ct))
            .Select(FormDto.From).ToList());

    private static async Task<Results<Ok<FormDto>, ProblemHttpResult>> Get(long id, Database db, CancellationToken ct) =>
        await FormStore.FindAsync(db, id, ct) is { } form ? TypedResults.Ok(FormDto.From(form)) : Problems.NotFound("Form", id);

    private static async Task<Results<Ok<SubmissionPage>, ProblemHttpResult>> Submissions(long id, int? page, Database db, CancellationToken ct)
    {
        if (await FormStore.FindAsync(db, id, ct) is null) return Problems.NotFound("Form", id);
        return TypedResults.Ok(await db.ReadAsync(c => FormSubmissions.PageAsync(c, id, page ?? 1), ct));
    }

    private static async Task<IResult> ShowForm(string formKey, HttpRequest request, Database db, CancellationToken ct)
    {
        var form = await FormStore.FindByKeyAsync(db, formKey, ct);
        if (form is null || !form.HasHostedPage) return Problems.NotFound("Form", formKey);
        var touch = new[] { "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content" }
            .ToDictionary(k => k, k => request.Query[k].ToString() is { Length: > 0 and <= 200 } v ? v : null);
        touch["referrer"] = request.Headers.Referer.ToString() is { Length: > 0 and <= 2000 } r ? r : null;
        touch["landing_page"] = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}";
        return Results.Content(FormHtml.HostedPage(form, touch!), "text/html; charset=utf-8");
    }
}
