// The whole product in one resource group: Flex Consumption Function App with a system-assigned
// identity, its storage (no shared keys), the Key Vault for customers' Insightly keys, monitoring,
// and the role assignments that tie them together.
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(64)
@description('Name of the environment (azd sets it); part of every resource name through the resource token.')
param environmentName string

@minLength(1)
@description('Region for all resources.')
param location string = resourceGroup().location

@minValue(40)
@maxValue(1000)
@description('Most instances Flex Consumption may scale out to.')
param maximumInstanceCount int = 100

@allowed([
  512
  2048
  4096
])
@minValue(512)
@maxValue(4096)
@description('Memory of each instance, in MB.')
param instanceMemoryMB int = 2048

@description('Key Vault purge protection: deleted keys cannot be purged before the retention period ends. Cannot be undone.')
param keyVaultPurgeProtection bool = true

@allowed([
  'Enabled'
  'Disabled'
])
@description('Disabled: only private endpoints reach the vault. The app then fails until you add VNet integration and a private endpoint, which this template does not create.')
param keyVaultPublicNetworkAccess string = 'Enabled'

@description('NCRONTAB schedule of the credential check.')
param credentialCheckSchedule string = '0 0 */6 * * *'

@minLength(3)
@maxLength(56)
@description('Storage queue of account events for webhooks (its poison queue adds -poison).')
param webhookEventsQueue string = 'webhook-events'

@minLength(3)
@maxLength(56)
@description('Storage queue of webhook deliveries, one message per event and subscription (its poison queue adds -poison).')
param webhookDeliveriesQueue string = 'webhook-deliveries'

@description('Where Insightly is; {pod} is replaced by each account\'s pod.')
param insightlyBaseUrlTemplate string = 'https://api.{pod}.insightly.com/v3.1/'

@description('Optional OTLP endpoint (e.g. https://otel-collector.example:4318) that the host and the app also send traces, metrics and logs to; empty: Application Insights only.')
param otlpEndpoint string = ''

@description('Optional object id of a user, group or service principal that may also manage the vault\'s secrets, if grantOperatorSecretsAccess is true.')
param operatorPrincipalId string = ''

@description('Opt-in: give operatorPrincipalId Key Vault Secrets Officer on the vault of customers\' API keys. Off by default: only the app reads them, and every read is in the vault\'s AuditEvent log.')
param grantOperatorSecretsAccess bool = false

@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
@description('What operatorPrincipalId is: User, Group or ServicePrincipal (e.g. azd signed in as a service principal in CI).')
param operatorPrincipalType string = 'User'

var abbreviations = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  application: 'insightly-unified-crm'
}
var deploymentContainerName = 'app-package-${resourceToken}'
var names = {
  applicationInsights: '${abbreviations.insightsComponents}${resourceToken}'
  functionApp: '${abbreviations.webSitesFunctions}${resourceToken}'
  keyVault: '${abbreviations.keyVaultVaults}${resourceToken}'
  logAnalytics: '${abbreviations.operationalInsightsWorkspaces}${resourceToken}'
  plan: '${abbreviations.webServerFarms}${resourceToken}'
  storage: '${abbreviations.storageStorageAccounts}${resourceToken}'
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: names.storage
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    queueNames: [
      webhookEventsQueue
      '${webhookEventsQueue}-poison'
      webhookDeliveriesQueue
      '${webhookDeliveriesQueue}-poison'
    ]
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: names.keyVault
    location: location
    tags: tags
    enablePurgeProtection: keyVaultPurgeProtection
    publicNetworkAccess: keyVaultPublicNetworkAccess
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
  }
}

module api 'modules/functionapp.bicep' = {
  name: 'api'
  params: {
    planName: names.plan
    appName: names.functionApp
    location: location
    tags: tags
    appTags: union(tags, { 'azd-service-name': 'api' })
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  // The assignments refer to the vault and the component by name, so those must exist first.
  dependsOn: [keyVault, monitoring]
  params: {
    // The identity exists only once the app does, so what-if cannot predict these assignments anyway;
    // naming them after the principal keeps a re-created app from colliding with its predecessor's.
    #disable-next-line what-if-short-circuiting
    principalId: api.outputs.principalId
    storageAccountName: names.storage
    keyVaultName: names.keyVault
    applicationInsightsName: names.applicationInsights
    operatorPrincipalId: operatorPrincipalId
    operatorPrincipalType: operatorPrincipalType
    grantOperatorSecretsAccess: grantOperatorSecretsAccess
  }
}

// Settings last: the host starts reading storage and Key Vault as soon as they exist.
module appSettings 'modules/appsettings.bicep' = {
  name: 'appsettings'
  dependsOn: [rbac]
  params: {
    appName: names.functionApp
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    keyVaultUri: keyVault.outputs.uri
    publicBaseUrl: 'https://${api.outputs.defaultHostName}'
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    credentialCheckSchedule: credentialCheckSchedule
    insightlyBaseUrlTemplate: insightlyBaseUrlTemplate
    otlpEndpoint: otlpEndpoint
    webhookEventsQueue: webhookEventsQueue
    webhookDeliveriesQueue: webhookDeliveriesQueue
  }
}

output AZURE_LOCATION string = location
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output AZURE_FUNCTION_APP_URL string = 'https://${api.outputs.defaultHostName}/api'
output AZURE_KEY_VAULT_URI string = keyVault.outputs.uri
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
