// The vault that holds customers' Insightly API keys. Access is by Azure RBAC only (no access
// policies), deleted secrets are recoverable, purge protection is on unless turned off here, and
// every access (each read of a key included) is logged to the Log Analytics workspace.

@minLength(3)
@maxLength(24)
param name string

param location string
param tags object

@description('Deleted vaults and secrets cannot be purged before the retention ends. Cannot be turned off once on.')
param enablePurgeProtection bool

@allowed([
  'Enabled'
  'Disabled'
])
@description('Disabled: only trusted Azure services and private endpoints reach the vault.')
param publicNetworkAccess string

@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int = 90

@description('Log Analytics workspace that receives the vault\'s AuditEvent logs.')
param logAnalyticsWorkspaceId string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    // The API accepts true or no value, never false.
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: publicNetworkAccess == 'Enabled' ? 'Allow' : 'Deny'
    }
  }
}

// AuditEvent records every operation on the vault, so each read of a customer's key has a record.
resource audit 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'audit-to-log-analytics'
  scope: vault
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        category: 'AuditEvent'
        enabled: true
      }
    ]
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
