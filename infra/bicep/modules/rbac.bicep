// What the Function App's managed identity may do, and nothing more. Each assignment's name is a
// guid() of scope, principal and role, so redeploying is idempotent.

@description('Object id of the Function App\'s system-assigned identity.')
param principalId string
param storageAccountName string
param keyVaultName string
param applicationInsightsName string

@description('Optional: a user, group or service principal (e.g. whoever deploys) that may also manage secrets when grantOperatorSecretsAccess is true.')
param operatorPrincipalId string = ''

@description('Opt-in: the operator gets Key Vault Secrets Officer on the vault of customers\' keys. Off: no operator reads them.')
param grantOperatorSecretsAccess bool = false

@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param operatorPrincipalType string = 'User'

var roleDefinitionIds = {
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// The app writes secrets when linking accounts, reads them on every call and deletes them on unlink.
resource appSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, roleDefinitionIds.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionIds.keyVaultSecretsOfficer)
  }
}

resource operatorSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (grantOperatorSecretsAccess && !empty(operatorPrincipalId)) {
  name: guid(vault.id, operatorPrincipalId, roleDefinitionIds.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    principalId: operatorPrincipalId
    principalType: operatorPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionIds.keyVaultSecretsOfficer)
  }
}

// Blob: deployment packages and the host's leases and timers. Table: the integrated-accounts table.
// Queue: the Functions host's own queues and the webhook queues (events, deliveries, poison).
var storageRoles = [
  roleDefinitionIds.storageBlobDataOwner
  roleDefinitionIds.storageTableDataContributor
  roleDefinitionIds.storageQueueDataContributor
]

resource appStorageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in storageRoles: {
    name: guid(storage.id, principalId, role)
    scope: storage
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    }
  }
]

// Telemetry with Entra ID, since the component's local auth is disabled.
resource appMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, principalId, roleDefinitionIds.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionIds.monitoringMetricsPublisher)
  }
}
