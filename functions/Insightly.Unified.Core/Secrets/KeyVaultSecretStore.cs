using Azure;
using Azure.Security.KeyVault.Secrets;

namespace Insightly.Unified.Secrets;

/// <summary>Keys as Key Vault secrets; the app's managed identity needs Key Vault Secrets Officer.</summary>
public sealed class KeyVaultSecretStore(SecretClient client) : ISecretStore
{
    public async Task SetAsync(string name, string value, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var secret = new KeyVaultSecret(name, value);
        secret.Properties.ContentType = SecretNaming.ContentType;
        foreach (var (tag, tagValue) in tags)
        {
            secret.Properties.Tags[tag] = tagValue;
        }

        await client.SetSecretAsync(secret, cancellationToken);
    }

    public async Task<string?> GetAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.GetSecretAsync(name, null, cancellationToken);
            return response.Value.Value;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await client.StartDeleteSecretAsync(name, cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            // Already gone: deleting is idempotent.
        }
    }

    public async Task CheckReachableAsync(CancellationToken cancellationToken)
    {
        await foreach (var _ in client.GetPropertiesOfSecretsAsync(cancellationToken).AsPages(pageSizeHint: 1).WithCancellation(cancellationToken))
        {
            return;
        }
    }
}
