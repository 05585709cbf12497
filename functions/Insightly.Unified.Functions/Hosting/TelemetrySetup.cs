using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Insightly.Unified.Configuration;
using Insightly.Unified.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Insightly.Unified.Functions.Hosting;

/// <summary>
/// OpenTelemetry for both hosts, in one place: the app's own <see cref="UnifiedTelemetry"/> source and meter, the
/// Functions worker's invocation spans, and HttpClient spans for every outgoing call, sent wherever the settings say — Application Insights
/// (<c>APPLICATIONINSIGHTS_CONNECTION_STRING</c>, signing in with the managed identity when
/// <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> says <c>Authorization=AAD</c>), any OTLP backend
/// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>), and the console (<c>Telemetry__Console=true</c>, for local runs). With none
/// of them set no tracer or meter provider is built at all, so no span is started and no measurement recorded for
/// nobody (a <c>MeterListener</c>, as the benchmark's counts use, still sees the meter). The local host adds
/// ASP.NET Core's request spans and metrics through <paramref name="hostTracing"/> and <paramref name="hostMetrics"/>.
/// </summary>
public static class TelemetrySetup
{
    public const string ConsoleSetting = "Telemetry:Console";

    /// <summary>The worker's own activity source: one span per function invocation.</summary>
    public const string FunctionsWorkerSource = "Microsoft.Azure.Functions.Worker";

    /// <returns>The OpenTelemetry builder to add to, or null when nothing exports (and nothing was registered).</returns>
    public static IOpenTelemetryBuilder? AddInsightlyTelemetry(
        this IServiceCollection services, IConfiguration configuration,
        Action<TracerProviderBuilder>? hostTracing = null, Action<MeterProviderBuilder>? hostMetrics = null)
    {
        var azureMonitor = configuration[DeploymentSettings.ApplicationInsightsConnectionString] is { Length: > 0 };
        var otlp = !string.IsNullOrWhiteSpace(configuration[DeploymentSettings.OtlpEndpoint]);
        var console = configuration.GetValue<bool>(ConsoleSetting);
        if (!azureMonitor && !otlp && !console)
        {
            return null;
        }

        var telemetry = services.AddOpenTelemetry()
            .WithTracing(tracing =>
            {
                tracing.AddSource(UnifiedTelemetry.Name, FunctionsWorkerSource)
                    // No header is recorded, so never the Basic auth; the instrumentation drops query strings and
                    // the processor (added before any exporter, so it runs first) drops paths.
                    .AddHttpClientInstrumentation()
                    .AddProcessor(new OutboundUrlRedaction());
                hostTracing?.Invoke(tracing);
            })
            .WithMetrics(metrics =>
            {
                // Not HttpClient's own metrics: they are tagged with the server's address, and while a key is verified
                // the pod in it is the caller's input (each new one would be a new series). The app's meter counts
                // and times every Insightly call with bounded tags instead.
                metrics.AddMeter(UnifiedTelemetry.Name);
                hostMetrics?.Invoke(metrics);
            });

        if (azureMonitor)
        {
            // The component refuses instrumentation keys (local auth off): sign in with the app's managed identity,
            // as the Functions host does when it sees the same setting.
            var entraId = configuration[DeploymentSettings.ApplicationInsightsAuthenticationString]
                ?.Contains("Authorization=AAD", StringComparison.OrdinalIgnoreCase) == true;
            telemetry.UseAzureMonitorExporter(options =>
            {
                if (entraId)
                {
                    options.Credential = new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
                }
            });
        }

        if (otlp)
        {
            // The exporter reads the endpoint, protocol and headers from the OTEL_EXPORTER_OTLP_* settings itself.
            telemetry
                .WithTracing(tracing => tracing.AddOtlpExporter())
                .WithMetrics(metrics => metrics.AddOtlpExporter())
                .WithLogging(logging => logging.AddOtlpExporter());
        }

        if (console)
        {
            telemetry
                .WithTracing(tracing => tracing.AddConsoleExporter())
                .WithMetrics(metrics => metrics.AddConsoleExporter());
        }

        return telemetry;
    }
}
