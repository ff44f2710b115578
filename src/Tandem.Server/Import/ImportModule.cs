using Tandem.Server.Security;

namespace Tandem.Server.Import;

internal static class ImportModule
{
    public static IServiceCollection AddImport(this IServiceCollection services)
    {
        services.AddSingleton(sp => ImportSettings.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<ImportQueue>();
        services.AddSingleton<ImportUploads>();
        services.AddSingleton<ImportRowWriter>();
        services.AddSingleton<ImportRunner>();
        services.AddHostedService<ImportWorker>();
        return services;
    }

    public static IEndpointRouteBuilder MapImportEndpoints(this IEndpointRouteBuilder app)
    {
        var imports = app.MapGroup("/api/v1/imports").WithTags("Import");
        imports.MapPost("/", StartImport.Handle).RequireScope(Scopes.Write).DisableAntiforgery()
            .WithSummary("Upload a CSV (multipart: file, preset, mapping, dryRun). 202 with the job; a dry run answers 200 with the mapping and first problems.");
        imports.MapGet("/", GetImport.List).RequireScope(Scopes.Read).WithSummary("The 50 most recent import jobs.");
        imports.MapGet("/{id:long}", GetImport.Handle).RequireScope(Scopes.Read).WithSummary("An import job: status, progress, counts and mapping.");
        imports.MapGet("/{id:long}/errors", GetImport.Errors).RequireScope(Scopes.Read)
            .WithSummary("The rejected rows as CSV: row, column, value, reason.");
        return app;
    }
}
