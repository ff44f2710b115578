namespace Tandem.Server.Audit;

internal static class AuditModule
{
    /// <summary>The request accessor lets <see cref="AuditLog"/> name who acted and from where without every store being told.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services) => services.AddHttpContextAccessor();
}
