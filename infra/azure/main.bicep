// SfPredictor in Azure: a storage account with a private "models" container, a Key Vault holding the
// Salesforce JWT private key, and the worker as a Container App running under a user-assigned
// managed identity that may only read/write blobs in that one container and read that one secret.
//
// Deploy: az deployment group create -g <resource-group> -f infra/azure/main.bicep -p infra/azure/main.parameters.json
// Then put the key: az keyvault secret set --vault-name <keyVaultName output> -n salesforce-jwt-key -f server.key

@description('Name prefix for every resource (3-11 lowercase letters or digits).')
@minLength(3)
@maxLength(11)
param namePrefix string

@description('Azure region; defaults to the resource group\'s.')
param location string = resourceGroup().location

@description('Container image of the worker, e.g. myregistry.azurecr.io/sfpredictor:1.0.0.')
param image string

@description('Salesforce login URL: https://login.salesforce.com, https://test.salesforce.com for a sandbox, or your My Domain URL.')
param salesforceLoginUrl string = 'https://login.salesforce.com'

@description('Consumer key of the connected app that has the JWT bearer flow enabled.')
param salesforceClientId string

@description('Username of the integration user the worker acts as.')
param salesforceUsername string

@description('OTLP endpoint for traces, metrics and logs (e.g. an OpenTelemetry Collector or Azure Monitor OTLP ingestion). Empty disables export.')
param otlpEndpoint string = ''

@description('Login server of the registry holding the image; empty for a public image.')
param registryServer string = ''

@description('Principal (object) id of the admin who uploads the JWT key to Key Vault; empty to grant nothing.')
param keyVaultAdminPrincipalId string = ''

var storageName = toLower('${namePrefix}models${uniqueString(resourceGroup().id)}')
var vaultName = toLower('${namePrefix}-kv-${uniqueString(resourceGroup().id)}')
var jwtSecretName = 'salesforce-jwt-key'

// Role definition ids (built-in roles).
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var keyVaultSecretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
var acrPull = '7f951dda-4ed3-4680-a7ca-43fe172d538d'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-worker'
  location: location
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: take(storageName, 24)
  location: location
  sku: { name: 'Standard_LRS' }
  kind: 'StorageV2'
  properties: {
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false // the worker authenticates with its managed identity only
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    isVersioningEnabled: true // a promoted model can always be rolled back
  }
}

resource modelsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'models'
  properties: { publicAccess: 'None' }
}

// Least privilege: data access on the models container only, not the account.
resource modelsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: modelsContainer
  name: guid(modelsContainer.id, identity.id, storageBlobDataContributor)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take(vaultName, 24)
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
  }
}

// The worker may read secrets of this vault only (the vault holds nothing else).
resource vaultReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, identity.id, keyVaultSecretsUser)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
  }
}

resource vaultAdmin 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(keyVaultAdminPrincipalId)) {
  scope: vault
  name: guid(vault.id, keyVaultAdminPrincipalId, keyVaultSecretsOfficer)
  properties: {
    principalId: keyVaultAdminPrincipalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsOfficer)
  }
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${namePrefix}-logs'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${namePrefix}-env'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
  }
}

resource worker 'Microsoft.App/containerApps@2024-03-01' = {
  name: '${namePrefix}-worker'
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  dependsOn: [modelsRole, vaultReader]
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      activeRevisionsMode: 'Single'
      registries: empty(registryServer) ? [] : [
        { server: registryServer, identity: identity.id }
      ]
      secrets: [
        {
          name: 'sf-jwt-key'
          keyVaultUrl: '${vault.properties.vaultUri}secrets/${jwtSecretName}'
          identity: identity.id
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'worker'
          image: image
          args: ['run']
          resources: { cpu: json('1.0'), memory: '2Gi' }
          env: [
            { name: 'Salesforce__LoginUrl', value: salesforceLoginUrl }
            { name: 'Salesforce__AuthFlow', value: 'JwtBearer' }
            { name: 'Salesforce__ClientId', value: salesforceClientId }
            { name: 'Salesforce__Username', value: salesforceUsername }
            { name: 'Salesforce__PrivateKeyPath', value: '/mnt/secrets/sf-jwt-key' }
            { name: 'SfPredictor__ModelStore__Kind', value: 'AzureBlob' }
            { name: 'SfPredictor__ModelStore__BlobServiceUri', value: storage.properties.primaryEndpoints.blob }
            { name: 'SfPredictor__ModelStore__ContainerName', value: modelsContainer.name }
            { name: 'SfPredictor__ModelStore__Auth', value: 'ManagedIdentity' }
            { name: 'SfPredictor__ModelStore__ManagedIdentityClientId', value: identity.properties.clientId }
            { name: 'OTEL_SERVICE_NAME', value: 'sfpredictor-worker' }
            { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: otlpEndpoint }
            { name: 'SfPredictor__Health__Urls', value: 'http://0.0.0.0:8080' }
          ]
          volumeMounts: [
            { volumeName: 'secrets', mountPath: '/mnt/secrets' }
          ]
          probes: [
            {
              type: 'Liveness'
              httpGet: { path: '/health', port: 8080 }
              periodSeconds: 60
            }
          ]
        }
      ]
      volumes: [
        {
          name: 'secrets'
          storageType: 'Secret'
          secrets: [{ secretRef: 'sf-jwt-key', path: 'sf-jwt-key' }]
        }
      ]
      // One replica with the default SQLite job store; see docs/operations-guide.md to scale out with PostgreSQL.
      scale: { minReplicas: 1, maxReplicas: 1 }
    }
  }
}

resource registryPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(registryServer)) {
  name: guid(resourceGroup().id, identity.id, acrPull)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPull)
  }
}

output keyVaultName string = vault.name
output storageAccountName string = storage.name
output workerIdentityClientId string = identity.properties.clientId
