using System.Runtime.CompilerServices;
using Azure;
using Azure.Core;
using Insightly.Unified.Errors;
using Azure.Security.KeyVault.Secrets;

namespace Insightly.Unified.Secrets;

/// <summary>Secrets in Key Vault; the app's managed identity needs Key Vault Secrets Officer.</summary>
/// <param name="settleDelay">How long a creator waits before choosing among racing versions (see <see cref="GetOrCreateAsync"/>).</param>
public sealed class KeyVaultSecretStore(SecretClient client, TimeSpan? settleDelay = null) : ISecretStore
{
    /// <summary>Key Vault stamps versions to the second: a wait longer than that lets racing creators see each other.</summary>
    private static readonly TimeSpan DefaultSettleDelay = TimeSpan.FromSeconds(1.5);

    /// <summary>The store over a vault, its client naming the secret store when the vault fails or refuses us.</summary>
    public static KeyVaultSecretStore Create(Uri vault, TokenCredential credential, SecretClientOptions options)
    {
        options.AddPolicy(new DependencyFailurePolicy(DependencyFailurePolicy.SecretStore), HttpPipelinePosition.PerCall);
        return new KeyVaultSecretStore(new SecretClient(vault, credential, options));
    }

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
        if (await GetAsync(name, cancellationToken) is null)
        {
            await SetAsync(name, create(), new Dictionary<string, string>(), cancellationToken);
            // Key Vault has no create-if-absent, so instances that raced here each wrote a version. After the wait,
            // every racer that could share our second has written, and any later one is strictly newer.
            await Task.Delay(settleDelay ?? DefaultSettleDelay, cancellationToken);
        }

        // The oldest version is the value, for creators and readers alike: the one every instance settles on.
        // Versions created in the same second are told apart by their id.
        SecretProperties? oldest = null;
        await foreach (var version in client.GetPropertiesOfSecretVersionsAsync(name, cancellationToken))
        {
            if (version.Enabled == true && (oldest is null || (version.CreatedOn, version.Version).CompareTo((oldest.CreatedOn, oldest.Version)) < 0))
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

    public async IAsyncEnumerable<SecretListing> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Key Vault cannot filter by name: the listing is of names and dates only, never values.
        await foreach (var secret in client.GetPropertiesOfSecretsAsync(cancellationToken))
        {
            if (secret.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                yield return new SecretListing(secret.Name, secret.UpdatedOn ?? secret.CreatedOn ?? DateTimeOffset.MinValue);
            }
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
