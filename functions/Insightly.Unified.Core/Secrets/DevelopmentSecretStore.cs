using Azure;
using Azure.Data.Tables;

namespace Insightly.Unified.Secrets;

/// <summary>
/// Keeps keys in a table of the storage emulator so the product runs locally without Key Vault
/// (no Key Vault emulator exists). The composition root refuses it against real storage.
/// </summary>
public sealed class DevelopmentSecretStore(TableClient table) : ISecretStore
{
    private const string Partition = "secret";

    public async Task SetAsync(string name, string value, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(Partition, name)
        {
            ["Value"] = value,
            ["ContentType"] = SecretNaming.ContentType,
        };
        foreach (var (tag, tagValue) in tags)
        {
            entity["Tag_" + tag] = tagValue;
        }

        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<string?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(Partition, name, ["Value"], cancellationToken);
        return response.HasValue ? response.Value!.GetString("Value") : null;
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        await table.DeleteEntityAsync(Partition, name, ETag.All, cancellationToken);
    }

    public async Task CheckReachableAsync(CancellationToken cancellationToken)
    {
        await foreach (var _ in table.QueryAsync<TableEntity>(maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken).AsPages())
        {
            return;
        }
    }
}
