using System.Collections.Concurrent;
using System.Security.Cryptography;
using Insightly.Unified.Configuration;
using Insightly.Unified.Secrets;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.Security;

/// <summary>
/// The server-side keys the app signs its own tokens with (cursors and link tokens). A key comes
/// from configuration when an operator sets one (<c>Api__CursorSigningKey</c>, <c>Api__LinkTokenSigningKey</c>; base64, at least 32 bytes);
/// otherwise it is generated once and kept in the secret store (Key Vault, or the development store), so
/// every instance and every restart signs with the same key. It is read once per process.
/// </summary>
public sealed class SigningKeys(ISecretStore store, IOptions<ApiOptions> options)
{
    private const int KeyBytes = 32;

    private readonly ConcurrentDictionary<string, Lazy<Task<byte[]>>> keys = new(StringComparer.Ordinal);

    public Task<byte[]> CursorKeyAsync(CancellationToken cancellationToken) =>
        GetAsync("signing-key-cursors", options.Value.CursorSigningKey, cancellationToken);

    public Task<byte[]> LinkTokenKeyAsync(CancellationToken cancellationToken) =>
        GetAsync("signing-key-link-tokens", options.Value.LinkTokenSigningKey, cancellationToken);

    private async Task<byte[]> GetAsync(string secretName, string? configured, CancellationToken cancellationToken)
    {
        if (configured is not null)
        {
            return Convert.FromBase64String(configured);
        }

        var entry = keys.GetOrAdd(secretName, name => new Lazy<Task<byte[]>>(async () => Convert.FromBase64String(
            await store.GetOrCreateAsync(name, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes)), CancellationToken.None))));
        try
        {
            return await entry.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A store outage must not be remembered: the next request tries again.
            keys.TryRemove(KeyValuePair.Create(secretName, entry));
            throw;
        }
    }
}
