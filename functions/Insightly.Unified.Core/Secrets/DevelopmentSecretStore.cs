using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;

namespace Insightly.Unified.Secrets;

/// <summary>
/// Keeps secrets in a table of the local storage emulator so the product runs locally without Key Vault
/// (no Key Vault emulator exists). It behaves as Key Vault does where the code depends on it: each write
/// gets a new version, and a deleted name is kept as a tombstone that refuses writes. The composition
/// root allows it only against a loopback Azurite.
/// </summary>
public sealed class DevelopmentSecretStore(TableClient table) : ISecretStore
{
    private const string Partition = "secret";

    public async Task<string> SetAsync(string name, string value, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var entity = Entity(name, value, tags);
        while (true)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(Partition, name, ["Deleted"], cancellationToken);
            if (existing.HasValue && existing.Value!.GetBoolean("Deleted") == true)
            {
                throw new SecretDeletedException(name);
            }

            try
            {
                if (existing.HasValue)
                {
                    await table.UpdateEntityAsync(entity, existing.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await table.AddEntityAsync(entity, cancellationToken);
                }

                return entity.GetString("Version")!;
            }
            catch (RequestFailedException exception) when (exception.Status is 404 or 409 or 412)
            {
                // Written or deleted by someone else between our read and our write: look again.
            }
        }
    }

    public async Task<StoredSecret?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(Partition, name, ["Value", "Version", "Deleted"], cancellationToken);
        return response.HasValue && response.Value!.GetBoolean("Deleted") != true
            ? new StoredSecret(response.Value.GetString("Value")!, response.Value.GetString("Version")!)
            : null;
    }

    public async Task<string> GetOrCreateAsync(string name, Func<string> create, CancellationToken cancellationToken)
    {
        if (await GetAsync(name, cancellationToken) is { } existing)
        {
            return existing.Value;
        }

        try
        {
            // Insert only if absent: of instances racing here, the first write wins and the rest read it.
            await table.AddEntityAsync(Entity(name, create(), new Dictionary<string, string>()), cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
        }

        return (await GetAsync(name, cancellationToken) ?? throw new SecretDeletedException(name)).Value;
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var tombstone = new TableEntity(Partition, name) { ["Deleted"] = true, ["Version"] = NewVersion() };
        await table.UpsertEntityAsync(tombstone, TableUpdateMode.Replace, cancellationToken);
    }

    public async IAsyncEnumerable<SecretListing> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {prefix} and RowKey lt {prefix + char.MaxValue}");
        await foreach (var secret in table.QueryAsync<TableEntity>(filter, select: ["RowKey", "Deleted"], cancellationToken: cancellationToken))
        {
            if (secret.GetBoolean("Deleted") != true)
            {
                yield return new SecretListing(secret.RowKey, secret.Timestamp ?? DateTimeOffset.MinValue);
            }
        }
    }

    public async Task CheckReachableAsync(CancellationToken cancellationToken)
    {
        await foreach (var _ in table.QueryAsync<TableEntity>(maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken).AsPages())
        {
            return;
        }
    }

    private static TableEntity Entity(string name, string value, IReadOnlyDictionary<string, string> tags)
    {
        var entity = new TableEntity(Partition, name)
        {
            ["Value"] = value,
            ["Version"] = NewVersion(),
            ["ContentType"] = SecretNaming.ContentType,
        };
        foreach (var (tag, tagValue) in tags)
        {
            entity["Tag_" + tag] = tagValue;
        }

        return entity;
    }

    private static string NewVersion() => Guid.NewGuid().ToString("N");
}
