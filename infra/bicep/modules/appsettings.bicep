// The Function App's settings, applied after its identity holds its roles (main.bicep orders this
// module after rbac). Every value is an endpoint or a plain setting: no connection string, no key.

param appName string
param storageAccountName string
param storageBlobEndpoint string
param storageQueueEndpoint string
param storageTableEndpoint string
param keyVaultUri string
@description('The app\'s public address, https://{defaultHostName}: the worker may see an internal host, so URLs it hands out start with this.')
param publicBaseUrl string
param applicationInsightsConnectionString string
param credentialCheckSchedule string
param insightlyBaseUrlTemplate string
param otlpEndpoint string
param webhookEventsQueue string
param webhookDeliveriesQueue string

resource app 'Microsoft.Web/sites@2024-04-01' existing = {
  name: appName
}

resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'appsettings'
  properties: {
    // Identity-based host storage: service URIs plus the managed identity, no account key.
    AzureWebJobsStorage__accountName: storageAccountName
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__blobServiceUri: storageBlobEndpoint
    AzureWebJobsStorage__queueServiceUri: storageQueueEndpoint
    AzureWebJobsStorage__tableServiceUri: storageTableEndpoint
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'
    // OpenTelemetry (host.json telemetryMode): empty sends to Application Insights only, a URL to that OTLP backend too.
    OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint
    KeyVault__Uri: keyVaultUri
    Link__PublicBaseUrl: publicBaseUrl
    Insightly__BaseUrlTemplate: insightlyBaseUrlTemplate
    CREDENTIAL_CHECK_SCHEDULE: credentialCheckSchedule
    WEBHOOK_EVENTS_QUEUE: webhookEventsQueue
    WEBHOOK_DELIVERIES_QUEUE: webhookDeliveriesQueue
  }
}
