using Insightly.Unified.Http;
using Insightly.Unified.Storage;
using Insightly.Unified.Webhooks;

namespace Insightly.Unified.Configuration;

/// <summary>
/// The app settings a deployment to Azure must provide, spelled as app settings (<c>__</c> for sections).
/// The infrastructure tests check that the Bicep template sets every one, so code and infrastructure
/// cannot drift apart.
/// </summary>
public static class DeploymentSettings
{
    public const string ApplicationInsightsConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary><c>Authorization=AAD</c>: telemetry is sent with the managed identity, not a key.</summary>
    public const string ApplicationInsightsAuthenticationString = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>
    /// OpenTelemetry's OTLP endpoint, read by the Functions host and by the app (<c>TelemetrySetup</c>): empty or
    /// whitespace turns OTLP off, a URL sends traces, metrics and logs there besides Application Insights.
    /// </summary>
    public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IReadOnlyList<string> Required { get; } =
    [
        $"{StorageConnection.SettingName}__{StorageConnection.TableServiceUriKey}",
        $"{SecretStoreOptions.Section}__{nameof(SecretStoreOptions.Uri)}",
        $"{InsightlyOptions.Section}__{nameof(InsightlyOptions.BaseUrlTemplate)}",
        PublicUrlOptions.Setting,
        CredentialCheckOptions.ScheduleSetting,
        WebhookOptions.EventsQueueSetting,
        WebhookOptions.DeliveriesQueueSetting,
        ApplicationInsightsConnectionString,
        ApplicationInsightsAuthenticationString,
        OtlpEndpoint,
    ];

    /// <summary>Settings the Functions host and Application Insights read themselves.</summary>
    public static IReadOnlyList<string> HostOwnedPrefixes { get; } = [$"{StorageConnection.SettingName}__", "APPLICATIONINSIGHTS_"];
}
