using './main.bicep'

// azd fills these from the environment; with `az deployment group create` set them here or on the command line.
param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'insightly-unified')

// Optional settings, with their defaults:
// param location = 'westeurope'                       // defaults to the resource group's region
// param maximumInstanceCount = 100                    // 40–1000
// param instanceMemoryMB = 2048                       // 512, 2048 or 4096
// param keyVaultPurgeProtection = true                // cannot be turned off once on
// param keyVaultPublicNetworkAccess = 'Enabled'       // 'Disabled' needs private networking for the app
// param credentialCheckSchedule = '0 0 */6 * * *'
// param insightlyBaseUrlTemplate = 'https://api.{pod}.insightly.com/v3.1/'
// param otlpEndpoint = ''                              // an OTLP backend for traces, metrics and logs besides Application Insights
// param webhookEventsQueue = 'webhook-events'          // each queue also gets a '-poison' queue
// param webhookDeliveriesQueue = 'webhook-deliveries'

// Who else may manage the vault's secrets (customers' API keys), only when AZURE_OPERATOR_SECRETS_ACCESS
// is 'true': by default no one but the app can read them. azd always passes the signed-in principal's
// object id as AZURE_PRINCIPAL_ID; when that principal is a service principal (CI), set
// AZURE_PRINCIPAL_TYPE to ServicePrincipal, or the role assignment fails. Without azd, export them
// (a group's object id with 'Group' also works).
param operatorPrincipalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')
param operatorPrincipalType = readEnvironmentVariable('AZURE_PRINCIPAL_TYPE', 'User')
param grantOperatorSecretsAccess = bool(readEnvironmentVariable('AZURE_OPERATOR_SECRETS_ACCESS', 'false'))
