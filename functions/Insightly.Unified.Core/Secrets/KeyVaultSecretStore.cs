using Azure;
using Azure.Security.KeyVault.Secrets;

namespace Insightly.Unified.Secrets;

/// <summary>Secrets in Key Vault; the app's managed identity needs Key Vault Secrets Officer.</summary>
public sealed class KeyVaultSecretStore(SecretClient client) : ISecretStore
{
    public async Task<string> SetAsync(string name, string value, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var secret = new KeyVaultSecret(name, value);
        secret.Properties.ContentType = SecretNaming.ContentType;
        foreach (var (tag, tagValue) in tags)
        {
            secret.Properties.Tags[tag] = tagValue;
        }

        try
        {
            var response = await client.SetSecretAsync(secret, cancellationToken);
            return response.Value.Properties.Version;
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            // Key Vault refuses to write a name that is soft-deleted (deleted, not yet purged).
            throw new SecretDeletedException(name, exception);
        }
    }

    public async Task<StoredSecret?> GetAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.GetSecretAsync(name, null, cancellationToken);
            return new StoredSecret(response.Value.Value, response.Value.Properties.Version);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }

    public async Task<string> GetOrCreateAsync(string name, Func<string> create, CancellationToken cancellationToken)
    {
        if (await GetAsync(name, cancellationToken) is { } existing)
        {
            return existing.Value;
        }

        await SetAsync(name, create(), new Dictionary<string, string>(), cancellationToken);
        // Key Vault has no create-if-absent. Instances that raced here each wrote a version; all of them
        // settle on the oldest one, so every instance signs with the same value from now on.
        SecretProperties? oldest = null;
        await foreach (var version in client.GetPropertiesOfSecretVersionsAsync(name, cancellationToken))
        {
            if (version.Enabled == true && (oldest is null || version.CreatedOn < oldest.CreatedOn))
            {
                oldest = version;
            }
        }

        var chosen = await client.GetSecretAsync(name, oldest!.Version, cancellationToken);
        return chosen.Value.Value;
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
