using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Tandem.Server.Security;
using Tandem.Server.Storage;

namespace Tandem.Server.Operations;

/// <summary>Settings under "Tandem:Proxy": the TLS-terminating proxies whose X-Forwarded-For and X-Forwarded-Proto are believed.</summary>
internal sealed class ProxyOptions
{
    public const string Section = "Tandem:Proxy";

    /// <summary>Addresses of trusted proxies, e.g. 127.0.0.1 for nginx on the same machine. None by default: the headers are ignored.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. 10.0.0.0/8 for a load balancer's subnet.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How long browsers keep to https once told (Strict-Transport-Security), in days; 0 sends no such header.</summary>
    public int HstsMaxAgeDays { get; set; } = 365;
}

/// <summary>
/// Deployment behind a TLS proxy: the client's address and scheme are taken from X-Forwarded-For and X-Forwarded-Proto
/// only when a configured proxy sent them; https requests (direct or forwarded) get HSTS, and the session and form-token
/// cookies are Secure on them. The data-protection keys that sign those cookies live in the database.
/// </summary>
internal static class BehindAProxy
{
    public static IServiceCollection AddDeploymentSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var proxy = configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>() ?? new ProxyOptions();
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET Core trusts loopback by default; Tandem trusts only the proxies it is told of.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var address in proxy.KnownProxies.Where(a => !string.IsNullOrWhiteSpace(a)))
                o.KnownProxies.Add(IPAddress.TryParse(address.Trim(), out var ip) ? ip
                    : throw new InvalidOperationException($"Tandem:Proxy:KnownProxies: '{address}' is not an IP address."));
            foreach (var network in proxy.KnownNetworks.Where(n => !string.IsNullOrWhiteSpace(n)))
                o.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network.Trim(), out var net) ? net
                    : throw new InvalidOperationException($"Tandem:Proxy:KnownNetworks: '{network}' is not a network such as 10.0.0.0/8."));
        });
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(Math.Max(0, proxy.HstsMaxAgeDays));
            o.IncludeSubDomains = false;
        });
        services.Configure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.PostConfigure<AntiforgeryOptions>(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);

        // One application name, so servers installed in different folders share the key ring (by default it is the install folder).
        services.AddDataProtection().SetApplicationName("Tandem");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
            o.XmlRepository = new DatabaseKeyRing(sp.GetRequiredService<Database>(), sp.GetRequiredService<TimeProvider>())));
        return services;
    }

    /// <summary>First in the pipeline, so everything after it sees the client's address and scheme.</summary>
    public static WebApplication UseDeploymentSecurity(this WebApplication app)
    {
        app.UseForwardedHeaders();
        if (app.Services.GetRequiredService<IOptions<HstsOptions>>().Value.MaxAge > TimeSpan.Zero) app.UseHsts();
        return app;
    }
}
