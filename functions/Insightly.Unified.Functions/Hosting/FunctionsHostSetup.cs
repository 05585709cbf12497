using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;

namespace Insightly.Unified.Functions.Hosting;

/// <summary>What Program.cs does to the Functions host, in one method the tests can run too.</summary>
public static class FunctionsHostSetup
{
    public static FunctionsApplicationBuilder ConfigureInsightlyUnifiedFunctions(this FunctionsApplicationBuilder builder)
    {
        builder.ConfigureFunctionsWebApplication();
        // OpenTelemetry (host.json's telemetryMode makes the Functions host do the same); the worker's defaults name
        // the service after the app and tell the host the worker exports its own logs.
        builder.Services.AddInsightlyTelemetry(builder.Configuration)?.UseFunctionsWorkerDefaults();
        builder.Services.AddInsightlyUnified(builder.Configuration);
        return builder;
    }
}
