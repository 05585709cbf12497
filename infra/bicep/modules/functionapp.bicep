// Flex Consumption (FC1) Linux plan and the Function App, running .NET 10 isolated with a
// system-assigned managed identity. Its app settings come later (appsettings.bicep), once the
// identity has its roles, so the host never starts against storage it may not yet use.
//
// Flex Consumption does not support many site properties other plans take (ftpsState, alwaysOn,
// linuxFxVersion, ...; see "Flex Consumption plan deprecations" in the Functions app settings reference),
// and newer regions refuse a site that sets them. The infrastructure tests fail if the template does.

param planName string
param appName string
param location string
param tags object

@description('Tags for the app itself; azd finds the app to deploy to by its azd-service-name tag.')
param appTags object

param storageBlobEndpoint string
param deploymentContainerName string

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@allowed([
  512
  2048
  4096
])
@minValue(512)
@maxValue(4096)
param instanceMemoryMB int

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: appTags
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  // Basic-auth publishing to the SCM (Kudu) site off: deployments go through Entra ID. Flex
  // Consumption has no FTP(S) endpoint, so there is no 'ftp' policy to set.
  resource scm 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
output principalId string = app.identity.principalId
