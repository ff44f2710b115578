using Tandem.Server.Capture.Forms;
using Tandem.Server.Capture.Tracking;
using Tandem.Server.Identity;

namespace Tandem.Server.Capture;

/// <summary>Capture: the one path that creates and updates people (identity, survivorship), tracking and web forms.</summary>
internal static class CaptureModule
{
    public static IServiceCollection AddCapture(this IServiceCollection services)
    {
        services.AddSingleton<PersonCapturer>();
        services.AddSingleton<IngestMessages>();
        return services;
    }

    public static IEndpointRouteBuilder MapCaptureEndpoints(this IEndpointRouteBuilder app) => app.MapFormEndpoints().MapTrackingEndpoints();
}
