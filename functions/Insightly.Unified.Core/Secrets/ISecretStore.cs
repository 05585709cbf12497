namespace Insightly.Unified.Secrets;

/// <summary>A secret's current value and the version the store gave it when it was written.</summary>
public sealed record StoredSecret(string Value, string Version)
{
    public override string ToString() => $"StoredSecret {{ Version = {Version} }}";
}

/// <summary>
/// Where API keys and the app's own signing keys live: Azure Key Vault in production, a table in the
/// storage emulator for local runs. Both behave as Key Vault does: every write makes a new version, and a
/// deleted name stays reserved (Key Vault soft-deletes), so a name is never reused.
/// </summary>
public interface ISecretStore
{
    /// <summary>Writes a new version and returns its id.</summary>
    /// <exception cref="SecretDeletedException">The name was deleted; it cannot be written again.</exception>
    Task<string> SetAsync(string name, string value, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    /// <summary>The current version, or null when no such secret exists (or it was deleted).</summary>
    Task<StoredSecret?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// The secret's value, creating it with <paramref name="create"/> when it does not exist yet. When several
    /// instances create it at once, every one of them ends up with the same value.
    /// </summary>
    Task<string> GetOrCreateAsync(string name, Func<string> create, CancellationToken cancellationToken);

    /// <summary>Removes the secret; a secret that is already gone is not an error.</summary>
    Task DeleteAsync(string name, CancellationToken cancellationToken);

    /// <summary>The live secrets whose names start with <paramref name="prefix"/>, with when they were last written.</summary>
    IAsyncEnumerable<SecretListing> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Throws when the store cannot be reached.</summary>
    Task CheckReachableAsync(CancellationToken cancellationToken);
}

/// <summary>A secret's name and when its current version was written.</summary>
public sealed record SecretListing(string Name, DateTimeOffset WrittenAt);

/// <summary>The secret's name was deleted (in Key Vault: soft-deleted) and cannot be written again.</summary>
public sealed class SecretDeletedException(string name, Exception? inner = null)
    : Exception($"The secret '{name}' was deleted and its name cannot be reused.", inner);
