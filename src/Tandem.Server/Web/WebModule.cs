using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Tandem.Server.Users;
using Tandem.Server.Web.Identity;
using Tandem.Server.Web.People;

namespace Tandem.Server.Web;

/// <summary>The web app both teams work in: Razor Pages under Web/Pages, signed in with a cookie.</summary>
internal static class WebModule
{
    public const string SignedIn = "web";
    public const string AdminOnly = "web:admin";

    public static IServiceCollection AddWeb(this IServiceCollection services)
    {
        services.AddIdentityCore<UserRow>(o =>
            {
                // Long passphrases rather than composition rules (NIST SP 800-63B).
                o.Password.RequiredLength = 10;
                o.Password.RequireDigit = o.Password.RequireLowercase = o.Password.RequireUppercase = o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = false; // the email is the user name, which is unique already
                o.SignIn.RequireConfirmedAccount = true; // "confirmed" means active: see ActiveUserConfirmation
            })
            .AddUserStore<TandemUserStore>()
            .AddClaimsPrincipalFactory<TandemClaimsFactory>()
            .AddSignInManager();
        services.AddScoped<IUserConfirmation<UserRow>, ActiveUserConfirmation>();

        services.AddAuthentication().AddCookie(IdentityConstants.ApplicationScheme, o =>
        {
            o.Cookie.Name = "tandem.session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.LoginPath = "/signin";
            o.LogoutPath = "/signout";
            o.AccessDeniedPath = "/forbidden";
            o.ExpireTimeSpan = TimeSpan.FromHours(10);
            o.SlidingExpiration = true;
            o.Events.OnValidatePrincipal = SignedInUser.ValidateAsync;
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(SignedIn, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireAuthenticatedUser())
            .AddPolicy(AdminOnly, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireRole(Roles.Admin));

        services.AddAntiforgery(o => { o.Cookie.Name = "tandem.csrf"; o.HeaderName = "RequestVerificationToken"; });
        services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Web/Pages";
                o.Conventions.AuthorizeFolder("/", SignedIn);
                o.Conventions.AuthorizeFolder("/Admin", AdminOnly);
                o.Conventions.AllowAnonymousToPage("/SignIn");
                o.Conventions.AllowAnonymousToPage("/Forbidden");
                o.Conventions.AllowAnonymousToPage("/Setup");
                o.Conventions.AuthorizePage("/Settings/Audit", AdminOnly);
                o.Conventions.AddPageRoute("/Forms/Edit", "forms/new"); // one editor for a new form and a form's changes
            })
            // Tests host the server from another entry assembly, so the pages' assembly is named explicitly.
            .ConfigureApplicationPartManager(parts =>
            {
                var assembly = typeof(WebModule).Assembly;
                if (parts.ApplicationParts.OfType<AssemblyPart>().Any(p => p.Assembly == assembly)) return;
                foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                    parts.ApplicationParts.Add(part);
            });
        services.AddMemoryCache();
        services.AddSingleton<SavedViewStore>();
        services.AddSingleton<Home.SharedNumbersCache>();
        services.AddSingleton<ChangeStages>();
        services.AddSingleton<AssignOwner>();
        services.AddSingleton<LogSalesActivity>();
        services.AddSingleton<RecordHandoff>();
        return services;
    }

    public static WebApplication MapWebEndpoints(this WebApplication app)
    {
        app.UseStaticFiles();
        app.MapRazorPages();
        return app;
    }
}
