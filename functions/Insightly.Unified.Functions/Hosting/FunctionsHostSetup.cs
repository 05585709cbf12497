using Azure.Identity;
using Insightly.Unified.Configuration;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Insightly.Unified.Functions.Hosting;

/// <summary>What Program.cs does to the Functions host, in one method the tests can run too.</summary>
public static class FunctionsHostSetup
{
    private const string ApplicationInsightsProvider =
        "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider";

    public static FunctionsApplicationBuilder ConfigureInsightlyUnifiedFunctions(this FunctionsApplicationBuilder builder)
    {
        builder.ConfigureFunctionsWebApplication();
        builder.Services
            .AddApplicationInsightsTelemetryWorkerService()
            .ConfigureFunctionsApplicationInsights();
        // The component refuses instrumentation keys (local auth off); the worker's SDK must sign in
        // with the app's managed identity, as the Functions host does when it sees this setting.
        var authentication = builder.Configuration[DeploymentSettings.ApplicationInsightsAuthenticationString];
        if (authentication?.Contains("Authorization=AAD", StringComparison.OrdinalIgnoreCase) == true)
        {
            builder.Services.Configure<TelemetryConfiguration>(telemetry => telemetry.SetAzureTokenCredential(new ManagedIdentityCredential(
                ManagedIdentityId.SystemAssigned)));
        }

        // The Application Insights logger only passes warnings by default; let host.json and app settings decide.
        builder.Logging.Services.Configure<LoggerFilterOptions>(options =>
        {
            var defaultRule = options.Rules.FirstOrDefault(rule => rule.ProviderName == ApplicationInsightsProvider);
            if (defaultRule is not null)
            {
                options.Rules.Remove(defaultRule);
            }
        });
        builder.Services.AddInsightlyUnified(builder.Configuration);
        return builder;
    }
}
