using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Tandem.Server.Operations.Telemetry;

/// <summary>Settings under "Tandem:Telemetry".</summary>
internal sealed class TelemetryOptions
{
    public const string Section = "Tandem:Telemetry";

    /// <summary>
    /// An OTLP collector (e.g. http://otel-collector:4317) to send traces and metrics to. Unset, Tandem exports nothing —
    /// unless the standard OTEL_EXPORTER_OTLP_ENDPOINT is set, which is used as is.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Write console logs as one JSON object a line, for log shippers.</summary>
    public bool JsonLogs { get; set; }
}

/// <summary>Traces and metrics over OpenTelemetry (only when a collector is configured), Tandem's own meter, and JSON logs on request.</summary>
internal static class TelemetryModule
{
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        builder.Services.AddSingleton<TandemMetrics>();
        if (options.JsonLogs)
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        var endpoint = options.OtlpEndpoint is { Length: > 0 } e ? new Uri(e) : null;
        if (endpoint is null && string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) return builder;
        void Exporter(OtlpExporterOptions o)
        {
            // Given only Tandem's setting, it is used; otherwise the exporter reads the standard OTEL_EXPORTER_OTLP_* variables itself.
            if (endpoint is not null) o.Endpoint = endpoint;
        }
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("tandem"))
            .WithTracing(t => t.AddAspNetCoreInstrumentation().AddOtlpExporter(Exporter))
            .WithMetrics(m => m.AddAspNetCoreInstrumentation().AddMeter(TandemMetrics.MeterName).AddOtlpExporter(Exporter));
        return builder;
    }
}
