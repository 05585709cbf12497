namespace Insightly.Unified.Secrets;

/// <summary>
/// Where API keys live: Azure Key Vault in production, a table in the storage emulator for local runs.
/// </summary>
public interface ISecretStore
{
    Task SetAsync(string name, string value, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    /// <summary>The current value, or null when no such secret exists.</summary>
    Task<string?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Removes the secret; a secret that is already gone is not an error.</summary>
    Task DeleteAsync(string name, CancellationToken cancellationToken);

    /// <summary>Throws when the store cannot be reached.</summary>
    Task CheckReachableAsync(CancellationToken cancellationToken);
}
